#!/usr/bin/env bash
# The systemd unit is one systemd accepts without a word, and as closed as ispd allows:
# `systemd-analyze verify` prints nothing, and `systemd-analyze security` scores its
# exposure at most 2.0 (of 10). The built ispd stands in for /usr/local/bin/ispd.
#   tests/deploy/systemd_unit_test.sh UNIT ISPD
set -euo pipefail
unit="$1" ispd="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is missing (Debian's systemd package)" >&2
  exit 1
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/local/bin/ispd|$ispd|g" "$unit" >"$dir/ispd.service"
said="$(systemd-analyze verify --man=no "$dir/ispd.service" 2>&1)" || { echo "$said" >&2; exit 1; }
if [ -n "$said" ]; then
  echo "systemd-analyze verify has something to say about $unit:" >&2
  echo "$said" >&2
  exit 1
fi
if ! systemd-analyze security --offline=yes --threshold=20 "$dir/ispd.service" >"$dir/security.txt" 2>&1; then
  tail -n 40 "$dir/security.txt" >&2
  echo "$unit is more exposed than 2.0" >&2
  exit 1
fi
tail -n 1 "$dir/security.txt"
