#!/usr/bin/env bash
# Installs what ispd needs, builds it, starts the loopback mail stack (a real
# Dovecot and Postfix on 127.0.0.1), puts mails as councils send them into the
# ISP mailbox, and runs ispd on it: every mail is read, checked, logged or
# filed for a person, and the log is shown. Run as root (the mail stack needs
# it). DEMO_DIR (default /tmp/ispd-demo) holds everything; run again to start afresh.
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISPD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target ispd ispd_commands

ispd="$PWD/build/daemon/cli/ispd"
demo="${DEMO_DIR:-/tmp/ispd-demo}"
banner() { printf '\n=== %s\n' "$*"; }

banner "what ispd reads from a council's mail: ispd inspect"
"$ispd" inspect tests/data/mail/restricted-criminality.eml | head -n 30
echo "  ..."

banner "what a sender would be told about the blank form: ispd check"
"$ispd" check tests/data/forms/blank-2026.docx || true

banner "the loopback mail stack in $demo/stack"
deploy/mail-stack.sh stop "$demo/stack" >/dev/null 2>&1 || true
rm -rf "$demo"
mkdir -p "$demo"
chmod 755 "$demo"
deploy/mail-stack.sh start "$demo/stack"
# shellcheck disable=SC1091
. "$demo/stack/mail-stack.env"
trap 'deploy/mail-stack.sh stop "$demo/stack" >/dev/null 2>&1 || true' EXIT
mailbox="nwadcs@nwadcs.test"
# Lists the subjects in each user's inbox; with a first argument other than "", only the subjects it matches.
show_inboxes() {
  local only="$1"
  shift
  for who in "$@"; do
    case "$who" in
    "$nwadcs") label="NWADCS ($who)" ;;
    catchall@local) label="the senders (every address that is not a test user lands in catchall@local)" ;;
    *) label="$who" ;;
    esac
    echo "  $label:"
    python3 - "$MAIL_STACK_IMAP_PORT" "$who" "$MAIL_STACK_PASSWORD" "$only" <<'PY'
import email, email.header, email.policy, imaplib, re, sys
port, user, password, only = sys.argv[1:]
box = imaplib.IMAP4("127.0.0.1", int(port))
box.login(user, password)
box.select("INBOX", readonly=True)
_, found = box.uid("SEARCH", None, "ALL")
shown = 0
for uid in found[0].split():
    _, data = box.uid("FETCH", uid, "(BODY.PEEK[HEADER])")
    mail = email.message_from_bytes(data[0][1], policy=email.policy.default)
    subject = str(mail["Subject"])
    if only and not re.search(only, subject):
        continue
    to = mail.get("To", "")
    print("    %s%s" % (subject, "" if user != "catchall@local" else "  (to %s)" % to))
    shown += 1
if not shown:
    print("    nothing")
box.logout()
PY
  done
}

wait_for_postfix() {
  for _ in $(seq 300); do
    [ -z "$(postqueue -c "$demo/stack/postfix" -j 2>/dev/null)" ] && break
    sleep 0.1
  done
}

# NWADCS's staff read their logs and notices in a mailbox of their own, apart from the one ispd reads.
nwadcs="staff@nwadcs.test"
deploy/mail-stack.sh adduser "$demo/stack" "$nwadcs" "$MAIL_STACK_PASSWORD" >/dev/null
imap="imap://127.0.0.1:$MAIL_STACK_IMAP_PORT"
printf '%s\n' "$MAIL_STACK_PASSWORD" >"$demo/imap.secret"
chmod 600 "$demo/imap.secret"

