#!/usr/bin/env bash
# Proves a running deploy/mail-stack.sh stack works end to end, with curl only:
# mail sent through Postfix (plain SMTP from loopback; submission with
# STARTTLS and AUTH) to a user and to an outside address is read back over IMAP
# and IMAPS (certificate verified), the outside mail landed in the catch-all
# mailbox, nothing waits in Postfix's queue, and the IMAP server offers and
# performs UID MOVE. Exits non-zero on any failure.
#
#   deploy/mail-stack-selftest.sh DIR      (DIR as given to mail-stack.sh start)
#
# MAIL_STACK_SELFTEST_USER picks the receiving user (default nwadcs@nwadcs.test).
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir="$(cd "$1" 2>/dev/null && pwd -P)" || { echo "selftest: no folder $1" >&2; exit 2; }
[ -r "$dir/mail-stack.env" ] || { echo "selftest: $dir/mail-stack.env is missing: was the stack started there?" >&2; exit 2; }
# shellcheck disable=SC1091
. "$dir/mail-stack.env"

user="${MAIL_STACK_SELFTEST_USER:-nwadcs@nwadcs.test}"
password="$MAIL_STACK_PASSWORD"
outside="someone@example.org"
ca="$MAIL_STACK_CA_FILE"
smtp="smtp://127.0.0.1:$MAIL_STACK_SMTP_PORT"
submission="smtp://127.0.0.1:$MAIL_STACK_SUBMISSION_PORT"
imap="imap://127.0.0.1:$MAIL_STACK_IMAP_PORT"
imaps="imaps://127.0.0.1:$MAIL_STACK_IMAPS_PORT"
token="selftest-$(date +%s)-$$-$RANDOM"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$dir/log/postfix.log"
log_start=$(($(wc -l <"$log" 2>/dev/null || echo 0) + 1))

passed=0
failed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
bad() { echo "FAIL  $1${2:+: $2}"; failed=$((failed + 1)); }

curl_() { curl -sS --max-time 20 "$@"; }

# Writes a small mail whose subject carries the token and the label.
message() {
  local label="$1" to="$2"
  printf 'From: Self Test <selftest@example.net>\r\nTo: <%s>\r\nSubject: %s %s\r\nMessage-ID: <%s.%s@example.net>\r\nDate: %s\r\n\r\nbody of %s %s\r\n' \
    "$to" "$token" "$label" "$token" "$label" "$(date -R)" "$token" "$label" >"$work/$label.eml"
  echo "$work/$label.eml"
}

# send LABEL URL TO [curl options...]
send() {
  local label="$1" url="$2" to="$3"
  shift 3
  local out
  if out="$(curl_ --url "$url" --mail-from selftest@example.net --mail-rcpt "$to" \
    --upload-file "$(message "$label" "$to")" "$@" 2>&1)"; then
    ok "sent '$label' to $to via $url"
  else
    bad "sent '$label' to $to via $url" "$out"
  fi
}

# refused LABEL URL TO [curl options...]: the server must answer, and refuse
# the login (curl exit 67) or the mail (55).
refused() {
  local label="$1" url="$2" to="$3"
  shift 3
  local out status=0
  out="$(curl_ --url "$url" --mail-from selftest@example.net --mail-rcpt "$to" \
    --upload-file "$(message "$label" "$to")" "$@" 2>&1)" || status=$?
  case "$status" in
  55 | 67) ok "refused '$label'" ;;
  0) bad "refused '$label'" "the server accepted it" ;;
  *) bad "refused '$label'" "$out" ;;
  esac
}

# Prints the UIDs in FOLDER of mails whose subject has the token and LABEL,
# waiting up to 20 s for delivery. uids URL LOGIN FOLDER LABEL [curl options...]
uids() {
  local url="$1" login="$2" folder="$3" label="$4"
  shift 4
  local out
  for _ in $(seq 40); do
    out="$(curl_ "$url/$folder" -u "$login:$password" -X "UID SEARCH SUBJECT \"$token $label\"" "$@" 2>&1)" || {
      echo "$out" >&2
      return 1
    }
    out="$(printf '%s' "$out" | tr -d '\r' | sed -n 's/^\* SEARCH *//p')"
    if [ -n "$out" ]; then
      echo "$out"
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# received URL LOGIN LABEL [curl options...]: the mail is in LOGIN's INBOX, whole.
received() {
  local url="$1" login="$2" label="$3"
  shift 3
  local found uid body
  if ! found="$(uids "$url" "$login" INBOX "$label" "$@")"; then
    bad "$login got '$label' over $url" "not in INBOX after 20 s, or IMAP failed (above)"
    return
  fi
  uid="${found%% *}"
  body="$(curl_ "$url/INBOX;UID=$uid" -u "$login:$password" "$@" 2>&1)"
  if printf '%s' "$body" | grep -q "^body of $token $label" &&
    printf '%s' "$body" | grep -q "^Message-ID: <$token.$label@example.net>"; then
    ok "$login got '$label' over $url (uid $uid)"
  else
    bad "$login got '$label' over $url" "fetched mail differs: $(printf '%s' "$body" | head -c 300)"
  fi
}

