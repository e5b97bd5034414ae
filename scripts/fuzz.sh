#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan) into build/fuzz and runs each for
# SECONDS (default 60), or only the TARGETs named: command, url, proxy, wecom_xml, adapters, config,
# stream_frames.
#
#   ./scripts/fuzz.sh              # every target, 60 s each
#   ./scripts/fuzz.sh 600 adapters # one target, 10 minutes
#   ./scripts/fuzz.sh --smoke 3    # what the test suite runs: seeds only, nothing kept
#
# What a run finds is kept: new inputs in build/fuzz/corpus/<target>/ (the committed seeds in
# fuzz/corpus/<target>/ are read, never written), a crash, leak, timeout or broken invariant in
# build/fuzz/crashes/<target>/ (crash-<sha1>, ...), replayed with `build/fuzz/fuzz/fuzz_<target> FILE`.
# Exits 1 when any target found something, 77 when clang++ cannot build a libFuzzer program
# (Debian: clang and libclang-rt-14-dev, which scripts/install-deps.sh installs).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
if [ "${1:-}" = --smoke ]; then smoke=true; shift; fi
seconds=${1:-60}
[ $# -gt 0 ] && shift
all_targets=(command url proxy wecom_xml adapters config telegram_poll stream_frames)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [ -d "fuzz/corpus/$target" ] || { echo "fuzz: unknown target '$target' (targets: ${all_targets[*]})" >&2; exit 2; }
done

# libFuzzer is in clang's runtime package, not in clang itself: try to link a fuzzer.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
  'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' >"$probe/probe.cpp"
if ! command -v clang++ >/dev/null || ! clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
  echo "SKIPPED: clang with libFuzzer not found (apt-get install clang libclang-rt-14-dev)"
  exit 77
fi

build=build/fuzz
cmake -S . -B "$build" -DSLABOT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if ! cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >"$build/build.log" 2>&1; then
  grep -E -A4 'error' "$build/build.log" | head -40 >&2
  echo "fuzz: the clang build failed; its log: $build/build.log" >&2
  exit 1
fi
for target in "${targets[@]}"; do
  [ -x "$build/fuzz/fuzz_$target" ] || { echo "fuzz: the build made no $build/fuzz/fuzz_$target" >&2; exit 1; }
done

failed=()
for target in "${targets[@]}"; do
  crashes="$build/crashes/$target"
  mkdir -p "$crashes"
  if $smoke; then
    corpus="$probe/corpus-$target"  # new inputs are thrown away: the next run starts the same
  else
    corpus="$build/corpus/$target"
  fi
  mkdir -p "$corpus"
  dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  log="$build/fuzz-$target.log"
  # Inputs up to 16 KiB (webhook bodies and config files are longer than libFuzzer's default 4 KiB);
  # one input over 10 s or 2 GiB is a finding too.
  if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $target: ok, $runs runs in ${seconds}s, corpus $(ls "$corpus" | wc -l) new + $(ls "fuzz/corpus/$target" | wc -l) seeds"
  else
    failed+=("$target")
    echo "fuzz: $target: FOUND A PROBLEM; log $log, input in $crashes/:"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |artifact_prefix|Test unit written)' "$log" | sed 's/^/  /' || true
    grep -A12 '^==[0-9]*==ERROR\|^fuzz: ' "$log" | grep '#[0-9]' | head -12 | sed 's/^/  /' || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: problems in: ${failed[*]} (replay: $build/fuzz/fuzz_<target> $build/crashes/<target>/<file>)"
  exit 1
fi
