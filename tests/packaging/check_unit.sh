#!/usr/bin/env bash
# Checks packaging/slabot.service with systemd's own tools, offline:
#   - `systemd-analyze verify` on a copy whose ExecStart points at the built binary (verify needs
#     the command to exist); any message about the unit fails, as verify exits 0 on unknown keys
#     and bad values ("ignoring"), which systemd would then silently drop;
#   - the same check on a deliberately broken copy must complain, or the check above proves nothing;
#   - `systemd-analyze security --offline=yes` must rate the unit's exposure 2.0 or less (it is 1.1),
#     so dropping a hardening line fails here.
# Usage: check_unit.sh UNIT BINARY. Exit 77 (ctest: skipped) without systemd-analyze.
set -uo pipefail
unit=$1
binary=$(readlink -f "$2")

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed; the unit was not checked"
  exit 77
fi
[ -f "$unit" ] || { echo "FAIL: no unit at $unit"; exit 1; }
[ -x "$binary" ] || { echo "FAIL: no executable at $binary"; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
name=$(basename "$unit")

# verify UNITFILE: prints what systemd-analyze says about it; fails on any of it.
verify() {
  local out rc
  out=$(systemd-analyze verify --man=no "$1" 2>&1)
  rc=$?
  # Only lines about this unit count (a machine's other units may draw their own warnings).
  local ours
  ours=$(grep -F -e "$name" -e "$(dirname "$1")" <<<"$out")
  if [ $rc -ne 0 ] || [ -n "$ours" ]; then
    printf '%s\n' "${ours:-$out}"
    return 1
  fi
  return 0
}

sed "s#/usr/bin/slabot#${binary}#g" "$unit" >"$dir/$name"
if ! grep -q "^ExecStart=${binary} serve --config /etc/slabot/slabot.json$" "$dir/$name"; then
  echo "FAIL: ExecStart is not '/usr/bin/slabot serve --config /etc/slabot/slabot.json'"
  exit 1
fi
if ! grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$dir/$name"; then
  echo "FAIL: no 'ExecReload=/bin/kill -HUP \$MAINPID' (serve reloads its config on SIGHUP)"
  exit 1
fi
echo "systemd-analyze verify $name (ExecStart -> $binary):"
if ! verify "$dir/$name"; then
  echo "FAIL: systemd-analyze verify complains about $name"
  exit 1
fi
echo "  no complaint"

mkdir "$dir/broken"
{ cat "$dir/$name"; printf '[Service]\nProtectSystem=stricty\n'; } >"$dir/broken/$name"
if verify "$dir/broken/$name" >/dev/null; then
  echo "FAIL: systemd-analyze verify did not notice a bad value; this check is blind here"
  exit 1
fi
echo "  (a copy with ProtectSystem=stricty is caught)"

if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  out=$(systemd-analyze security --offline=yes --threshold=20 "$dir/$name" 2>&1)
  rc=$?
  grep -F 'Overall exposure level' <<<"$out" | sed 's/^/  /'
  if [ $rc -ne 0 ]; then
    echo "FAIL: exposure above 2.0; the lines marked ✗ above the total:"
    grep -F '✗' <<<"$out"
    exit 1
  fi
else
  echo "  (this systemd-analyze has no 'security --offline': exposure not rated)"
fi
echo "PASS"
