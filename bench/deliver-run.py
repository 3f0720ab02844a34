#!/usr/bin/env python3
"""The timed part of bench/deliver-bench.sh, and its checks, against the
bench's own loopback mail stack.

    python3 bench/deliver-run.py ispd    SETTINGS RUN_DIR MAILS_DIR -- COMMAND...
    python3 bench/deliver-run.py smtplib SETTINGS RUN_DIR FORMS SAMPLES_DIR
    python3 bench/deliver-run.py sample  SETTINGS SAMPLES_DIR
    python3 bench/deliver-run.py verify  SETTINGS FORMS [DATABASE]
    python3 bench/deliver-run.py expunge SETTINGS

SETTINGS is a JSON file: the stack folder, its IMAP and submission ports and
CA file, the password every bench user has, the ISP mailbox user of this run
("user"), the 30 partners, the council sender and NWADCS.

ispd starts the clock, APPENDs every MAILS_DIR/drain-*.eml to the user's INBOX
(plain IMAP on loopback), runs COMMAND under /usr/bin/time (its wall time,
peak RSS, user and system CPU seconds in RUN_DIR/time.txt), waits until
Postfix's queue is empty and every partner's Maildir holds the copies
expected, and stops the clock.

smtplib is the reference: it starts the clock, opens one submission session
(STARTTLS, AUTH as the user), sends FORMS times the mails ispd sends for a
form -- a circulation copy to each partner, an acknowledgement to the sender,
a log to NWADCS, each one recipient in its own envelope and byte for byte the
size of ispd's (SAMPLES_DIR, from `sample`) with its own Message-ID -- and
waits for the same "all delivered" point.

Both write RUN_DIR/result.json: total seconds, the seconds COMMAND (or the
SMTP session) took, the mails handed to Postfix.

sample takes one circulation copy, acknowledgement and log from the
mailboxes, without the trace headers Postfix and Dovecot add. verify checks
that each partner, the sender (the catch-all) and NWADCS hold exactly FORMS
mails, and that DATABASE's outbox is every row `sent` with every copy
accepted; expunge empties every bench mailbox for the next run.
"""

import imaplib
import json
import os
import pathlib
import re
import smtplib
import socket
import sqlite3
import ssl
import subprocess
import sys
import time

HOST = "127.0.0.1"
DATE = '"13-Feb-2026 09:00:00 +0000"'
CATCHALL = "catchall@local"
WAIT_LIMIT = 900.0  # seconds: a run that takes longer has gone wrong


def fail(message: str) -> None:
    sys.exit(f"deliver-run: {message}")


def load(path: str) -> dict:
    return json.loads(pathlib.Path(path).read_text())


def maildir(s: dict, address: str) -> pathlib.Path:
    local, domain = address.lower().split("@")
    return pathlib.Path(s["stack"]) / "mail" / domain / local / "Maildir"


def held(s: dict, address: str) -> int:
    """Mails in the address's INBOX, from its Maildir (Dovecot's LMTP renames each into new/ when delivered)."""
    base = maildir(s, address)
    total = 0
    for sub in ("new", "cur"):
        try:
            total += sum(1 for _ in os.scandir(base / sub))
        except FileNotFoundError:
            pass
    return total


def queue_empty(s: dict) -> bool:
    out = subprocess.run(["postqueue", "-c", f"{s['stack']}/postfix", "-j"], capture_output=True, check=True)
    return not out.stdout.strip()


def wait_delivered(s: dict, expected: int, started: float) -> None:
    """Returns once every partner holds `expected` copies in all and Postfix's queue is empty."""
    while True:
        copies = sum(held(s, p) for p in s["partners"])
        if copies > expected:
            fail(f"the partners hold {copies} copies, more than the {expected} expected")
        if copies == expected and queue_empty(s):
            return
        if time.monotonic() - started > WAIT_LIMIT:
            fail(f"after {WAIT_LIMIT:.0f} s the partners hold {copies} of {expected} copies"
                 f" (queue empty: {queue_empty(s)})")
        time.sleep(0.01)


