#!/usr/bin/env bash
# Measures the time from council forms landing in the ISP mailbox to every
# partner's copy delivered, for 1 form and for 200 forms, each circulated to 30
# partners, against a plain SMTP client (python3 smtplib) sending the same mails
# into the same Postfix; prints a Markdown table for the README and writes it to
# bench/results-deliver.md.
#
#   deploy/install-deps.sh && bench/deliver-bench.sh
#
# Runs its own loopback mail stack (deploy/mail-stack.sh) in /tmp/ispd-deliver-bench
# on ports 17143 (IMAP), 17993 (IMAPS), 17025 (SMTP), 17587 (submission) and
# 17026 (refusing), and stops it at the end. Needs root, as the mail stack does.
#
# Each form is a different provider's (bench/make-drain-mails.py), so each is a
# new notification: ispd logs it and sends 3 mails, the circulation to the 30
# partners (10 each on the children's services, LADO and safeguarding unit lists
# the form ticks), the acknowledgement to the council and the log to NWADCS, 32
# copies in all. ispd sends as in production: the submission port, STARTTLS
# checked against the stack's CA, AUTH as the ISP mailbox.
#
# A run starts the clock, APPENDs the forms to a fresh ISP mailbox's INBOX, runs
# `ispd run --once`, waits until Postfix's queue is empty and the 30 partners'
# Maildirs hold every copy, and stops the clock; then it checks over IMAP that
# each partner, the council and NWADCS got exactly one mail a form, and that
# ispd's outbox is every row sent. The reference run opens one submission
# session (STARTTLS, AUTH) with smtplib, sends the same 32 mails a form, one
# recipient an envelope, each the size of ispd's, and waits for the same point.
# Targets: 1 form delivered to all 30 partners in under 5 s; 200 forms within 2x
# of smtplib's time. A missed target is reported with its margin.
# DELIVER_BENCH_FORMS (200) and DELIVER_BENCH_RUNS (3) change the counts for a
# quick try; the README's figures use both defaults.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build="build-bench"
out="$root/$build/deliver-results"
stack="/tmp/ispd-deliver-bench"
forms="${DELIVER_BENCH_FORMS:-200}"
runs="${DELIVER_BENCH_RUNS:-3}"
password="deliver-bench"
now="2026-02-13T10:00:00Z"
nwadcs="nwadcs@nwadcs.test"
sender="commissioning.qa@bolton.gov.uk"
export MAIL_STACK_IMAP_PORT=17143 MAIL_STACK_IMAPS_PORT=17993 MAIL_STACK_SMTP_PORT=17025 \
  MAIL_STACK_SUBMISSION_PORT=17587 MAIL_STACK_REFUSING_PORT=17026

die() { echo "deliver-bench: $*" >&2; exit 1; }
[[ "$forms" =~ ^[1-9][0-9]{0,3}$ ]] || die "DELIVER_BENCH_FORMS must be 1 to 9999 (got '$forms')"
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || die "DELIVER_BENCH_RUNS must be 1 to 99 (got '$runs')"
[ "$(id -u)" -eq 0 ] || die "needs root (the mail stack's Postfix does)"
for tool in cmake python3 dovecot doveadm postfix postqueue; do
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

# The 30 partners, 10 on each list the form ticks at North West: the councils'
# children's services, their LADOs and the safeguarding units.
councils=(bolton bury manchester oldham rochdale salford stockport tameside trafford wigan)
cs=() lado=() su=()
for council in "${councils[@]}"; do
  cs+=("isp@$council.gov.uk")
  lado+=("lado@$council.gov.uk")
  su+=("safeguarding.unit@$council.gov.uk")
done
partners=("${cs[@]}" "${lado[@]}" "${su[@]}")
quoted() { local list="" p; for p in "$@"; do list+="${list:+, }\"$p\""; done; echo "$list"; }

sizes=(1 "$forms")
[ "$forms" -eq 1 ] && sizes=(1)
# Every run has its own ISP mailbox, named by the size, the run and this script's pid.
isp_user() { echo "isp-$1-$2-$$@deliver.test"; }

echo "== starting the mail stack in $stack"
# Every bench mailbox is made with the stack, so no run waits for adduser; the
# mail (about 1 GiB at the defaults) goes with the stack.
stop_stack() {
  deploy/mail-stack.sh stop "$stack" >/dev/null || echo "deliver-bench: could not stop the mail stack in $stack" >&2
  rm -rf "$stack/mail"
}
trap stop_stack EXIT
stop_stack
rm -f "$stack/users"
{
  echo "$nwadcs"
  printf '%s\n' "${partners[@]}"
  for size in "${sizes[@]}"; do
    for run in $(seq "$runs"); do isp_user "$size" "$run"; done
  done
} >"$out/users.txt"
MAIL_STACK_USERS="$out/users.txt" MAIL_STACK_PASSWORD="$password" deploy/mail-stack.sh start "$stack" \
  >"$out/mail-stack.log" || die "the mail stack did not start; see $out/mail-stack.log"