cat >"$demo/ispd.toml" <<TOML
[mailbox]
url = "$imap/INBOX"
user = "$mailbox"
password_file = "$demo/imap.secret"
[smtp]
# The submission port: STARTTLS checked against the stack's own CA, then AUTH as the ISP mailbox.
url = "smtp://127.0.0.1:$MAIL_STACK_SUBMISSION_PORT"
user = "$mailbox"
password_file = "$demo/imap.secret"
ca_file = "$MAIL_STACK_CA_FILE"
from = "Placements North West <$mailbox>"
[store]
database = "$demo/ispd.sqlite"
archive_dir = "$demo/archive"
[nwadcs]
address = "$nwadcs"
$(for a in "Bolton Council:bolton.gov.uk" "Wigan Council:wigan.gov.uk" "Salford City Council:salford.gov.uk" \
  "Stockport Council:stockport.gov.uk" "Oldham Council:oldham.gov.uk" "Wirral Council:wirral.gov.uk"; do
  printf '[[authority]]\nname = "%s"\ndomains = ["%s"]\n' "${a%%:*}" "${a#*:}"
done)
[[list]]
audience = "childrens_services"
scope = "north_west"
members = ["isp@bolton.gov.uk", "commissioning@manchester.gov.uk"]
[[list]]
audience = "lado"
scope = "north_west"
members = ["lado@wigan.gov.uk"]
[[list]]
audience = "safeguarding_unit"
scope = "north_west"
members = ["qa@salford.gov.uk"]
[[list]]
audience = "police"
scope = "north_west"
members = ["police@gmp.police.uk"]
# The partners who get the monthly spreadsheet.
[[list]]
audience = "partners"
scope = "north_west"
members = ["isp@bolton.gov.uk", "commissioning@manchester.gov.uk", "police@gmp.police.uk"]
TOML
"$ispd" check-config --config "$demo/ispd.toml"

banner "councils' mails arrive in the ISP mailbox ($mailbox)"
for mail in internal-new-notification restricted-criminality rescind forwarded tnef-winmail two-forms \
  out-of-office no-attachment doc-attachment zip-bomb unknown-sender; do
  curl -sS --url "$imap/INBOX" --user "$mailbox:$MAIL_STACK_PASSWORD" -T "tests/data/mail/$mail.eml"
  printf '  %-28s %s\n' "$mail.eml" "$(grep -m1 -i '^Subject:' "tests/data/mail/$mail.eml" | cut -c10-70)"
done

# The forms were sent in February 2026: ispd checks them as of then.
export ISPD_NOW=2026-02-13T10:00:00Z
banner "ispd run --once: read, check, log, file and circulate every mail"
"$ispd" run --config "$demo/ispd.toml" --once 2>"$demo/ispd.log"
echo "  (its log: $demo/ispd.log)"

banner "where each mail went"
for folder in INBOX "ISP/Processed" "ISP/Needs attention"; do
  count="$(curl -sS --url "$imap/" --user "$mailbox:$MAIL_STACK_PASSWORD" \
    -X "STATUS \"$folder\" (MESSAGES)" | sed -n 's/.*MESSAGES \([0-9]*\).*/\1/p')"
  printf '  %-22s %s mails\n' "$folder" "${count:-0}"
done

banner "what each partner, sender and NWADCS received"
# Postfix has taken every mail; wait until it has handed them all to Dovecot.
wait_for_postfix
show_inboxes "" isp@bolton.gov.uk commissioning@manchester.gov.uk lado@wigan.gov.uk qa@salford.gov.uk \
  police@gmp.police.uk "$nwadcs" catchall@local

banner "ispd list: the log"
"$ispd" list --config "$demo/ispd.toml"

banner "ispd show ISP-2026-0001: one notification and its history"
"$ispd" show --config "$demo/ispd.toml" ISP-2026-0001

banner "the forms filed by provider under $demo/archive"
(cd "$demo/archive" && find . -type f | sort | sed 's|^\./|  |')

banner "Monday 2 March 2026, the first working day: ispd run --once again"
ISPD_NOW=2026-03-02T09:00:00Z "$ispd" run --config "$demo/ispd.toml" --once 2>>"$demo/ispd.log"
wait_for_postfix
echo "  the monthly spreadsheet, the daily digest, and the alert that no mail has come for over three working days:"
show_inboxes "spreadsheet|digest|alert" isp@bolton.gov.uk commissioning@manchester.gov.uk police@gmp.police.uk "$nwadcs"
