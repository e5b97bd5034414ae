#!/usr/bin/env bash
# Builds the Debian package (cpack -G DEB) into build/package/ and checks it: the control fields,
# every file where it belongs with its mode and nothing else, the shipped unit and config as in the
# tree, the binary runs and accepts the shipped config, and lintian's findings when lintian is
# installed (errors fail; the rest are printed). Needs the build's dependencies
# (scripts/install-deps.sh); lintian is optional (apt-get install lintian).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "package: FAIL: $*" >&2; exit 1; }

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target slabot slabot_deb_changelog -j "$(nproc 2>/dev/null || echo 2)"
rm -rf build/package
(cd build && cpack -G DEB -B package >/dev/null)
debs=(build/package/slabot_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one build/package/slabot_*.deb"
deb=${debs[0]}
echo "package: built $deb"

# Control fields. Depends comes from dpkg-shlibdeps (the libraries the binary links) plus adduser
# and tzdata.
info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = slabot ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = net ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
dep_names=$(sed 's/ *([^)]*)//g; s/, */\n/g' <<<"$depends")
for dep in adduser libc6 libstdc++6 libssl3 libsqlite3-0 libfmt9 libspdlog1.10-fmt9 libedit2 libdate-tz3 tzdata; do
  grep -qxF "$dep" <<<"$dep_names" || fail "Depends lacks $dep: $depends"
done
control_members=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
for member in postinst prerm postrm conffiles; do
  grep -qxF "./$member" <<<"$control_members" || fail "no $member in the control archive"
done
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
[ "$conffiles" = $'/etc/slabot/slabot.json\n/etc/slabot/slabot.env' ] || fail "conffiles are: $conffiles"
echo "package: Version $(field Version), Architecture $(field Architecture)"
echo "package: Depends: $depends"

# Files: exactly these, owned by root, with these modes.
expected=$(cat <<'LIST'
-rw------- root/root ./etc/slabot/slabot.env
-rw-r--r-- root/root ./etc/slabot/slabot.json
-rw-r--r-- root/root ./lib/systemd/system/slabot.service
-rwxr-xr-x root/root ./usr/bin/slabot
-rw-r--r-- root/root ./usr/share/doc/slabot/FORMAT.md
-rw-r--r-- root/root ./usr/share/doc/slabot/README.md
-rw-r--r-- root/root ./usr/share/doc/slabot/changelog.Debian.gz
-rw-r--r-- root/root ./usr/share/doc/slabot/copyright
-rw-r--r-- root/root ./usr/share/lintian/overrides/slabot
LIST
)
actual=$(dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ {print $1, $2, $6}' | sort -k3)
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  fail "the package's files differ from the list above (- expected, + packaged)"
fi
echo "package: $(wc -l <<<"$actual") files, each where it belongs"

# What it ships: the unit and config as in the tree; a stripped binary that runs and accepts the
# shipped config (given its secret).
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
cmp -s "$root/lib/systemd/system/slabot.service" packaging/slabot.service || fail "the unit differs from packaging/slabot.service"
cmp -s "$root/etc/slabot/slabot.json" config/example.json || fail "slabot.json differs from config/example.json"
file "$root/usr/bin/slabot" 2>/dev/null | grep -q 'not stripped' && fail "usr/bin/slabot is not stripped"
"$root/usr/bin/slabot" --version >/dev/null || fail "usr/bin/slabot --version failed"
SLABOT_GENERIC_SECRET=package-check "$root/usr/bin/slabot" check-config "$root/etc/slabot/slabot.json" >/dev/null \
  || fail "the shipped /etc/slabot/slabot.json does not pass check-config"
echo "package: unit and config as in the tree; the binary runs and accepts the shipped config"

if command -v lintian >/dev/null; then
  echo "package: lintian:"
  findings=$(lintian --display-info "$deb" 2>&1 | grep -v "running with root privileges" || true)
  if [ -n "$findings" ]; then sed 's/^/  /' <<<"$findings"; else echo "  no findings"; fi
  grep -q '^E: ' <<<"$findings" && fail "lintian reports errors"
else
  echo "package: lintian not installed; skipped (apt-get install lintian)"
fi
echo "package: OK $deb"
