#!/usr/bin/env bash
# The long form of the restart test: `slabot serve` SIGKILLed 20 times (or $1) while SLA stages
# fire and their pings are sent; every ping must arrive, duplicates only with the same message id.
# The suite runs the same test with 5 kills. Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SLABOT_RESTART_KILLS="${1:-20}" ./build/tests/app/test_app_crash "[restart]" --success --durations yes | tail -n 20
