#!/usr/bin/env bash
# Measures how fast `ispd run --once` drains a mailbox of 1,000 council mails,
# each with a different complete ISP form, against fetchmail draining the same
# 1,000 mails from the same server; prints a Markdown table for the README and
# writes it to bench/results-drain.md.
#
#   deploy/install-deps.sh && bench/drain-bench.sh
#
# Runs its own loopback mail stack (deploy/mail-stack.sh) in /tmp/ispd-drain-bench
# on ports 16143 (IMAP), 16993 (IMAPS), 16025 (SMTP), 16587 (submission) and 16026,
# and stops it at the end. Needs root, as the mail stack does.
#
# Each tool drains a fresh user's INBOX (plain IMAP on loopback) 3 times; the
# table gives the medians. ispd parses, checks, logs and files every mail;
# fetchmail fetches each one, hands it to `cat >/dev/null` and deletes it.
# Targets: ispd within 2x of fetchmail's time, peak RSS under 50 MiB. A missed
# target is reported with its margin. DRAIN_BENCH_MAILS and DRAIN_BENCH_RUNS
# (1000 and 3) change the counts for a quick try; the README's figures use both
# defaults.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build="build-bench"
out="$root/$build/drain-results"
stack="/tmp/ispd-drain-bench"
mails="${DRAIN_BENCH_MAILS:-1000}"
runs="${DRAIN_BENCH_RUNS:-3}"
password="drain-bench"
now="2026-02-13T10:00:00Z"
export MAIL_STACK_IMAP_PORT=16143 MAIL_STACK_IMAPS_PORT=16993 MAIL_STACK_SMTP_PORT=16025 \
  MAIL_STACK_SUBMISSION_PORT=16587 MAIL_STACK_REFUSING_PORT=16026

die() { echo "drain-bench: $*" >&2; exit 1; }
[[ "$mails" =~ ^[1-9][0-9]{0,3}$ ]] || die "DRAIN_BENCH_MAILS must be 1 to 9999 (got '$mails')"
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || die "DRAIN_BENCH_RUNS must be 1 to 99 (got '$runs')"
[ "$(id -u)" -eq 0 ] || die "needs root (the mail stack's Postfix does)"
for tool in cmake python3 fetchmail dovecot postfix; do
  command -v "$tool" >/dev/null || die "$tool is missing; run deploy/install-deps.sh first"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing; run deploy/install-deps.sh first"

echo "== building Release in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DISPD_TESTS=OFF -DISPD_BENCH=ON \
  -DISPD_SANITIZE=OFF -DISPD_FUZZ=OFF -DISPD_WERROR=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target ispd ispd_commands
ispd="$(find "$build" -type f -name ispd -perm -u+x -print -quit)"
[ -n "$ispd" ] || die "the build made no ispd executable"
[ -f "$(dirname "$ispd")/ispd-mail.so" ] || die "the build made no ispd-mail.so beside $ispd"
rm -rf "$out"
mkdir -p "$out"

echo "== starting the mail stack in $stack"
# The drained users' mail (about 26 MiB a user) goes with the stack.
stop_stack() {
  deploy/mail-stack.sh stop "$stack" >/dev/null || echo "drain-bench: could not stop the mail stack in $stack" >&2
  rm -rf "$stack/mail/drain.test"
}
trap stop_stack EXIT
deploy/mail-stack.sh start "$stack" >"$out/mail-stack.log" || die "the mail stack did not start; see $out/mail-stack.log"

echo "== writing $mails mails"
python3 bench/make-drain-mails.py "$out/mails" "$mails"

export DRAIN_IMAP_PASSWORD="$password"
# Every run drains its own fresh user, named by the tool, the run and this script's pid.
fresh_user() {
  local user="drain-$1-$2-$$@drain.test"
  deploy/mail-stack.sh adduser "$stack" "$user" "$password" >/dev/null
  python3 bench/drain-imap.py append "$MAIL_STACK_IMAP_PORT" "$user" "$out/mails"
  echo "$user"
}
inbox_count() { python3 bench/drain-imap.py count "$MAIL_STACK_IMAP_PORT" "$1" "${2:-INBOX}"; }