def imap_login(s: dict, user: str) -> imaplib.IMAP4:
    imap = imaplib.IMAP4(HOST, s["imap_port"], timeout=60)
    imap.login(user, s["password"])
    return imap


def imap_count(s: dict, user: str) -> int:
    imap = imap_login(s, user)
    try:
        typ, data = imap.status("INBOX", "(MESSAGES)")
        if typ != "OK":
            fail(f"STATUS INBOX for {user}: {data}")
        return int(data[0].decode().rsplit("MESSAGES", 1)[1].strip(" )"))
    finally:
        imap.logout()


def write_result(run_dir: pathlib.Path, result: dict) -> None:
    (run_dir / "result.json").write_text(json.dumps(result) + "\n")


def cmd_ispd(s: dict, run_dir: pathlib.Path, mails_dir: str, command: list) -> None:
    mails = [p.read_bytes() for p in sorted(pathlib.Path(mails_dir).glob("drain-*.eml"))]
    if not mails:
        fail(f"no drain-*.eml in {mails_dir}")
    expected = len(mails) * len(s["partners"])
    if any(held(s, p) for p in s["partners"]) or not queue_empty(s):
        fail("a partner's mailbox or Postfix's queue is not empty before the run")
    started = time.monotonic()
    imap = imap_login(s, s["user"])
    for raw in mails:
        typ, data = imap.append("INBOX", None, DATE, raw)
        if typ != "OK":
            fail(f"APPEND for {s['user']}: {data}")
    imap.logout()
    appended = time.monotonic()
    with open(run_dir / "out.txt", "wb") as out, open(run_dir / "err.txt", "wb") as err:
        ran = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(run_dir / "time.txt")] + command,
                             stdout=out, stderr=err)
    finished = time.monotonic()
    if ran.returncode != 0:
        fail(f"{' '.join(command[-4:])} exited {ran.returncode}; see {run_dir}/err.txt")
    wait_delivered(s, expected, started)
    done = time.monotonic()
    write_result(run_dir, {"total": done - started, "append": appended - started, "command": finished - appended,
                           "after": done - finished, "forms": len(mails), "copies": expected})


