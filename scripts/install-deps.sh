#!/usr/bin/env bash
# Installs exactly the Debian packages slabot builds and tests with, and only when one is missing,
# so the quick start, CI and the Dockerfile share one list and a ready machine skips apt entirely.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-system-dev
  nlohmann-json3-dev
  libsqlite3-dev libsqlitecpp-dev
  libspdlog-dev
  prometheus-cpp-dev  # /metrics: only its core library is linked
  catch2
  prometheus  # its promtool checks the /metrics exposition in tests/bot/metrics
  libssl-dev openssl
  libedit-dev  # the console's line editing and history on a terminal
  libgoogle-perftools-dev  # tcmalloc, the allocator slabot and the benchmarks link (CMakeLists.txt says why)
  libprotobuf-dev protobuf-compiler  # Lark's long connection frames (adapters/lark/lark_ws_frame.proto, protoc at build time)
  # The fuzz targets (fuzz/, scripts/fuzz.sh; a short run in the suite with SLABOT_FUZZ_SMOKE=1): clang and its
  # sanitizer and libFuzzer runtimes (on Debian 12 libclang-rt-dev is libclang-rt-14-dev, which
  # holds libclang_rt.fuzzer).
  clang libclang-rt-dev
  libhowardhinnant-date-dev tzdata  # time zones (date/tz.h, libdate-tz) and the zones it reads
  chromium  # tests/report: the HTML report opened headless, screenshotted, its console checked
  ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