echo "selftest of the mail stack in $dir, token $token"
if ! status="$("$(dirname "${BASH_SOURCE[0]}")/mail-stack.sh" status "$dir" 2>&1)"; then
  echo "$status"
  echo "selftest: the stack in $dir is not running; start it with deploy/mail-stack.sh start $dir" >&2
  exit 1
fi

# --- sending -----------------------------------------------------------------
send plain-to-user "$smtp" "$user"
send plain-to-outside "$smtp" "$outside"
send starttls-auth-on-plain-port "$smtp" "$user" --ssl-reqd --cacert "$ca" -u "$user:$password"
send submission "$submission" "$user" --ssl-reqd --cacert "$ca" -u "$user:$password"
send submission-to-outside "$submission" "$outside" --ssl-reqd --cacert "$ca" -u "$user:$password"
refused submission-without-auth "$submission" "$user" --ssl-reqd --cacert "$ca"
refused submission-without-tls "$submission" "$user" -u "$user:$password"
refused submission-wrong-password "$submission" "$user" --ssl-reqd --cacert "$ca" -u "$user:wrong-$token"

# --- reading back ------------------------------------------------------------
received "$imap" "$user" plain-to-user
received "$imaps" "$user" starttls-auth-on-plain-port --cacert "$ca"
received "$imaps" "$user" submission --cacert "$ca"
received "$imap" "$MAIL_STACK_CATCHALL" plain-to-outside
received "$imaps" "$MAIL_STACK_CATCHALL" submission-to-outside --cacert "$ca"

status=0
out="$(curl_ "$imaps/INBOX" -u "$user:wrong-$token" --cacert "$ca" -X NOOP 2>&1)" || status=$?
if [ "$status" -eq 67 ]; then ok "IMAPS refuses a wrong password"; else bad "IMAPS refuses a wrong password" "curl exit $status: $out"; fi

# --- what ispd needs from the server -------------------------------------------
caps="$(curl_ "$imap" -u "$user:$password" -X CAPABILITY 2>&1)"
for cap in MOVE UIDPLUS; do
  if printf '%s' "$caps" | grep -q "^\* CAPABILITY.* $cap\b"; then ok "IMAP offers $cap"; else bad "IMAP offers $cap" "$caps"; fi
done
folder="ISP/Selftest"
curl_ "$imap" -u "$user:$password" -X "CREATE \"$folder\"" >/dev/null 2>&1 # may exist already
if uid="$(uids "$imap" "$user" INBOX plain-to-user)" && uid="${uid%% *}" &&
  curl_ "$imap/INBOX" -u "$user:$password" -X "UID MOVE $uid \"$folder\"" >/dev/null 2>&1 &&
  uids "$imap" "$user" "$(printf '%s' "$folder" | sed 's|/|%2F|g')" plain-to-user >/dev/null; then
  ok "UID MOVE into $folder"
else
  bad "UID MOVE into $folder"
fi

# --- nothing left the machine ----------------------------------------------------
queued="$(find "$dir/postfix-spool/"{maildrop,incoming,active,deferred,hold} -type f 2>/dev/null | wc -l)"
if [ "$queued" -eq 0 ]; then ok "Postfix's queue is empty"; else bad "Postfix's queue is empty" "$queued mails queued"; fi
new_log="$(tail -n "+$log_start" "$log")"
if printf '%s\n' "$new_log" | grep -q "orig_to=<$outside>, relay=[^ ]*\[$dir/run/lmtp\].*status=sent"; then
  ok "mail to $outside was handed to Dovecot over LMTP"
else
  bad "mail to $outside was handed to Dovecot over LMTP" "no such line in $log"
fi
if printf '%s\n' "$new_log" | grep -E "status=(deferred|bounced)|relay=[^ ]*:25\b"; then
  bad "no mail deferred, bounced or relayed" "see the lines above"
else
  ok "no mail deferred, bounced or relayed"
fi

echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
