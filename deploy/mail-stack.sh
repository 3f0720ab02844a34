#!/usr/bin/env bash
# ispd's loopback mail stack for integration tests and the demo: a real Dovecot
# (IMAP, IMAPS) and Postfix (SMTP, submission with AUTH and STARTTLS) on
# 127.0.0.1 only, and an IMAP and a submission port that offer XOAUTH2 alone, as
# Microsoft 365 does, with a small OAuth2 server (token and introspection).
# Every address, whatever its domain, is delivered into a local Maildir, so a
# test mail to a council's real address never leaves the machine.
#
#   deploy/mail-stack.sh start   DIR      start (installs the packages if missing)
#   deploy/mail-stack.sh stop    DIR      stop exactly the daemons started in DIR
#   deploy/mail-stack.sh status  DIR      exit 0 running, 3 stopped, 1 half running
#   deploy/mail-stack.sh adduser DIR user@domain password
#   deploy/mail-stack.sh addtoken DIR user@domain token
#   deploy/mail-stack.sh addclient DIR client-id secret user@domain [seconds]
#
# DIR holds all state: configs, certificate, users, Maildirs, queue, pid files
# and logs; it is created if missing. After start, DIR/mail-stack.env holds the
# ports, the CA file and the test password for tests to source.
# Ports (set before start): MAIL_STACK_IMAP_PORT (14143), MAIL_STACK_IMAPS_PORT
# (14993), MAIL_STACK_SMTP_PORT (14025), MAIL_STACK_SUBMISSION_PORT (14587),
# MAIL_STACK_REFUSING_PORT (14026: SMTP that refuses tempfail-* with 450, and
# every message after MAIL_STACK_REFUSING_LIMIT (6) a minute). On every port,
# recipients named reject-* are refused with 550.
# XOAUTH2 only: MAIL_STACK_XOAUTH2_IMAP_PORT (14144: a second Dovecot, whose
# oauth2 passdb asks the OAuth2 server), MAIL_STACK_XOAUTH2_SUBMISSION_PORT
# (14588: STARTTLS, then AUTH XOAUTH2 through that Dovecot), and
# MAIL_STACK_OAUTH2_PORT (14080: deploy/mail-stack/oauth2-server.py, plain http,
# POST /token for the client-credentials grant and /introspect for Dovecot). A
# token is valid for the user addtoken names; a client added with addclient
# gets new tokens for its user from /token, lasting SECONDS (3599).
# MAIL_STACK_PASSWORD (ispd-test) is the default users' password;
# MAIL_STACK_USERS (deploy/mail-stack/users.txt) lists them; MAIL_STACK_MAIL_USER
# (mail) is the system user that owns the Maildirs.
# Needs root (Postfix does). No systemd: every daemon is run directly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
templates="$here/mail-stack"

imap_port="${MAIL_STACK_IMAP_PORT:-14143}"
imaps_port="${MAIL_STACK_IMAPS_PORT:-14993}"
smtp_port="${MAIL_STACK_SMTP_PORT:-14025}"
submission_port="${MAIL_STACK_SUBMISSION_PORT:-14587}"
refusing_port="${MAIL_STACK_REFUSING_PORT:-14026}"
refusing_limit="${MAIL_STACK_REFUSING_LIMIT:-6}"
xoauth2_imap_port="${MAIL_STACK_XOAUTH2_IMAP_PORT:-14144}"
xoauth2_submission_port="${MAIL_STACK_XOAUTH2_SUBMISSION_PORT:-14588}"
oauth2_port="${MAIL_STACK_OAUTH2_PORT:-14080}"
default_password="${MAIL_STACK_PASSWORD:-ispd-test}"
users_list="${MAIL_STACK_USERS:-$templates/users.txt}"
mail_user="${MAIL_STACK_MAIL_USER:-mail}"
catchall="catchall@local"

die() {
  echo "mail-stack: $*" >&2
  exit 1
}
say() { echo "mail-stack: $*"; }