# Writes RUN_DIR/ispd.toml for USER, as tests/integration/site.cpp does.
write_config() {
  local dir="$1" user="$2"
  printf '%s\n' "$password" >"$dir/imap.secret"
  chmod 0600 "$dir/imap.secret"
  {
    echo "[mailbox]"
    echo "url = \"imap://127.0.0.1:$MAIL_STACK_IMAP_PORT/INBOX\""
    echo "user = \"$user\""
    echo "password_file = \"$dir/imap.secret\""
    echo "timeout_seconds = 60"
    echo "[smtp]"
    # Plain SMTP on loopback, no AUTH: `run --once` also sends what each mail queued.
    echo "url = \"smtp://127.0.0.1:$MAIL_STACK_SMTP_PORT\""
    echo "from = \"Placements North West <$user>\""
    echo "[store]"
    echo "database = \"$dir/ispd.sqlite\""
    echo "archive_dir = \"$dir/archive\""
    echo "[nwadcs]"
    echo "address = \"nwadcs@nwadcs.test\""
    echo "[[authority]]"
    echo "name = \"Bolton Council\""
    echo "domains = [\"bolton.gov.uk\"]"
    echo "[[authority]]"
    echo "name = \"Manchester City Council\""
    echo "domains = [\"manchester.gov.uk\"]"
    local list audience members
    for list in "childrens_services|\"isp@bolton.gov.uk\", \"commissioning@manchester.gov.uk\"" \
      "lado|\"lado@wigan.gov.uk\"" "safeguarding_unit|\"qa@salford.gov.uk\"" \
      "health|\"qa@salford.gov.uk\"" "police|\"police@gmp.police.uk\""; do
      audience="${list%%|*}"
      members="${list#*|}"
      echo "[[list]]"
      echo "audience = \"$audience\""
      echo "scope = \"north_west\""
      echo "members = [$members]"
    done
  } >"$dir/ispd.toml"
}

# Times COMMAND... with /usr/bin/time into RUN_DIR/time.txt ("seconds KiB"),
# its output in RUN_DIR/out.txt and RUN_DIR/err.txt.
timed() {
  local dir="$1"
  shift
  /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt"
}

# Other work on the machine skews every number below; the table records how busy it was.
load="$(cut -d' ' -f1-3 /proc/loadavg)"

for run in $(seq "$runs"); do
  echo "== run $run of $runs: ispd run --once"
  dir="$out/ispd-$run"
  mkdir -p "$dir"
  user="$(fresh_user ispd "$run")"
  write_config "$dir" "$user"
  timed "$dir" env ISPD_NOW="$now" "$ispd" run --once --config "$dir/ispd.toml" ||
    die "ispd run --once failed (exit $?): $(tail -n 3 "$dir/err.txt")"
  left="$(inbox_count "$user")"
  [ "$left" -eq 0 ] || die "ispd left $left of $mails mails in the INBOX; see $dir/err.txt"
  filed="$(inbox_count "$user" "ISP/Processed")"
  [ "$filed" -eq "$mails" ] || die "ispd filed $filed of $mails mails in ISP/Processed; see $dir/err.txt"
  ISPD_NOW="$now" "$ispd" list --json --config "$dir/ispd.toml" >"$dir/list.json" ||
    die "ispd list --json failed"
  logged="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$dir/list.json")"
  [ "$logged" -eq "$mails" ] || die "ispd logged $logged notifications from $mails mails; see $dir/err.txt"
  echo "   $(cat "$dir/time.txt") (seconds, peak KiB); $logged logged and filed, INBOX empty"

  echo "== run $run of $runs: fetchmail"
  dir="$out/fetchmail-$run"
  mkdir -p "$dir"
  user="$(fresh_user fetchmail "$run")"
  # No TLS on loopback: sslproto '' turns STARTTLS off, and with it the certificate check.
  (
    umask 077
    cat >"$dir/fetchmailrc" <<EOF
set no syslog
poll 127.0.0.1 service $MAIL_STACK_IMAP_PORT protocol IMAP auth password
  user "$user" password "$password" is root here
  options nokeep fetchall sslproto '' no sslcertck
  mda "/bin/cat >/dev/null"
EOF
  )
  timed "$dir" env FETCHMAILHOME="$dir" fetchmail -f "$dir/fetchmailrc" --pidfile "$dir/fetchmail.pid" \
    --nosoftbounce ||
    die "fetchmail failed (exit $?): $(tail -n 3 "$dir/err.txt")"
  left="$(inbox_count "$user")"
  [ "$left" -eq 0 ] || die "fetchmail left $left of $mails mails in the INBOX; see $dir/err.txt"
  echo "   $(cat "$dir/time.txt") (seconds, peak KiB); INBOX empty"
