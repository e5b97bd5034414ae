#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts the console demo on the
# embedded default (a local SQLite file, slabot-demo.db). Extra arguments go to `slabot console`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/app/slabot console "$@"