def strip_trace(raw: bytes) -> bytes:
    """The mail as ispd sent it: without the Return-Path, Delivered-To and Received lines added on the way."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    lines = re.split(rb"\r?\n", head)
    kept, skipping = [], False
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].lower()
        skipping = name in (b"return-path", b"delivered-to", b"received")
        if not skipping:
            kept.append(line)
    return b"\r\n".join(kept) + b"\r\n\r\n" + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def first_mail(s: dict, address: str) -> bytes:
    base = maildir(s, address)
    files = sorted(p for sub in ("new", "cur") for p in (base / sub).glob("*"))
    if not files:
        fail(f"{address} holds no mail to take a sample from")
    return files[0].read_bytes()


def cmd_sample(s: dict, samples: pathlib.Path) -> None:
    samples.mkdir(parents=True, exist_ok=True)
    for name, address in (("circulation", s["partners"][0]), ("acknowledgement", CATCHALL),
                          ("log", s["nwadcs"])):
        raw = strip_trace(first_mail(s, address))
        (samples / f"{name}.eml").write_bytes(raw)
        print(f"   sample {name}: {len(raw)} bytes")


def cmd_smtplib(s: dict, run_dir: pathlib.Path, forms: int, samples: pathlib.Path) -> None:
    kinds = {name: (samples / f"{name}.eml").read_bytes() for name in ("circulation", "acknowledgement", "log")}
    # One form's mails, in the order ispd sends them: the reply, the circulation to every partner, the log.
    plan = [("acknowledgement", s["sender"])] + [("circulation", p) for p in s["partners"]] + [("log", s["nwadcs"])]
    # Each mail gets its own Message-ID of the same length, made before the clock starts.
    by_form = []
    for form in range(1, forms + 1):
        mails = {}
        for name, raw in kinds.items():
            # The ID's first characters made this form's own; its length, and so the mail's size, unchanged.
            mark = f"<REF{form:06d}{name[:3]}".encode()
            raw, n = re.subn(rb"(?im)^(Message-ID:[ \t]*)<[^>\r\n]{%d}" % (len(mark) - 1), rb"\g<1>" + mark, raw,
                             count=1)
            if n != 1:
                fail(f"the {name} sample has no Message-ID of {len(mark)} characters or more")
            mails[name] = raw
        by_form.append(mails)
    expected = forms * len(s["partners"])
    if any(held(s, p) for p in s["partners"]) or not queue_empty(s):
        fail("a partner's mailbox or Postfix's queue is not empty before the run")
    context = ssl.create_default_context(cafile=s["ca_file"])
    sent = 0
    started = time.monotonic()
    smtp = smtplib.SMTP(HOST, s["submission_port"], timeout=60)
    # As libcurl does: without it, the last TLS record of each message waits out the server's delayed ACK (40 ms).
    smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    smtp.ehlo()
    smtp.starttls(context=context)
    smtp.ehlo()
    smtp.login(s["user"], s["password"])
    for mails in by_form:
        for kind, recipient in plan:
            refused = smtp.sendmail(s["user"], [recipient], mails[kind])
            if refused:
                fail(f"{recipient} refused: {refused}")
            sent += 1
    smtp.quit()
    finished = time.monotonic()
    wait_delivered(s, expected, started)
    done = time.monotonic()
    write_result(run_dir, {"total": done - started, "command": finished - started, "after": done - finished,
                           "forms": forms, "copies": expected, "mails": sent})


def cmd_verify(s: dict, forms: int, database: str | None) -> None:
    wrong = []
    for address in s["partners"] + [s["nwadcs"], CATCHALL]:
        got = imap_count(s, address)
        if got != forms:
            wrong.append(f"{address} holds {got}")
    if wrong:
        fail(f"each of the partners, NWADCS and the sender should hold {forms} mails: " + "; ".join(wrong))
    summary = {"mailboxes": len(s["partners"]) + 2}
    if database:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        states = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
        copies = dict(db.execute("SELECT state, count(*) FROM deliveries GROUP BY state").fetchall())
        kinds = dict(db.execute("SELECT kind, count(*) FROM outbox GROUP BY kind").fetchall())
        db.close()
        if set(states) != {"sent"} or states["sent"] != 3 * forms:
            fail(f"the outbox should be {3 * forms} rows all sent, not {states}")
        if set(copies) != {"accepted"} or copies["accepted"] != (len(s["partners"]) + 2) * forms:
            fail(f"the deliveries should be {(len(s['partners']) + 2) * forms} all accepted, not {copies}")
        summary.update({"outbox": states, "deliveries": copies, "kinds": kinds})
    print(json.dumps(summary))


def cmd_expunge(s: dict) -> None:
    subprocess.run(["doveadm", "-c", f"{s['stack']}/dovecot.conf", "expunge", "-A", "mailbox", "*", "all"],
                   check=True)
    left = [a for a in s["partners"] + [s["nwadcs"], CATCHALL] if held(s, a)]
    if left:
        fail(f"still holding mail after expunge: {left}")


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2:
        fail(__doc__.split("\n\n")[1].strip())
    command, s = args[0], load(args[1])
    if command == "ispd" and len(args) > 5 and args[4] == "--":
        cmd_ispd(s, pathlib.Path(args[2]), args[3], args[5:])
    elif command == "smtplib" and len(args) == 5:
        cmd_smtplib(s, pathlib.Path(args[2]), int(args[3]), pathlib.Path(args[4]))
    elif command == "sample" and len(args) == 3:
        cmd_sample(s, pathlib.Path(args[2]))
    elif command == "verify" and len(args) in (3, 4):
        cmd_verify(s, int(args[2]), args[3] if len(args) == 4 else None)
    elif command == "expunge" and len(args) == 2:
        cmd_expunge(s)
    else:
        fail(__doc__.split("\n\n")[1].strip())


if __name__ == "__main__":
    main()
