#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite offline.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
