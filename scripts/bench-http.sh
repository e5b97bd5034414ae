#!/usr/bin/env bash
# The webhook server's throughput and latency, in one go (issue 10): the ceiling (a plain Beast
# keep-alive server answering 200, in load_gen), then slabot's /healthz, durable signed /open at
# 64 and 256 connections, /open at an offered 10,000/s (open loop), /ack, and a mixed chat
# workload; each with its ratio to the ceiling. The load generator runs on this machine too, on
# one thread, pinned to the last CPU (scripts/lib/bench-serve.sh says why). Needs a build
# (./scripts/build.sh). Prints a markdown table; "not ok" counts the answers that were not 200
# with the reply of the work done (load_gen: a refusal, or a 200 from something else), and
# "counted" how long a row measured (/ack ends early when its prepared tickets run out).
#
#   ./scripts/bench-http.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
# shellcheck source=scripts/lib/bench-serve.sh
source scripts/lib/bench-serve.sh
bench_prepare

port=18080
ceiling_port=18090
write_bench_config "$work" "$port"
read -r -a pin <<<"$(load_gen_pin)"

port_free "$port" "$ceiling_port"
"$load_gen" --serve-ceiling "$ceiling_port" 2>/dev/null &
pids+=($!)
"$slabot" serve --config "$work/config.json" 2>"$work/serve.log" &
pids+=($!)
wait_for_port "$ceiling_port"
serve_started "${pids[-1]}" "$port"

run() {  # label, port, load_gen arguments...
  local label=$1 target=$2
  shift 2
  local json
  json=$("${pin[@]}" "$load_gen" --port "$target" --seconds "$seconds" --json "$@" 2>"$work/load_gen.err") || true
  # Why a row failed or ended early, under the table (load_gen's own lines but its progress).
  grep -v "opening .* tickets first\|ceiling server on" "$work/load_gen.err" |
    while IFS= read -r line; do printf '%s: %s\n' "$label" "$line"; done >>"$work/notes.txt" || true
  echo "$label|$json"
}

results=()
results+=("$(run "ceiling: plain Beast server, 200, 64 connections" "$ceiling_port" --workload healthz --connections 64)")
results+=("$(run "slabot GET /healthz, 64 connections" "$port" --workload healthz --connections 64)")
# Mixed first, while the database holds only its 1,000 prepared tickets: /list and /sla read a
# tenant's open tickets, and the /open runs below leave some 400,000 of them. The open loop next,
# while the database is still small (some 17,000 tickets; a desk has hundreds active): with
# 450,000 its p99 roughly doubled (README, Benchmarks, "2026-12-05 (session 14)").
results+=("$(run "slabot mixed chat (open, show, list, note, sla, ack), 64 connections" "$port" --workload mixed --connections 64)")
results+=("$(run "slabot signed /open, offered 10,000/s (open loop), 256 connections" "$port" --workload open --rate 10000 --connections 256)")
results+=("$(run "slabot signed /open, 64 connections" "$port" --workload open --connections 64)")
results+=("$(run "slabot signed /open, 256 connections" "$port" --workload open --connections 256)")
results+=("$(run "slabot signed /ack, 64 connections" "$port" --workload ack --connections 64)")

# "sent late": open loop, how late the generator's pacer sent a request, p99 (up to its 0.5 ms
# tick, more when it had no CPU in time): part of the latency beside it, and none of the server's
# doing. "-" in a closed loop.
echo "| run | requests/s | of the ceiling | p50 | p99 | p99.9 | max | sent late (p99) | not ok | counted |"
echo "|---|---|---|---|---|---|---|---|---|---|"
ceiling=""
for line in "${results[@]}"; do
  label=${line%%|*}
  json=${line#*|}
  if [[ -z $json ]]; then
    echo "| $label | failed | | | | | | | | |"
    continue
  fi
  python3 - "$label" "$json" "${ceiling:-0}" <<'PY'
import json, sys
label, data, ceiling = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
ratio = f"{data['per_s'] / ceiling:.2f}" if ceiling else "1.00"
bad = data['requests'] - data['ok'] + data['transport_errors']
late = f"{data['send_lag_p99_ms']:.2f} ms" if data['mode'] == 'open' else "-"
print(f"| {label} | {data['per_s']:,.0f} | {ratio} | {data['p50_ms']:.2f} ms | {data['p99_ms']:.2f} ms | "
      f"{data['p999_ms']:.2f} ms | {data['max_ms']:.2f} ms | {late} | {bad} | {data['counted_s']:.1f} s |")
PY
  [[ -z $ceiling ]] && ceiling=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["per_s"])' "$json")
done
echo
[[ -s $work/notes.txt ]] && cat "$work/notes.txt" && echo
echo "($(nproc) cores, load_gen ${pin[*]:-unpinned}, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $seconds s a run after 1 s of warm-up; $(date -u +%F))"
