#!/usr/bin/env bash
# The Dockerfile cannot be built here (no container engine), so what can go stale in it is checked
# against the tree and the built binary:
#   - the runtime stage installs the Debian package of every shared library the binary loads
#     (ldd, dpkg -S), except those debian:bookworm-slim already has, and tzdata (the zones it reads);
#   - every COPY source exists, the config the CMD serves is the one copied, the port is one
#     (ENV SLABOT_PORT = EXPOSE, the HEALTHCHECK asks ${SLABOT_PORT}), the image runs as non-root;
#   - packaging/docker.json passes `slabot check-config` and listens on 0.0.0.0:${SLABOT_PORT};
#   - .dockerignore keeps a host build/ (a CMakeCache.txt for another path) out of the context.
# Usage: check_dockerfile.sh SOURCE_DIR BINARY.
set -uo pipefail
src=$1
binary=$2
dockerfile=$src/Dockerfile
status=0
fail() { echo "FAIL: $*"; status=1; }

# The runtime stage: from the last FROM on.
runtime=$(awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END {printf "%s", stage}' "$dockerfile")
[ "$(grep -c '^FROM ' "$dockerfile")" -ge 2 ] || fail "not a multi-stage build"
grep -q '^FROM debian:bookworm-slim' <<<"$runtime" || fail "the runtime stage is not FROM debian:bookworm-slim"

# Its apt-get install line (continuations joined).
installed=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' <<<"$runtime" \
  | grep -o 'apt-get install [^&]*' | tr ' ' '\n' | grep -v -e '^-' -e '^apt-get$' -e '^install$' -e '^$')
echo "runtime packages: $(echo $installed)"
if command -v ldd >/dev/null && command -v dpkg >/dev/null; then
  base="libc6 libgcc-s1 libstdc++6"  # in debian:bookworm-slim (apt needs them)
  libs=$(ldd "$binary" | awk '$3 ~ /^\// {print $3}')
  # One dpkg -S for all (each call reads dpkg's whole database): each library as ldd names it and
  # as resolved, as dpkg knows a file by one of its paths only (usrmerge).
  owners=$(for lib in $libs; do echo "$lib"; readlink -f "$lib"; done | sort -u | xargs dpkg -S 2>/dev/null)
  for lib in $libs; do
    pkg=$(grep -F -e ": $lib" -e ": $(readlink -f "$lib")" <<<"$owners" | head -1)
    pkg=${pkg%%:*}
    [ -n "$pkg" ] || { fail "no Debian package owns $lib"; continue; }
    grep -qw -- "$pkg" <<<"$base" && continue
    grep -qxF -- "$pkg" <<<"$installed" || fail "the binary loads $lib from $pkg, which the runtime stage does not install"
  done
else
  echo "(no ldd or dpkg: the runtime libraries were not checked)"
fi

# Files the binary reads rather than links: the tz database (bookworm-slim has none).
grep -qxF tzdata <<<"$installed" || fail "the runtime stage does not install tzdata, the time zones the binary reads"

for source in $(grep -E '^COPY ' "$dockerfile" | grep -v -- '--from=' | awk '{for (i = 2; i < NF; i++) print $i}'); do
  [ "$source" = . ] || [ -e "$src/$source" ] || fail "COPY $source: no such file in the tree"
done
config=$(grep -E '^COPY packaging/docker.json ' "$dockerfile" | awk '{print $3}')
grep -qF "CMD [\"serve\", \"--config\", \"$config\"]" "$dockerfile" || fail "CMD does not serve the copied config ($config)"
port=$(sed -n 's/^ENV SLABOT_PORT=\([0-9]*\)$/\1/p' "$dockerfile")
grep -qx "EXPOSE $port" "$dockerfile" || fail "EXPOSE is not ENV SLABOT_PORT ($port)"
grep -A1 '^HEALTHCHECK' "$dockerfile" | grep -qF 'http://127.0.0.1:${SLABOT_PORT}/healthz' || fail "HEALTHCHECK does not ask /healthz on \${SLABOT_PORT}"
grep -qw curl <<<"$installed" || fail "HEALTHCHECK needs curl, which the runtime stage does not install"
user=$(grep -E '^USER ' "$dockerfile" | tail -1 | awk '{print $2}')
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "the image runs as root"
grep -qx 'STOPSIGNAL SIGTERM' "$dockerfile" || fail "no STOPSIGNAL SIGTERM"
grep -qx 'build\*/' "$src/.dockerignore" 2>/dev/null || fail ".dockerignore does not keep build*/ out of the context"

listen=$(grep -o '"listen": *"[^"]*"' "$src/packaging/docker.json")
[ "$listen" = '"listen": "0.0.0.0:${SLABOT_PORT}"' ] || fail "packaging/docker.json: $listen, not 0.0.0.0:\${SLABOT_PORT}"
if ! out=$(SLABOT_PORT=$port SLABOT_GENERIC_SECRET=docker-check "$binary" check-config "$src/packaging/docker.json" 2>&1); then
  fail "packaging/docker.json does not pass check-config: $out"
fi

[ $status -eq 0 ] && echo PASS
exit $status
