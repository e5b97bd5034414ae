#!/usr/bin/env bash
# Where an open loop's tail comes from (issue 10): durable signed /open at an offered rate on a
# fresh database, each request's latency lined up with the database's fsyncs. load_gen writes
# every counted request's intended time and latency (--trace); `perf record -k mono` catches the
# server's fdatasync/fsync calls on the same clock. Prints the latency percentiles, the syncs'
# (per file), and how many of the requests at or over p99 were waiting while a slow sync ran, next
# to that share among all requests. Needs a build and, for the syncs, perf (linux-perf) allowed to
# trace syscalls; without it the script says so and prints the latency alone.
#
#   ./scripts/bench-tail.sh [offered per second, default 10000] [seconds, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-10000}
seconds=${2:-6}
slow_ms=2  # a sync this long or longer is "slow": several times this disk's median
# shellcheck source=scripts/lib/bench-serve.sh
source scripts/lib/bench-serve.sh
bench_prepare

port=18080
write_bench_config "$work" "$port"
read -r -a pin <<<"$(load_gen_pin)"

sync  # no other writer's dirty pages in the first fsyncs
"$slabot" serve --config "$work/config.json" 2>"$work/serve.log" &
serve=$!
pids+=("$serve")
wait_for_port "$port"

events=()
for call in fdatasync fsync; do events+=(-e "syscalls:sys_enter_$call" -e "syscalls:sys_exit_$call"); done
perf_ok=0
if command -v perf >/dev/null &&
  perf record -q -k mono "${events[@]}" -o "$work/probe.data" -- true >/dev/null 2>&1; then
  perf record -q -k mono "${events[@]}" -p "$serve" -o "$work/sync.data" -- sleep $((seconds + 2)) \
    >/dev/null 2>"$work/perf.err" &
  perf_pid=$!
  perf_ok=1
  sleep 0.3  # attached before the first request
else
  echo "bench-tail: perf cannot trace syscalls here (install linux-perf, or allow it:" \
    "kernel.perf_event_paranoid); latency only" >&2
fi

"${pin[@]}" "$load_gen" --port "$port" --workload open --rate "$rate" --connections 256 \
  --seconds "$seconds" --json --trace "$work/trace.txt" >"$work/run.json" 2>/dev/null || true

# Which file each descriptor is, while serve still holds them.
for fd in /proc/"$serve"/fd/*; do echo "${fd##*/} $(readlink "$fd")"; done >"$work/fds.txt"
if ((perf_ok)); then
  wait "$perf_pid" || true
  perf script -i "$work/sync.data" -F time,event,trace >"$work/sync.txt" 2>/dev/null
else
  : >"$work/sync.txt"
fi

python3 - "$work/trace.txt" "$work/sync.txt" "$work/fds.txt" "$work/run.json" "$slow_ms" "$perf_ok" <<'PY'
import bisect, json, math, os, sys
trace_path, sync_path, fds_path, run_path, slow_ms, perf_ok = sys.argv[1:7]
slow_ms = float(slow_ms)
run = json.load(open(run_path))
requests = sorted(tuple(map(float, line.split())) for line in open(trace_path) if not line.startswith('#'))
names = {}
for line in open(fds_path):
    fd, _, target = line.strip().partition(' ')
    names[fd] = os.path.basename(target)

def pct(values, p):
    return values[min(len(values) - 1, max(0, math.ceil(len(values) * p / 100) - 1))] if values else 0.0

latencies = sorted(r[1] for r in requests)
print(f"offered {run['offered_per_s']:.0f}/s, answered {run['per_s']:.0f}/s; {len(requests)} counted requests: "
      f"p50 {pct(latencies, 50):.2f} ms, p99 {pct(latencies, 99):.2f} ms, p99.9 {pct(latencies, 99.9):.2f} ms, "
      f"max {latencies[-1] if latencies else 0:.2f} ms; the generator's own lateness p99 {run['send_lag_p99_ms']:.2f} ms")
if perf_ok != "1":
    sys.exit(0)

syncs = []  # (start ms, duration ms, file)
started = {}
for line in open(sync_path):
    fields = line.split()
    if len(fields) < 2:
        continue
    at = float(fields[0].rstrip(':')) * 1000
    if 'sys_enter_' in fields[1]:
        started = {'at': at, 'fd': str(int(fields[-1], 16))}
    elif 'sys_exit_' in fields[1] and started:
        syncs.append((started['at'], at - started['at'], names.get(started['fd'], 'fd ' + started['fd'])))
        started = {}
if not syncs:
    print("no fsync seen: perf recorded nothing (see its errors)")
    sys.exit(0)
for name in sorted({s[2] for s in syncs}):
    took = sorted(s[1] for s in syncs if s[2] == name)
    print(f"{name}: {len(took)} syncs, p50 {pct(took, 50):.2f} ms, p99 {pct(took, 99):.2f} ms, "
          f"p99.9 {pct(took, 99.9):.2f} ms, max {took[-1]:.2f} ms; {sum(t >= slow_ms for t in took)} of {slow_ms:g} ms or more")

# Requests inside the recorded span only; a request "waited across" a slow sync when one ran
# while it was outstanding (the two intervals overlap).
first, last = syncs[0][0], syncs[-1][0] + syncs[-1][1]
inside = [r for r in requests if first <= r[0] and r[0] + r[1] <= last]
slow = sorted((s[0], s[0] + s[1]) for s in syncs if s[1] >= slow_ms)
starts = [s[0] for s in slow]
longest = max((s[1] for s in syncs), default=0)

def waited_across(request):
    begin, end = request[0], request[0] + request[1]
    i = bisect.bisect_left(starts, begin - longest)
    return any(s < end and begin < e for s, e in slow[i:bisect.bisect_right(starts, end)])

if inside:
    cut = pct(sorted(r[1] for r in inside), 99)
    tail = [r for r in inside if r[1] >= cut]
    share = lambda rs: 100.0 * sum(map(waited_across, rs)) / len(rs)
    print(f"of the {len(tail)} requests at or over p99 ({cut:.2f} ms) while perf watched, {share(tail):.0f}% were "
          f"waiting while a sync of {slow_ms:g} ms or more ran; of all {len(inside)}, {share(inside):.0f}%")
PY
