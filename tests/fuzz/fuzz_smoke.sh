#!/usr/bin/env bash
# ctest's fuzz_smoke: a few seconds of every libFuzzer target, from the seeds (scripts/fuzz.sh
# --smoke). Opt-in with SLABOT_FUZZ_SMOKE=1: its clang build (ASan, UBSan, coverage) costs about
# 4 minutes of CPU cold, 2 minutes of both cores, which the default suite does not spend.
# Exit 77 (skipped) when not asked for, or when clang with libFuzzer is missing.
set -euo pipefail
if [ "${SLABOT_FUZZ_SMOKE:-0}" != 1 ]; then
  echo "SKIPPED: the fuzz smoke run is opt-in: SLABOT_FUZZ_SMOKE=1 ./scripts/test.sh (or ./scripts/fuzz.sh)"
  exit 77
fi
exec "$(dirname "$0")/../../scripts/fuzz.sh" --smoke "${SLABOT_FUZZ_SMOKE_SECONDS:-4}"
