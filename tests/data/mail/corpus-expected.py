#!/usr/bin/env python3
"""Writes corpus-expected.json: for every mail under ../shared/corpora/mime (read in
place, never copied), the subject and attachments (name, size) that Python's email
package (policy.default) reads, as the reference for tests/mail/corpus_test.cpp.

    python3 tests/data/mail/corpus-expected.py [CORPUS_DIR]

Attachments are found as ispd finds them: every leaf part with a file name or
Content-Disposition: attachment, walking multiparts and forwarded message/* parts.
Names are put in ispd's display form (last path component, no control or
bidirectional-override characters). Where GMime reads a mail differently from
Python and GMime is right (or both readings are defensible), KNOWN_DIFFERENCES says
why, and the test checks that field no further.
"""

import email
import email.policy
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[3] / "shared" / "corpora" / "mime"

# "relative/path": {"subject" | "attachments": "why GMime's reading is kept"}
EIGHT_BIT = ("undeclared 8-bit ISO-8859-1 in a header: GMime reads it with ispd's fallback charset "
             "(windows-1252) as 'Frösche'; Python gives U+FFFD")
KNOWN_DIFFERENCES: dict[str, dict[str, str]] = {
    "cpython/msg_15.txt": {"attachments": "nested multiparts reuse one boundary; GMime still finds the "
                                          "attachment xx.gif, Python loses it"},
    "cpython/msg_19.txt": {"mail": "no header at all (a bare digest body): ispd refuses it as not a mail; "
                                   "Python reads it as a body without headers"},
    "stalwart/malformed/019.eml": {"subject": "a broken first header line ('Fro :uMmlti ...'): GMime skips it and "
                                              "reads the Subject after it; Python takes everything as body"},
    "stalwart/legacy/010.eml": {"subject": EIGHT_BIT},
    "stalwart/legacy/016.eml": {"attachments": EIGHT_BIT},
    "stalwart/legacy/020.eml": {"subject": EIGHT_BIT},
    "stalwart/legacy/022.eml": {"subject": EIGHT_BIT},
    "stalwart/legacy/023.eml": {"attachments": EIGHT_BIT},
    "stalwart/legacy/026.eml": {"attachments": EIGHT_BIT},
    "stalwart/legacy/027.eml": {"subject": EIGHT_BIT},
    "stalwart/legacy/052.eml": {"subject": EIGHT_BIT},
}

REMOVED = set(range(0x20)) | set(range(0x7F, 0xA0)) | {0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF} \
    | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def display_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if c in "\t\r\n" else c for c in name if c in "\t\r\n" or ord(c) not in REMOVED)
    name = name.strip(" \t\r\n")
    return "_" if name in (".", "..") else name


def leaf_attachments(part, out):
    content_type = part.get_content_type()
    if content_type in ("message/delivery-status", "text/rfc822-headers"):
        return
    if part.is_multipart():
        for sub in part.get_payload():
            leaf_attachments(sub, out)
        return
    filename = part.get_filename()
    if filename is None and part.get_content_disposition() != "attachment":
        return
    payload = part.get_payload(decode=True) or b""
    out.append({"name": display_name(str(filename or "")), "size": len(payload)})


def read(path: pathlib.Path) -> dict:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    try:
        subject = str(message["subject"] or "")
    except Exception as error:  # noqa: BLE001 - a header Python cannot decode at all
        subject = f"<python: {error}>"
    attachments = []
    try:
        leaf_attachments(message, attachments)
    except Exception as error:  # noqa: BLE001
        attachments = [{"name": f"<python: {error}>", "size": -1}]
    return {"subject": " ".join(subject.split()), "attachments": attachments}


def main() -> None:
    corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    mails = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".eml", ".txt")):
        relative = path.relative_to(corpus).as_posix()
        entry = read(path)
        if relative in KNOWN_DIFFERENCES:
            entry["differs"] = KNOWN_DIFFERENCES[relative]
        mails[relative] = entry
    out = HERE / "corpus-expected.json"
    out.write_text(json.dumps(mails, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(mails)} mails -> {out}")


if __name__ == "__main__":
    main()