# shellcheck disable=SC1091
. "$stack/mail-stack.env"
export MAIL_STACK_CA_FILE

# Writes DIR/settings.json (for bench/deliver-run.py) and DIR/ispd.toml for USER.
write_run_files() {
  local dir="$1" user="$2"
  python3 - "$dir/settings.json" "$stack" "$user" "$password" "$sender" "$nwadcs" "${partners[@]}" <<'EOF'
import json, os, sys
path, stack, user, password, sender, nwadcs, *partners = sys.argv[1:]
json.dump({"stack": stack, "imap_port": int(os.environ["MAIL_STACK_IMAP_PORT"]),
           "submission_port": int(os.environ["MAIL_STACK_SUBMISSION_PORT"]),
           "ca_file": os.environ["MAIL_STACK_CA_FILE"], "password": password, "user": user,
           "sender": sender, "nwadcs": nwadcs, "partners": partners}, open(path, "w"))
EOF
  printf '%s\n' "$password" >"$dir/password.secret"
  chmod 0600 "$dir/password.secret"
  {
    echo "[mailbox]"
    echo "url = \"imap://127.0.0.1:$MAIL_STACK_IMAP_PORT/INBOX\""
    echo "user = \"$user\""
    echo "password_file = \"$dir/password.secret\""
    echo "timeout_seconds = 60"
    echo "[smtp]"
    echo "url = \"smtp://127.0.0.1:$MAIL_STACK_SUBMISSION_PORT\""
    echo "user = \"$user\""
    echo "password_file = \"$dir/password.secret\""
    echo "ca_file = \"$MAIL_STACK_CA_FILE\""
    echo "from = \"Placements North West <$user>\""
    echo "timeout_seconds = 60"
    echo "[store]"
    echo "database = \"$dir/ispd.sqlite\""
    echo "archive_dir = \"$dir/archive\""
    echo "[nwadcs]"
    echo "address = \"$nwadcs\""
    echo "[[authority]]"
    echo "name = \"Bolton Council\""
    echo "domains = [\"bolton.gov.uk\"]"
    local list
    for list in "childrens_services|$(quoted "${cs[@]}")" "lado|$(quoted "${lado[@]}")" \
      "safeguarding_unit|$(quoted "${su[@]}")"; do
      echo "[[list]]"
      echo "audience = \"${list%%|*}\""
      echo "scope = \"north_west\""
      echo "members = [${list#*|}]"
    done
  } >"$dir/ispd.toml"
}

deliver() { python3 bench/deliver-run.py "$@"; }

# Other work on the machine skews every number below; the table records how busy it was.
load="$(cut -d' ' -f1-3 /proc/loadavg)"

for size in "${sizes[@]}"; do
  echo "== writing $size mails"
  python3 bench/make-drain-mails.py "$out/mails-$size" "$size"
  for run in $(seq "$runs"); do
    echo "== $size forms, run $run of $runs: ispd run --once"
    dir="$out/ispd-$size-$run"
    mkdir -p "$dir"
    write_run_files "$dir" "$(isp_user "$size" "$run")"
    deliver ispd "$dir/settings.json" "$dir" "$out/mails-$size" -- \
      env ISPD_NOW="$now" "$ispd" run --once --config "$dir/ispd.toml"
    deliver verify "$dir/settings.json" "$size" "$dir/ispd.sqlite" >"$dir/verify.json"
    echo "   $(cat "$dir/result.json")"
    echo "   $(tail -n 1 "$dir/out.txt")"
    echo "   checked: $(cat "$dir/verify.json")"
    [ -d "$out/samples" ] || deliver sample "$dir/settings.json" "$out/samples"
    deliver expunge "$dir/settings.json"

    echo "== $size forms, run $run of $runs: smtplib"
    ref="$out/smtplib-$size-$run"
    mkdir -p "$ref"
    cp "$dir/settings.json" "$ref/settings.json"
    deliver smtplib "$ref/settings.json" "$ref" "$size" "$out/samples"
    deliver verify "$ref/settings.json" "$size" >"$ref/verify.json"
    echo "   $(cat "$ref/result.json")"
    deliver expunge "$ref/settings.json"
  done
done

{
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores," \
    "$(uname -sr), load average before the runs: $load, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- tools: $(c++ --version | head -n 1), $(postconf -d mail_version 2>/dev/null | sed 's/mail_version = /Postfix /'),"\
    "Dovecot $(dovecot --version | cut -d' ' -f1), Python $(python3 -c 'import platform; print(platform.python_version())')"
} >"$out/machine.txt"

python3 - "$out" "$runs" "${sizes[@]}" <<'EOF'
import datetime, json, re, statistics, sys

