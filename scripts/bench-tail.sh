#!/usr/bin/env bash
# Where an open loop's tail comes from (issue 10): durable signed /open at an offered rate on a
# fresh database, each request's latency lined up with the database's fsyncs. load_gen writes
# every counted request's intended time and latency (--trace); `perf record -k mono` catches the
# server's fdatasync/fsync calls on the same clock. Prints the latency percentiles, the syncs'
# (per file), and how many of the requests at or over p99 were waiting while a slow sync ran,
# beside the same share with the syncs moved in time (what chance alone gives). Needs a build
# and, for the syncs, perf (linux-perf) allowed to trace syscalls, which on Debian means root;
# without it the script says so and prints the latency alone.
#
#   ./scripts/bench-tail.sh [offered per second, default 10000] [whole seconds, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-10000}
seconds=${2:-6}
[[ $rate =~ ^[1-9][0-9]*$ && $seconds =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench-tail.sh [offered per second] [whole seconds]" >&2; exit 2; }
slow_ms=2  # a sync this long or longer is "slow": several times this disk's median
# shellcheck source=scripts/lib/bench-serve.sh
source scripts/lib/bench-serve.sh
bench_prepare

port=18080
write_bench_config "$work" "$port"
read -r -a pin <<<"$(load_gen_pin)"

port_free "$port"
sync  # no other writer's dirty pages in the first fsyncs
"$slabot" serve --config "$work/config.json" 2>"$work/serve.log" &
serve=$!
pids+=("$serve")
serve_started "$serve" "$port"

events=()
for call in fdatasync fsync; do events+=(-e "syscalls:sys_enter_$call" -e "syscalls:sys_exit_$call"); done
perf_pid=""
if command -v perf >/dev/null &&
  perf record -q -k mono "${events[@]}" -o "$work/probe.data" -- true >/dev/null 2>&1; then
  # Until load_gen is done and every answer is in, then stopped with SIGINT (as perf expects).
  perf record -q -k mono "${events[@]}" -p "$serve" -o "$work/sync.data" >/dev/null 2>"$work/perf.err" &
  perf_pid=$!
  sleep 0.3  # attached before the first request
else
  echo "bench-tail: perf cannot trace syscalls here (install linux-perf and run as root, or lower" \
    "kernel.perf_event_paranoid and open tracefs to this user); latency only" >&2
fi

"${pin[@]}" "$load_gen" --port "$port" --workload open --rate "$rate" --connections 256 \
  --seconds "$seconds" --json --trace "$work/trace.txt" >"$work/run.json" 2>/dev/null || true

# Which file each descriptor is, while serve still holds them.
for fd in /proc/"$serve"/fd/*; do echo "${fd##*/} $(readlink "$fd")"; done >"$work/fds.txt"
: >"$work/sync.txt"
if [[ -n $perf_pid ]]; then
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" || true
  perf script -i "$work/sync.data" -F tid,time,event,trace >"$work/sync.txt" 2>>"$work/perf.err" || true
  if [[ ! -s $work/sync.txt ]]; then
    echo "bench-tail: perf recorded no sync; its errors:" >&2
    cat "$work/perf.err" >&2
  fi
fi
[[ -s $work/run.json ]] || { echo "bench-tail: load_gen gave no result" >&2; exit 1; }

python3 - "$work/trace.txt" "$work/sync.txt" "$work/fds.txt" "$work/run.json" "$slow_ms" <<'PY'
import bisect, json, math, os, sys
trace_path, sync_path, fds_path, run_path, slow_ms = sys.argv[1:6]
slow_ms = float(slow_ms)
run = json.load(open(run_path))
requests = sorted(tuple(map(float, line.split())) for line in open(trace_path) if not line.startswith('#'))
names = {}
for line in open(fds_path):
    fd, _, target = line.strip().partition(' ')
    names[fd] = os.path.basename(target)

def pct(values, p):  # nearest rank, as load_gen's
    return values[min(len(values) - 1, max(0, math.ceil(len(values) * p / 100) - 1))] if values else 0.0

latencies = sorted(r[1] for r in requests)
bad = run['requests'] - run['ok'] + run['transport_errors']
if bad:
    print(f"{bad} of {run['requests']} requests not answered 200 with a ticket opened (statuses {run['statuses']}, "
          f"{run['unexpected_replies']} other replies): the figures below are not "
          "of durable opens", file=sys.stderr)
print(f"offered {run['offered_per_s']:.0f}/s, answered {run['per_s']:.0f}/s; {len(requests)} counted requests: "
      f"p50 {pct(latencies, 50):.2f} ms, p99 {pct(latencies, 99):.2f} ms, p99.9 {pct(latencies, 99.9):.2f} ms, "
      f"max {latencies[-1] if latencies else 0:.2f} ms; the generator's own lateness p99 {run['send_lag_p99_ms']:.2f} ms")

syncs = []  # (start ms, duration ms, file)
started = {}  # by thread: a sync's entry, until its exit
for line in open(sync_path):
    fields = line.split()
    if len(fields) < 3:
        continue
    tid, at, event = fields[0], float(fields[1].rstrip(':')) * 1000, fields[2]
    if 'sys_enter_' in event:
        started[tid] = (at, str(int(fields[-1], 16)))
    elif 'sys_exit_' in event and tid in started:
        began, fd = started.pop(tid)
        syncs.append((began, at - began, names.get(fd, 'fd ' + fd)))
if not syncs:
    sys.exit(0)
syncs.sort()
for name in sorted({s[2] for s in syncs}):
    took = sorted(s[1] for s in syncs if s[2] == name)
    print(f"{name}: {len(took)} syncs, p50 {pct(took, 50):.2f} ms, p99 {pct(took, 99):.2f} ms, "
          f"p99.9 {pct(took, 99.9):.2f} ms, max {took[-1]:.2f} ms; {sum(t >= slow_ms for t in took)} of {slow_ms:g} ms or more")

# Requests inside the recorded span only. A request "waited across" a slow sync when one ran
# while it was outstanding (the two intervals overlap). A slow request overlaps more of anything
# by its length alone, so the same share is also taken with every slow sync moved by a fixed
# offset: what chance gives, for comparison.
first, last = syncs[0][0], max(s[0] + s[1] for s in syncs)
inside = [r for r in requests if first <= r[0] and r[0] + r[1] <= last]
slow = [(s[0], s[0] + s[1]) for s in syncs if s[1] >= slow_ms]
longest = max(e - s for s, e in slow) if slow else 0

def share(rs, shift=0.0):
    moved = sorted((s + shift, e + shift) for s, e in slow)
    starts = [s for s, _ in moved]
    def waited(r):
        begin, end = r[0], r[0] + r[1]
        i = bisect.bisect_left(starts, begin - longest)
        return any(s < end and begin < e for s, e in moved[i:bisect.bisect_right(starts, end)])
    return 100.0 * sum(map(waited, rs)) / len(rs)

if inside:
    cut = pct(sorted(r[1] for r in inside), 99)
    tail = [r for r in inside if r[1] >= cut]
    shifts = (-250.0, -100.0, 100.0, 250.0)
    chance = sum(share(tail, d) for d in shifts) / len(shifts)
    print(f"of the {len(tail)} requests at or over p99 ({cut:.2f} ms) while perf watched, {share(tail):.0f}% were "
          f"waiting while a sync of {slow_ms:g} ms or more ran ({chance:.0f}% with the syncs moved 100-250 ms, "
          f"by chance); of all {len(inside)}, {share(inside):.0f}%")
PY