usage() {
  sed -n '9,14p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}

# --- state folder ------------------------------------------------------------

# Fails unless PATH suits Postfix's and Dovecot's configs and sockets.
check_path() {
  # The configs do not quote paths.
  case "$1" in
  *[!A-Za-z0-9._/-]*) die "DIR may only hold letters, digits and . _ / - (got '$1')" ;;
  esac
  # Dovecot's sockets live in DIR/run, and a unix socket path has at most 107 bytes.
  if [ ${#1} -gt 72 ]; then
    die "DIR path is ${#1} characters; at most 72 fit in a unix socket path ($1)"
  fi
}

# Sets $dir to the absolute state folder, creating it if asked to; without
# "create", a missing folder returns 1.
use_dir() {
  local given="$1" create="$2"
  case "$given" in /*) ;; *) given="$PWD/$given" ;; esac
  check_path "$given"
  if [ "$create" = yes ]; then
    mkdir -p "$given"
  elif [ ! -d "$given" ]; then
    return 1
  fi
  dir="$(cd "$given" && pwd -P)"
  check_path "$dir"
}

# The daemons' unprivileged users must be able to walk down to DIR.
check_dir_reachable() {
  local d="$dir"
  while [ "$d" != / ]; do
    d="$(dirname "$d")"
    if [ "$(( 0$(stat -c %a "$d") & 1 ))" -eq 0 ]; then
      die "$d is not searchable by others (mode $(stat -c %a "$d")); Postfix and Dovecot run as other users and must reach $dir: chmod o+x $d, or pick a DIR elsewhere (e.g. under /tmp)"
    fi
  done
}

# --- processes ---------------------------------------------------------------

# True if PID is a live process (a zombie that nobody reaped counts as gone).
# Plain bash, no forks: stop polls this often.
alive() {
  local pid="$1" line state
  [ -n "$pid" ] || return 1
  { read -r line <"/proc/$pid/stat"; } 2>/dev/null || return 1
  state="${line##*) }"
  state="${state%% *}"
  [ -n "$state" ] && [ "$state" != Z ]
}

# Prints the pid in FILE if it is alive and runs the program named EXE.
pid_from() {
  local file="$1" exe="$2" pid
  [ -r "$file" ] || return 1
  pid="$(tr -dc 0-9 <"$file" | head -c 10)"
  alive "$pid" || return 1
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = "$exe" ] || return 1
  echo "$pid"
}

dovecot_pid() { pid_from "$dir/run/master.pid" dovecot; }
postfix_pid() { pid_from "$dir/postfix-spool/pid/master.pid" master; }
oauth2_dovecot_pid() { pid_from "$dir/run-oauth2/master.pid" dovecot; }
# The OAuth2 server is a python3 script: known by its command line, not its program.
oauth2_server_pid() {
  local file="$dir/oauth2/server.pid" pid
  [ -r "$file" ] || return 1
  pid="$(tr -dc 0-9 <"$file" | head -c 10)"
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "oauth2-server.py $dir " || return 1
  echo "$pid"
}

# Prints every descendant of PID, so stop can wait for all of them.
descendants() {
  local -A children=()
  local stat line rest pid ppid
  for stat in /proc/[0-9]*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    pid="${line%% *}"
    rest="${line##*) }"
    rest="${rest#* }"
    ppid="${rest%% *}"
    children[$ppid]+=" $pid"
  done
  local queue=("$1") next
  while [ ${#queue[@]} -gt 0 ]; do
    next="${queue[0]}"
    queue=("${queue[@]:1}")
    for pid in ${children[$next]:-}; do
      echo "$pid"
      queue+=("$pid")
    done
  done
}

# Waits up to SECONDS for every pid given to exit; fails if one is still there.
wait_gone() {
  local seconds="$1" pid left
  shift
  for _ in $(seq $((seconds * 10))); do
    left=0
    for pid in "$@"; do alive "$pid" && left=1; done
    [ "$left" -eq 0 ] && return 0
    sleep 0.1
  done
  return 1
}

port_open() {
  timeout 2 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Waits up to 15 s for every port given to accept connections.
wait_ports() {
  local port
  for port in "$@"; do
    for _ in $(seq 150); do
      port_open "$port" && continue 2
      sleep 0.1
    done
    return 1
  done
}

ports_free() {
  local port
  for port in "$@"; do
    if port_open "$port"; then
      die "port $port on 127.0.0.1 is already in use (by another mail stack or program); set MAIL_STACK_*_PORT to free ports (see the top of $0)"
    fi
  done
}

# --- configuration -----------------------------------------------------------

need_packages() {
  if command -v dovecot >/dev/null && command -v postfix >/dev/null && [ -x /usr/lib/dovecot/lmtp ] &&
    [ -x /usr/lib/dovecot/imap ] && command -v openssl >/dev/null && command -v curl >/dev/null; then
    return
  fi
  say "Dovecot or Postfix is missing: running deploy/install-deps.sh"
  bash "$here/install-deps.sh"
}

render() {
  sed -e "s|@DIR@|$dir|g" \
    -e "s|@IMAP_PORT@|$imap_port|g" -e "s|@IMAPS_PORT@|$imaps_port|g" \
    -e "s|@SMTP_PORT@|$smtp_port|g" -e "s|@SUBMISSION_PORT@|$submission_port|g" \
    -e "s|@REFUSING_PORT@|$refusing_port|g" -e "s|@REFUSING_LIMIT@|$refusing_limit|g" \
    -e "s|@XOAUTH2_IMAP_PORT@|$xoauth2_imap_port|g" -e "s|@XOAUTH2_SUBMISSION_PORT@|$xoauth2_submission_port|g" \
    -e "s|@OAUTH2_PORT@|$oauth2_port|g" \
    -e "s|@MAIL_USER@|$mail_user|g" -e "s|@MAIL_GROUP@|$mail_group|g" \
    -e "s|@MAIL_UID@|$mail_uid|g" -e "s|@MAIL_GID@|$mail_gid|g" \
    "$1" >"$2.tmp"
  mv "$2.tmp" "$2"
}

valid_address() {
  [[ "$1" =~ ^[a-z0-9._%+-]+@[a-z0-9.-]+$ ]]
}

hash_password() {
  printf '%s' "$1" | openssl passwd -6 -stdin
}

# Adds ADDRESS with PASSWORD to DIR/users, replacing its line if present.
set_user() {
  local address="$1" password="$2" users="$dir/users"
  local line
  line="$address:{SHA512-CRYPT}$(hash_password "$password")::::::"
  { [ -e "$users" ] && awk -F: -v a="$address" '$1 != a' "$users"; echo "$line"; } >"$users.tmp"
  chown "root:$(id -gn dovecot)" "$users.tmp"
  chmod 0640 "$users.tmp"
  mv "$users.tmp" "$users"
}

has_user() { [ -e "$dir/users" ] && awk -F: -v a="$1" '$1 == a { found = 1 } END { exit !found }' "$dir/users"; }

list_users() { cut -d: -f1 "$dir/users"; }

# Postfix: each user's address is delivered to itself, every other address to
# the catch-all mailbox. Regexp tables are case-insensitive.
write_recipients() {
  local table="$dir/postfix/recipients.regexp" address
  {
    echo "# Generated by deploy/mail-stack.sh from $dir/users."
    for address in $(list_users); do
      echo "/^$(printf '%s' "$address" | sed 's/[.+%]/\\&/g')\$/ $address"
    done
    echo "/./ $catchall"
  } >"$table.tmp"
  mv "$table.tmp" "$table"
}

write_state() {
  mail_group="$(id -gn "$mail_user")" || die "no system user '$mail_user' (MAIL_STACK_MAIL_USER)"
  mail_uid="$(id -u "$mail_user")"
  mail_gid="$(id -g "$mail_user")"
  if ! id postfix >/dev/null 2>&1 || ! id dovecot >/dev/null 2>&1; then
    die "the postfix and dovecot system users are missing: run deploy/install-deps.sh"
  fi
  chmod 0755 "$dir"
  mkdir -p "$dir/postfix" "$dir/postfix-spool" "$dir/postfix-data" "$dir/run" "$dir/state" \
    "$dir/log" "$dir/tls" "$dir/mail" "$dir/run-oauth2" "$dir/state-oauth2" "$dir/oauth2"
  # Tokens and client secrets: for root (the OAuth2 server) alone.
  chmod 0700 "$dir/oauth2"
  touch "$dir/oauth2/clients" "$dir/oauth2/tokens"
  chown postfix:postfix "$dir/postfix-data"
  chown "$mail_user:$mail_group" "$dir/mail"
  chmod 0750 "$dir/mail"
  chmod 0700 "$dir/tls"

  local cert="$dir/tls/cert.pem" key="$dir/tls/key.pem"
  if ! [ -s "$key" ] || ! openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$key" -out "$cert" 2>"$dir/log/openssl.log" ||
      die "could not make the self-signed certificate: $(cat "$dir/log/openssl.log")"
    chmod 0600 "$key"
    chmod 0644 "$cert"
  fi

  local address
  has_user "$catchall" || set_user "$catchall" "$default_password"
  for address in $(sed -e 's/#.*//' "$users_list" | tr '[:upper:]' '[:lower:]'); do
    valid_address "$address" || die "$users_list: '$address' is not an address"
    has_user "$address" || set_user "$address" "$default_password"
  done
  write_recipients

  render "$templates/dovecot.conf.in" "$dir/dovecot.conf"
  render "$templates/dovecot-oauth2.conf.in" "$dir/dovecot-oauth2.conf"
  render "$templates/dovecot-oauth2.conf.ext.in" "$dir/dovecot-oauth2.conf.ext"
  render "$templates/main.cf.in" "$dir/postfix/main.cf"
  render "$templates/master.cf.in" "$dir/postfix/master.cf"
  cp "$templates/refusing.regexp" "$templates/reject.regexp" "$dir/postfix/"
  # Postfix waits while main.cf is under a second old.
  touch -d '-1 min' "$dir/postfix/main.cf" "$dir/postfix/master.cf"

  cat >"$dir/mail-stack.env.tmp" <<EOF
# Written by deploy/mail-stack.sh start; source it in tests.
MAIL_STACK_DIR=$dir
MAIL_STACK_IMAP_PORT=$imap_port
MAIL_STACK_IMAPS_PORT=$imaps_port
MAIL_STACK_SMTP_PORT=$smtp_port
MAIL_STACK_SUBMISSION_PORT=$submission_port
MAIL_STACK_REFUSING_PORT=$refusing_port
MAIL_STACK_REFUSING_LIMIT=$refusing_limit
MAIL_STACK_XOAUTH2_IMAP_PORT=$xoauth2_imap_port
MAIL_STACK_XOAUTH2_SUBMISSION_PORT=$xoauth2_submission_port
MAIL_STACK_OAUTH2_PORT=$oauth2_port
MAIL_STACK_CA_FILE=$cert
MAIL_STACK_PASSWORD=$default_password
MAIL_STACK_CATCHALL=$catchall
EOF
  mv "$dir/mail-stack.env.tmp" "$dir/mail-stack.env"
}

# Reads the ports the running stack was started with.
read_env() {
  if [ -r "$dir/mail-stack.env" ]; then
    # shellcheck disable=SC1091
    . "$dir/mail-stack.env"
    imap_port="$MAIL_STACK_IMAP_PORT"
    imaps_port="$MAIL_STACK_IMAPS_PORT"
    smtp_port="$MAIL_STACK_SMTP_PORT"
    submission_port="$MAIL_STACK_SUBMISSION_PORT"
    refusing_port="${MAIL_STACK_REFUSING_PORT:-$refusing_port}"
    xoauth2_imap_port="${MAIL_STACK_XOAUTH2_IMAP_PORT:-$xoauth2_imap_port}"
    xoauth2_submission_port="${MAIL_STACK_XOAUTH2_SUBMISSION_PORT:-$xoauth2_submission_port}"
    oauth2_port="${MAIL_STACK_OAUTH2_PORT:-$oauth2_port}"
    default_password="$MAIL_STACK_PASSWORD"
  fi
}

log_tail() {
  echo "--- last lines of $1:" >&2
  tail -n 15 "$1" >&2 2>/dev/null || echo "(no log)" >&2
}

# --- start and stop ----------------------------------------------------------

start_dovecot() {
  # A dead master's pid file would stop Dovecot when its pid is an unreaped zombie.
  rm -f "$dir/run/master.pid"
  # The daemon keeps its output open, so it goes to a file, not a pipe.
  if ! dovecot -c "$dir/dovecot.conf" </dev/null >"$dir/log/dovecot-start.log" 2>&1; then
    cat "$dir/log/dovecot-start.log" >&2
    log_tail "$dir/log/dovecot.log"
    return 1
  fi
  if ! wait_ports "$imap_port" "$imaps_port" || ! dovecot_pid >/dev/null; then
    echo "mail-stack: Dovecot did not come up on ports $imap_port and $imaps_port" >&2
    log_tail "$dir/log/dovecot.log"
    return 1
  fi
}

# The OAuth2 server runs in the background, detached, its output in its log.
start_oauth2_server() {
  local python=/usr/bin/python3
  [ -x "$python" ] || python="$(command -v python3)" || {
    echo "mail-stack: python3 is missing (deploy/install-deps.sh installs it)" >&2
    return 1
  }
  rm -f "$dir/oauth2/server.pid"
  setsid "$python" "$templates/oauth2-server.py" "$dir" "$oauth2_port" </dev/null >>"$dir/log/oauth2.log" 2>&1 &
  echo $! >"$dir/oauth2/server.pid"
  if ! wait_ports "$oauth2_port" || ! oauth2_server_pid >/dev/null; then
    echo "mail-stack: the OAuth2 server did not come up on port $oauth2_port" >&2
    log_tail "$dir/log/oauth2.log"
    return 1
  fi
}

start_oauth2_dovecot() {
  rm -f "$dir/run-oauth2/master.pid"
  if ! dovecot -c "$dir/dovecot-oauth2.conf" </dev/null >"$dir/log/dovecot-oauth2-start.log" 2>&1; then
    cat "$dir/log/dovecot-oauth2-start.log" >&2
    log_tail "$dir/log/dovecot-oauth2.log"
    return 1
  fi
  if ! wait_ports "$xoauth2_imap_port" || ! oauth2_dovecot_pid >/dev/null; then
    echo "mail-stack: the XOAUTH2 Dovecot did not come up on port $xoauth2_imap_port" >&2
    log_tail "$dir/log/dovecot-oauth2.log"
    return 1
  fi
}

start_postfix() {
  # The daemon keeps its output open, so it goes to a file, not a pipe.
  if ! postfix -c "$dir/postfix" start </dev/null >"$dir/log/postfix-start.log" 2>&1; then
    cat "$dir/log/postfix-start.log" >&2
    log_tail "$dir/log/postfix.log"
    return 1
  fi
  if ! wait_ports "$smtp_port" "$submission_port" "$refusing_port" "$xoauth2_submission_port" || ! postfix_pid >/dev/null; then
    echo "mail-stack: Postfix did not come up on ports $smtp_port and $submission_port" >&2
    log_tail "$dir/log/postfix.log"
    return 1
  fi
}

# Stops the daemon whose master is PID with COMMAND..., waits for it and its
# children, and kills those same pids if they outlive the wait.
stop_master() {
  local name="$1" pid="$2"
  shift 2
  local pids p
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  "$@" >/dev/null 2>&1 || true
  if ! wait_gone 20 "${pids[@]}"; then
    say "$name did not stop within 20 s; killing its processes ${pids[*]}"
    for p in "${pids[@]}"; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
    wait_gone 5 "${pids[@]}" || die "$name processes ${pids[*]} would not die"
  fi
  say "stopped $name (pid $pid)"
}

stop_postfix() {
  local pid
  pid="$(postfix_pid)" || return 0
  stop_master Postfix "$pid" postfix -c "$dir/postfix" stop
}

stop_dovecot() {
  local pid
  pid="$(dovecot_pid)" || return 0
  stop_master Dovecot "$pid" kill -TERM "$pid"
}

stop_oauth2_dovecot() {
  local pid
  pid="$(oauth2_dovecot_pid)" || return 0
  stop_master "the XOAUTH2 Dovecot" "$pid" kill -TERM "$pid"
}

stop_oauth2_server() {
  local pid
  pid="$(oauth2_server_pid)" || return 0
  stop_master "the OAuth2 server" "$pid" kill -TERM "$pid"
}

print_summary() {
  cat <<EOF
mail-stack: running in $dir (Dovecot pid $(dovecot_pid), Postfix pid $(postfix_pid), XOAUTH2 Dovecot pid $(oauth2_dovecot_pid), OAuth2 server pid $(oauth2_server_pid))
  IMAP        imap://127.0.0.1:$imap_port     plain login allowed (loopback)
  IMAPS       imaps://127.0.0.1:$imaps_port    CA file $dir/tls/cert.pem
  SMTP        smtp://127.0.0.1:$smtp_port     no AUTH needed from loopback; STARTTLS and AUTH offered
  submission  smtp://127.0.0.1:$submission_port     STARTTLS and AUTH required
  refusing    smtp://127.0.0.1:$refusing_port     450 for tempfail-*, 450 after $refusing_limit mails a minute
  IMAP        imap://127.0.0.1:$xoauth2_imap_port     XOAUTH2 only (tokens from addtoken or the OAuth2 server)
  submission  smtp://127.0.0.1:$xoauth2_submission_port     STARTTLS, then XOAUTH2 only
  OAuth2      http://127.0.0.1:$oauth2_port/token (client credentials, clients from addclient), /introspect
  users (password "$default_password", unless set with adduser):
$(list_users | sed 's/^/    /')
  every other address, in any domain, is delivered to $catchall (reject-* refused with 550)
  logs        $dir/log/dovecot.log $dir/log/postfix.log $dir/log/dovecot-oauth2.log $dir/log/oauth2.log
  settings    $dir/mail-stack.env
EOF
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (Postfix's master runs as root)"
  use_dir "$1" yes
  check_dir_reachable
  local dpid ppid opid spid
  dpid="$(dovecot_pid)" || dpid=""
  ppid="$(postfix_pid)" || ppid=""
  opid="$(oauth2_dovecot_pid)" || opid=""
  spid="$(oauth2_server_pid)" || spid=""
  if [ -n "$dpid" ] && [ -n "$ppid" ] && [ -n "$opid" ] && [ -n "$spid" ]; then
    read_env
    say "already running in $dir"
    print_summary
    return 0
  fi
  if [ -n "$dpid" ] || [ -n "$ppid" ] || [ -n "$opid" ] || [ -n "$spid" ]; then
    read_env
    say "half running in $dir: starting what is missing, with the ports it was started with"
  fi
  need_packages
  write_state
  # Every port is checked before anything starts, so a failure leaves nothing behind.
  [ -n "$dpid" ] || ports_free "$imap_port" "$imaps_port"
  [ -n "$ppid" ] || ports_free "$smtp_port" "$submission_port" "$refusing_port" "$xoauth2_submission_port"
  [ -n "$opid" ] || ports_free "$xoauth2_imap_port"
  [ -n "$spid" ] || ports_free "$oauth2_port"
  # On failure, stop what this run started, so nothing is left half up.
  if [ -z "$dpid" ] && ! start_dovecot; then
    stop_dovecot
    die "Dovecot failed to start (config $dir/dovecot.conf)"
  fi
  if [ -z "$spid" ] && ! start_oauth2_server; then
    stop_oauth2_server
    [ -n "$dpid" ] || stop_dovecot
    die "the OAuth2 server failed to start (deploy/mail-stack/oauth2-server.py)"
  fi
  if [ -z "$opid" ] && ! start_oauth2_dovecot; then
    stop_oauth2_dovecot
    [ -n "$spid" ] || stop_oauth2_server
    [ -n "$dpid" ] || stop_dovecot
    die "the XOAUTH2 Dovecot failed to start (config $dir/dovecot-oauth2.conf)"
  fi
  if [ -z "$ppid" ] && ! start_postfix; then
    stop_postfix
    [ -n "$opid" ] || stop_oauth2_dovecot
    [ -n "$spid" ] || stop_oauth2_server
    [ -n "$dpid" ] || stop_dovecot
    die "Postfix failed to start (config $dir/postfix)"
  fi
  # A Postfix started before the XOAUTH2 port existed learns of it from its new master.cf.
  if [ -n "$ppid" ] && ! port_open "$xoauth2_submission_port"; then
    postfix -c "$dir/postfix" reload >/dev/null 2>&1 || die "postfix reload failed; see $dir/log/postfix.log"
    wait_ports "$xoauth2_submission_port" || die "Postfix did not open port $xoauth2_submission_port"
  fi
  print_summary
}

cmd_stop() {
  if ! use_dir "$1" no; then
    say "nothing running: $1 does not exist"
    return 0
  fi
  if ! dovecot_pid >/dev/null && ! postfix_pid >/dev/null && ! oauth2_dovecot_pid >/dev/null &&
    ! oauth2_server_pid >/dev/null; then
    say "not running in $dir"
    return 0
  fi
  # Postfix first, so it does not try to hand mail to a Dovecot that is gone.
  stop_postfix
  stop_oauth2_dovecot
  stop_oauth2_server
  stop_dovecot
}

cmd_status() {
  if ! use_dir "$1" no; then
    echo "Dovecot: stopped"
    echo "Postfix: stopped"
    return 3
  fi
  read_env
  local dpid ppid opid spid
  dpid="$(dovecot_pid)" || dpid=""
  ppid="$(postfix_pid)" || ppid=""
  opid="$(oauth2_dovecot_pid)" || opid=""
  spid="$(oauth2_server_pid)" || spid=""
  if [ -n "$dpid" ]; then
    echo "Dovecot: running, pid $dpid, IMAP $imap_port, IMAPS $imaps_port"
  else
    echo "Dovecot: stopped"
  fi
  if [ -n "$ppid" ]; then
    echo "Postfix: running, pid $ppid, SMTP $smtp_port, submission $submission_port, XOAUTH2 submission $xoauth2_submission_port"
  else
    echo "Postfix: stopped"
  fi
  if [ -n "$opid" ]; then
    echo "XOAUTH2 Dovecot: running, pid $opid, IMAP $xoauth2_imap_port"
  else
    echo "XOAUTH2 Dovecot: stopped"
  fi
  if [ -n "$spid" ]; then
    echo "OAuth2 server: running, pid $spid, port $oauth2_port"
  else
    echo "OAuth2 server: stopped"
  fi
  if [ -n "$dpid" ] && [ -n "$ppid" ] && [ -n "$opid" ] && [ -n "$spid" ]; then return 0; fi
  if [ -z "$dpid" ] && [ -z "$ppid" ] && [ -z "$opid" ] && [ -z "$spid" ]; then return 3; fi
  return 1
}

cmd_adduser() {
  [ "$(id -u)" -eq 0 ] || die "adduser needs root (the users file belongs to root)"
  local address password="$3"
  address="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')"
  valid_address "$address" || die "'$2' is not an address like user@domain"
  [ -n "$password" ] || die "the password is empty"
  use_dir "$1" yes
  id dovecot >/dev/null 2>&1 || need_packages
  mkdir -p "$dir/postfix"
  set_user "$address" "$password"
  write_recipients
  # Dovecot rereads a changed passwd-file by itself; Postfix rereads its tables on reload.
  if postfix_pid >/dev/null; then
    postfix -c "$dir/postfix" reload >/dev/null 2>&1 || die "postfix reload failed; see $dir/log/postfix.log"
  fi
  # Dovecot rereads its users file at most once a second; a login before then
  # would fail. Wait (up to 5 s) until it knows the new user.
  if dovecot_pid >/dev/null; then
    local known=no
    for _ in $(seq 100); do
      if doveadm -c "$dir/dovecot.conf" auth lookup "$address" >/dev/null 2>&1; then known=yes; break; fi
      sleep 0.05
    done
    [ "$known" = yes ] || die "Dovecot does not know $address after 5 s; see $dir/log/dovecot.log"
  fi
  say "user $address added in $dir"
}

# A line of NAME and VALUES in DIR/oauth2/FILE, replacing any line for NAME; the
# OAuth2 server reads the file again on every request.
set_oauth2_line() {
  local file="$dir/oauth2/$1" name="$2"
  shift 2
  mkdir -p "$dir/oauth2"
  chmod 0700 "$dir/oauth2"
  { [ -e "$file" ] && awk -v n="$name" '$1 != n' "$file"; echo "$name $*"; } >"$file.tmp"
  chmod 0600 "$file.tmp"
  mv "$file.tmp" "$file"
}

# A word that fits a line of DIR/oauth2: printable, no spaces.
valid_word() { [[ "$1" =~ ^[!-~]+$ ]]; }

cmd_addtoken() {
  [ "$(id -u)" -eq 0 ] || die "addtoken needs root (the token file belongs to root)"
  local address
  address="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')"
  valid_address "$address" || die "'$2' is not an address like user@domain"
  valid_word "$3" || die "a token is printable ASCII without spaces"
  use_dir "$1" yes
  set_oauth2_line tokens "$3" "$address"
  say "a token for $address added in $dir"
}

cmd_addclient() {
  [ "$(id -u)" -eq 0 ] || die "addclient needs root (the client file belongs to root)"
  local address seconds="${5:-3599}"
  address="$(printf '%s' "$4" | tr '[:upper:]' '[:lower:]')"
  valid_word "$2" || die "a client ID is printable ASCII without spaces"
  valid_word "$3" || die "a client secret is printable ASCII without spaces"
  valid_address "$address" || die "'$4' is not an address like user@domain"
  [[ "$seconds" =~ ^[1-9][0-9]{0,5}$ ]] || die "the token lifetime '$seconds' is not a number of seconds"
  use_dir "$1" yes
  set_oauth2_line clients "$2" "$3" "$address" "$seconds"
  say "OAuth2 client $2 for $address added in $dir"
}

case "${1:-}" in
start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
status) [ $# -eq 2 ] || usage; cmd_status "$2" ;;
adduser) [ $# -eq 4 ] || usage; cmd_adduser "$2" "$3" "$4" ;;
addtoken) [ $# -eq 4 ] || usage; cmd_addtoken "$2" "$3" "$4" ;;
addclient) [ $# -eq 5 ] || [ $# -eq 6 ] || usage; cmd_addclient "$2" "$3" "$4" "$5" "${6:-}" ;;
*) usage ;;
esac
