#!/usr/bin/env bash
# Configures and builds slabot (and its tests) into ./build. Dependencies: scripts/install-deps.sh.
# Arguments go to cmake's configure step, e.g. `-DBUILD_TESTING=OFF` (the Dockerfile) for the
# binary alone.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j "$jobs"
