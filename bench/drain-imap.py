#!/usr/bin/env python3
"""The IMAP side of bench/drain-bench.sh's setup and checks, over plain IMAP
on loopback (never timed).

    DRAIN_IMAP_PASSWORD=P python3 bench/drain-imap.py append PORT USER DIR
    DRAIN_IMAP_PASSWORD=P python3 bench/drain-imap.py count  PORT USER [FOLDER]

append puts every DIR/drain-*.eml into USER's INBOX, in name order, and checks
the INBOX then holds exactly that many; count prints how many mails FOLDER
(INBOX) holds, 0 if there is no such folder.
"""

import imaplib
import os
import pathlib
import sys

HOST = "127.0.0.1"
DATE = '"13-Feb-2026 09:00:00 +0000"'


def login(port: int, user: str) -> imaplib.IMAP4:
    password = os.environ.get("DRAIN_IMAP_PASSWORD")
    if not password:
        sys.exit("drain-imap: DRAIN_IMAP_PASSWORD is not set")
    imap = imaplib.IMAP4(HOST, port, timeout=60)
    imap.login(user, password)
    return imap


def count(imap: imaplib.IMAP4, folder: str) -> int:
    typ, data = imap.status(f'"{folder}"', "(MESSAGES)")
    if typ != "OK":
        return 0
    # b'INBOX (MESSAGES 12)'
    return int(data[0].decode().rsplit("MESSAGES", 1)[1].strip(" )"))


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[1] not in ("append", "count"):
        sys.exit(__doc__.split("\n\n")[1].strip())
    command, port, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    imap = login(port, user)
    try:
        if command == "append":
            if len(sys.argv) != 5:
                sys.exit("drain-imap: append needs PORT USER DIR")
            mails = sorted(pathlib.Path(sys.argv[4]).glob("drain-*.eml"))
            if not mails:
                sys.exit(f"drain-imap: no drain-*.eml in {sys.argv[4]}")
            for path in mails:
                typ, data = imap.append("INBOX", None, DATE, path.read_bytes())
                if typ != "OK":
                    sys.exit(f"drain-imap: APPEND {path.name} for {user}: {data}")
            held = count(imap, "INBOX")
            if held != len(mails):
                sys.exit(f"drain-imap: {user}'s INBOX holds {held} mails after appending {len(mails)}")
        else:
            print(count(imap, sys.argv[4] if len(sys.argv) > 4 else "INBOX"))
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


if __name__ == "__main__":
    main()