out, runs, sizes = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3:]]
MIB = 1024.0
PARTNERS = 30


def stamp(line):
    # spdlog's "[2026-12-03 11:14:16.437] ..."
    return datetime.datetime.strptime(line[1:24], "%Y-%m-%d %H:%M:%S.%f").timestamp()


def runs_of(tool, size):
    got = []
    for run in range(1, runs + 1):
        d = f"{out}/{tool}-{size}-{run}"
        r = json.load(open(f"{d}/result.json"))
        if tool == "ispd":
            _, kib, user, system = open(f"{d}/time.txt").read().split()[-4:]
            r["rss"] = int(kib) / MIB
            r["cpu"] = float(user) + float(system)
            r["mails"] = int(re.search(r"(\d+) copies delivered", open(f"{d}/out.txt").read()).group(1))
            log = open(f"{d}/err.txt").read().splitlines()
            handled = [stamp(l) for l in log if "] mail handled " in l]
            copies = [stamp(l) for l in log if "] copy delivered " in l]
            # From the last mail decided to the last copy accepted: the outbox's part of the run.
            r["sending"] = copies[-1] - handled[-1]
        got.append(r)
    return got


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def secs(t):
    return f"{t:.2f} s" if t < 100 else f"{t:.0f} s"


def all_runs(rs, key):
    return ", ".join(f"{r[key]:.2f}" for r in rs)


rows, notes, checks = [], [], []
for size in sizes:
    ispd, ref = runs_of("ispd", size), runs_of("smtplib", size)
    it, rt = med(ispd, "total"), med(ref, "total")
    forms = "1 form" if size == 1 else f"{size} forms"
    rows.append(f"| ispd: {forms}, landing → all delivered | {size} | {size * PARTNERS:,} | {ispd[0]['mails']:,}"
                f" | **{secs(it)}** | {secs(med(ispd, 'command'))} | {med(ispd, 'rss'):.1f} MiB"
                f" | {it / rt:.2f}× the time |")
    rows.append(f"| smtplib: the same mails, one session | {size} | {size * PARTNERS:,} | {ref[0]['mails']:,}"
                f" | {secs(rt)} | {secs(med(ref, 'command'))} | — | 1× |")
    sending = med(ispd, "sending")
    notes.append(f"- {forms}: ispd {all_runs(ispd, 'total')} s; of that, `ispd run --once` {all_runs(ispd, 'command')} s"
                 f" (sending, from the last mail decided to the last copy accepted, median {sending:.2f} s,"
                 f" {1000 * sending / ispd[0]['mails']:.1f} ms a copy; CPU median {med(ispd, 'cpu'):.2f} s) and the"
                 f" APPEND {all_runs(ispd, 'append')} s. smtplib {all_runs(ref, 'total')} s; of that, its session"
                 f" {all_runs(ref, 'command')} s ({1000 * med(ref, 'command') / ref[0]['mails']:.1f} ms a copy).")
    if size == 1:
        checks.append(f"- 1 form delivered to all 30 partners in < 5 s: {secs(it)} — "
                      + (f"met, {5 - it:.2f} s to spare" if it < 5
                         else f"**MISSED** by {it - 5:.2f} s ({it / 5:.2f}× the target)"))
    else:
        ratio = it / rt
        checks.append(f"- {forms} ({size * PARTNERS:,} partner copies) within 2× of smtplib's time: {ratio:.2f}× — "
                      + (f"met, {2 * rt - it:.2f} s to spare" if ratio <= 2
                         else f"**MISSED** by {it - 2 * rt:.2f} s ({ratio / 2:.2f}× the target)"))

table = "\n".join([
    "| what | forms | partner copies | mails to Postfix | landing → all delivered | `ispd run --once` / session"
    " | peak RSS | vs smtplib |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
] + rows + [
    "",
    f"Median of {runs} runs. ispd's time runs from the first APPEND of the forms into a fresh ISP mailbox to"
    " Postfix's queue empty with every partner copy in Dovecot. For each form ispd sends the acknowledgement, the"
    " circulation to the 30 partners and the log to NWADCS, over the submission port (STARTTLS, AUTH), one recipient"
    " an envelope; smtplib sends the same mails, each the size of ispd's, in one submission session, to the same"
    " point. Peak RSS of `ispd run --once` from `/usr/bin/time`. Every run was checked: each partner, the council"
    " and NWADCS held exactly one mail a form, and ispd's outbox was every row `sent`, every copy accepted.",
    "",
] + notes + [""] + checks + [""] + open(f"{out}/machine.txt").read().splitlines())
print(table)
open("bench/results-deliver.md", "w").write(
    "# ispd delivery benchmark\n\nMade by `bench/deliver-bench.sh`.\n\n" + table + "\n")
EOF
echo "== written to bench/results-deliver.md"
