#!/usr/bin/env bash
# Installs every Debian 12 package ispd needs to build, test and benchmark.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git clang libclang-rt-14-dev
  # the house rules CI checks (.ci/style)
  clang-format clang-tidy
  # libraries ispd links
  libzip-dev libxml2-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libssl-dev libcurl4-openssl-dev libgmime-3.0-dev libboost-dev libsqlitecpp-dev libsqlite3-dev
  libtomlplusplus-dev libkainjow-mustache-dev libxlsxwriter-dev libytnef0-dev
  # UK calendar days through summer time: the time-zone database and a reader of it
  libhowardhinnant-date-dev tzdata
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev pandoc hyperfine time zip unzip python3 fetchmail
  # systemd-analyze, to check the service's unit (deploy/systemd/)
  systemd
  # the monthly spreadsheet's test opens it in LibreOffice (headless)
  libreoffice-calc-nogui
  # the loopback mail stack (deploy/mail-stack.sh) for integration tests and the demo
  dovecot-core dovecot-imapd dovecot-lmtpd postfix openssl curl ca-certificates
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix would otherwise ask what kind of mail server this is; deploy/mail-stack.sh
# brings its own config, so the system-wide one stays unconfigured.
echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
# Keep the packages' postinst from starting a system-wide Postfix or Dovecot on
# ports 25/143: invoke-rc.d obeys policy-rc.d, and 101 means "do not start".
# A policy-rc.d that was already there (Docker images ship one) is left alone.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# temporary, from ispd deploy/install-deps.sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
