# shellcheck shell=bash
# Shared by the HTTP benchmarks (bench-http.sh, bench-tail.sh): `slabot serve` on a fresh database
# in a scratch folder, with one generic-webhook connection load_gen signs for, and how to pin
# load_gen. Source it from the repository's root; it defines functions only.

# bench_prepare: the built programs ($slabot, $load_gen; exits 2 without them) and a scratch
# folder ($work), removed at exit with every process whose pid the caller adds to $pids.
bench_prepare() {
  slabot=./build/app/slabot
  load_gen=./build/bench/load_gen
  [[ -x $slabot && -x $load_gen ]] || { echo "$(basename "$0"): build first (./scripts/build.sh)" >&2; exit 2; }
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# write_bench_config FOLDER PORT: the config, into FOLDER/config.json (the database beside it).
write_bench_config() {
  local folder=$1 port=$2
  export SLABOT_GENERIC_SECRET=bench-secret
  cat > "$folder/config.json" <<JSON
{
  "listen": "127.0.0.1:$port",
  "database": "$folder/slabot.db",
  "tenants": [{"id": "acme", "name": "Acme", "package": "premium", "tam": "alice"}],
  "staff": [
    {"id": "wei", "name": "Wei", "role": "engineer", "on_duty": true, "ids": {"generic": "u-wei"}},
    {"id": "alice", "name": "Alice", "role": "tam", "ids": {"generic": "u-alice"}}
  ],
  "connections": [{"name": "hooks", "adapter": "generic", "secrets": {"secret": "\${SLABOT_GENERIC_SECRET}"},
                   "outbound_url": "http://127.0.0.1:9/unused"}],
  "channels": [{"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"},
               {"connection": "hooks", "chat_id": "support", "support": true}],
  "http": {"max_connections": 1024}
}
JSON
}

wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): nothing listens on $1" >&2
  exit 1
}

# port_free PORT...: exits when something already listens on one of them (a benchmark left
# running, say), which would otherwise be measured in place of the server started next.
port_free() {
  local port  # not the caller's $port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$(basename "$0"): port $port is in use; stop what listens there first" >&2
      exit 1
    fi
  done
}

# serve_started PID PORT: waits for PORT, and makes sure PID, the serve just started, still runs.
serve_started() {
  wait_for_port "$2"
  if ! kill -0 "$1" 2>/dev/null; then
    echo "$(basename "$0"): slabot serve exited; its log:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
}

# The prefix that runs load_gen on the last CPU, servers left to the kernel. Unpinned, the kernel
# wakes load_gen on the CPU of the server thread that just answered it, where it preempts that
# thread, while the other CPU may sit idle (README, Benchmarks, "2026-12-05 (session 14)"). Pinned,
# load_gen still takes its share of the same cores; it no longer ping-pongs with the server.
# Empty (unpinned) with one CPU or without taskset.
load_gen_pin() {
  local cpus
  cpus=$(nproc)
  if ((cpus > 1)) && command -v taskset >/dev/null; then
    echo "taskset -c $((cpus - 1))"
  fi
}
