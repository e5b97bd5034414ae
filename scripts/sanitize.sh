#!/usr/bin/env bash
# Builds slabot and its tests under sanitizers and runs them (README, Sanitizers):
#   scripts/sanitize.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer, the whole suite (build-asan/)
#   scripts/sanitize.sh tsan   ThreadSanitizer, the tests of the concurrent parts (build-tsan/)
#   scripts/sanitize.sh all    both, asan first
# Any sanitizer report fails the run: the first one stops the process (halt_on_error), and ctest
# sees it fail. Extra arguments go to ctest (e.g. `-R test_outbox`, `-V`). Dependencies:
# scripts/install-deps.sh (g++ brings libasan8, libubsan1 and libtsan2 with it).
# SLABOT_SANITIZE_BUILD_SECONDS=N cuts the build off after N seconds and exits 3 without running
# a test (.ci/run's time budget); unset, the build takes what it takes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc 2>/dev/null || echo 2)

usage() { echo "usage: scripts/sanitize.sh asan|tsan|all [ctest arguments...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
which=$1
shift

# Build and run time, printed at the end of each run (the README's figures come from these).
seconds() { date +%s; }

# Reports go to files, one per process (<dir>/sanitizer-reports/<kind>.<pid>), not to stderr: the
# `slabot` processes that tests/app starts write their stderr to a log the test may never show,
# and tests of the command line compare stderr exactly. A report from any process, test or child,
# fails the run here, printed whole.
reports_dir() { echo "$root/$1/sanitizer-reports"; }
check_reports() {  # dir kind
  local dir
  dir=$(reports_dir "$1")
  if compgen -G "$dir/*" >/dev/null; then
    for report in "$dir"/*; do
      echo "==== $report"
      cat "$report"
    done
    echo "sanitize.sh $2: $(ls "$dir" | wc -l) sanitizer report(s), above" >&2
    return 1
  fi
}
fresh_reports() { rm -rf "$(reports_dir "$1")"; mkdir -p "$(reports_dir "$1")"; }

configure_and_build() {  # dir sanitize targets...
  local dir=$1 sanitize=$2
  shift 2
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLABOT_SANITIZE="$sanitize" >/dev/null
  local target_args=()
  for t in "$@"; do target_args+=(--target "$t"); done
  local budget=${SLABOT_SANITIZE_BUILD_SECONDS:-}
  if [ -z "$budget" ]; then
    cmake --build "$dir" -j "$jobs" "${target_args[@]}"
    return
  fi
  # timeout signals the whole build (make and its compilers), and says 124 when it did.
  local status=0
  timeout "$budget" cmake --build "$dir" -j "$jobs" "${target_args[@]}" || status=$?
  if [ "$status" -eq 124 ]; then
    echo "sanitize.sh: the build did not finish in its $budget s (SLABOT_SANITIZE_BUILD_SECONDS); no test run" >&2
    return 3
  fi
  return "$status"
}

# Timing slack (tests/support/test_timing.hpp): the few tests that check how long something takes
# stretch all their durations together by this factor, delays, bounds and the limits those are
# checked against alike, so they check the same thing on a slower clock.
run_asan() {
  export SLABOT_TEST_TIME_SCALE=${SLABOT_TEST_TIME_SCALE:-2}
  local dir=build-asan start built done
  start=$(seconds)
  configure_and_build "$dir" address all || return $?
  built=$(seconds)
  # halt_on_error: stop at the first report (the build also has -fno-sanitize-recover=all).
  # detect_leaks: LeakSanitizer at exit, the spawned slabot binary (tests/app) included.
  # check_initialization_order/strict_init_order: static initialisers that read another file's.
  # No suppressions: nothing third-party has needed one.
  fresh_reports "$dir"
  local log
  log=$(reports_dir "$dir")
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:log_path=$log/asan"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$log/ubsan"
  # packaging_dockerfile checks that the release binary's libraries are what the runtime image
  # installs; a sanitized binary also loads libasan and libubsan, which the image rightly lacks.
  # The release suite (scripts/test.sh) runs it.
  local status=0
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" -E '^packaging_dockerfile$' "$@" || status=$?
  done=$(seconds)
  check_reports "$dir" asan || status=1
  echo "sanitize.sh asan: build $((built - start)) s, tests $((done - built)) s"
  return $status
}

# The tests of the concurrent parts, the ones ThreadSanitizer runs:
#   test_storage        the store's writer thread and group commit, read while it writes
#   test_bot            the HTTP server: connections, pressure, idle limits, shutdown
#   test_bot_runtime    the dispatcher, the SLA scheduler, the generic webhook end to end
#   test_http_client    the outbound HTTP client: its event loop, pool, and teardown
#   test_outbox         the outbox worker over the real client and store
#   test_bot_wiring     the runtime wired as serve wires it (scheduler, outbox, pruner threads)
#   test_metrics        counters updated from every thread, the store gauges' own thread
#   test_e2e_platforms  server, dispatcher, store and outbox together, per platform
#   test_bot_stream     the stream supervisor's threads, the WebSocket client, each platform's
#                       session against its fake gateway (connect, drop, reconnect, stop)
#   test_stream_telegram  Telegram's long poll, stopped while a poll is outstanding
#   test_app_crash, test_app_stop, test_app_cli   the real `slabot serve` (built with TSan too)
# Left out: test_domain, test_config, test_commands and the test_adapter* executables run one
# thread over pure code (parsing, signing, rendering), where there is no race to find; ASan and
# UBSan cover them. The packaging checks test the release binary's packaging, not the code.
tsan_tests=(test_storage test_bot test_bot_runtime test_http_client test_outbox test_bot_wiring
            test_metrics test_e2e_platforms test_bot_stream test_stream_telegram test_app_crash test_app_stop
            test_app_cli)

run_tsan() {
  export SLABOT_TEST_TIME_SCALE=${SLABOT_TEST_TIME_SCALE:-4}
  local dir=build-tsan start built done
  start=$(seconds)
  configure_and_build "$dir" thread slabot "${tsan_tests[@]}" || return $?
  built=$(seconds)
  # halt_on_error: the first race fails the test. second_deadlock_stack: both stacks of a
  # lock-order inversion. The suppressions file is for third-party false positives only; each
  # entry says why.
  fresh_reports "$dir"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/tsan.supp:log_path=$(reports_dir "$dir")/tsan"
  local regex status=0
  regex="^($(IFS='|'; echo "${tsan_tests[*]}"))\$"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" -R "$regex" "$@" || status=$?
  done=$(seconds)
  check_reports "$dir" tsan || status=1
  echo "sanitize.sh tsan: build $((built - start)) s, tests $((done - built)) s"
  return $status
}

case $which in
  asan)
    status=0
    run_asan "$@" || status=$?
    exit $status
    ;;
  tsan)
    status=0
    run_tsan "$@" || status=$?
    exit $status
    ;;
  all)
    status=0
    run_asan "$@" || status=1
    run_tsan "$@" || status=1
    exit $status
    ;;
  *) usage ;;
esac