done

{
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores," \
    "$(uname -sr), load average before the runs: $load, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- tools: $(c++ --version | head -n 1), $(fetchmail --version 2>/dev/null | grep -m1 -o 'fetchmail release [^+ ]*'),"\
    "Dovecot $(dovecot --version | cut -d' ' -f1)"
} >"$out/machine.txt"

python3 - "$out" "$mails" "$runs" <<'EOF'
import statistics, sys

out, mails, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
MIB = 1024.0

def samples(tool):
    times, rss = [], []
    for run in range(1, runs + 1):
        seconds, kib = open(f"{out}/{tool}-{run}/time.txt").read().split()[-2:]
        times.append(float(seconds))
        rss.append(int(kib) / MIB)
    return statistics.median(times), statistics.median(rss), times

ispd_time, ispd_rss, ispd_all = samples("ispd")
fm_time, fm_rss, fm_all = samples("fetchmail")
ratio = ispd_time / fm_time

def verdict(met, missed_by):
    return "met" if met else f"**MISSED** by {missed_by}"

def runs_text(times):
    return ", ".join(f"{t:.2f}" for t in times)

table = "\n".join([
    "| what | mails | time | mails/s | peak RSS | vs fetchmail |",
    "|---|---:|---:|---:|---:|---:|",
    f"| `ispd run --once` (parse, check, log, file) | {mails} | {ispd_time:.2f} s | {mails / ispd_time:.0f}"
    f" | {ispd_rss:.1f} MiB | {ratio:.2f}× the time |",
    f"| `fetchmail` (fetch, `cat >/dev/null`, delete) | {mails} | {fm_time:.2f} s | {mails / fm_time:.0f}"
    f" | {fm_rss:.1f} MiB | 1× |",
    "",
    f"Median of {runs} runs, each draining a fresh user's INBOX of {mails} mails (about 26 KiB each, a"
    " different complete form in each) over plain IMAP on loopback from the same Dovecot; wall time and peak"
    f" RSS from `/usr/bin/time -f '%e %M'`. ispd runs: {runs_text(ispd_all)} s; fetchmail runs:"
    f" {runs_text(fm_all)} s.",
    "",
    f"- within 2× of fetchmail's time: {ratio:.2f}× — "
    + verdict(ratio <= 2, f"{ispd_time - 2 * fm_time:.2f} s ({ratio / 2:.2f}× the target)")
    + (f", {2 * fm_time - ispd_time:.2f} s to spare" if ratio <= 2 else ""),
    f"- peak RSS < 50 MiB: {ispd_rss:.1f} MiB — "
    + verdict(ispd_rss < 50, f"{ispd_rss - 50:.1f} MiB ({ispd_rss / 50:.2f}× the target)")
    + (f", {50 - ispd_rss:.1f} MiB to spare" if ispd_rss < 50 else ""),
    "",
] + open(f"{out}/machine.txt").read().splitlines())
print(table)
open("bench/results-drain.md", "w").write(
    "# ispd drain benchmark\n\nMade by `bench/drain-bench.sh`.\n\n" + table + "\n")
EOF
echo "== written to bench/results-drain.md"
