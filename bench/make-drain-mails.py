#!/usr/bin/env python3
"""Writes the mails bench/drain-bench.sh drains: N council mails, each with a
different complete ISP form attached. Deterministic: run it again and every
byte is the same.

    python3 bench/make-drain-mails.py OUT_DIR [COUNT]     (COUNT: 1000)

Mail N (1-based) is OUT_DIR/drain-NNNN.eml: tests/data/forms/
internal-new-notification.docx with "Brookvale Care Ltd" in word/document.xml
replaced by "Drain Provider N Ltd", sent by Bolton's commissioning team as
Outlook writes it (CRLF, base64 in lines of 76), with its own Message-ID.
ispd matches a form to an open notification by the provider's name, company
number or Ofsted URN, so those two numbers (and the setting's URN) are made
N's own too: each form is then a new notification, not an update of mail 1's.
"""

import base64
import io
import pathlib
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FORM = ROOT / "tests" / "data" / "forms" / "internal-new-notification.docx"
PROVIDER = "Brookvale Care Ltd"
COMPANY_NUMBER = "10482736"
PROVIDER_URN = "SC512847"
SETTING_URN = "SC512848"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def replaced(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        sys.exit(f"make-drain-mails: {FORM} has {text.count(old)} times {old!r}, not once")
    return text.replace(old, new)


def form_for(template: zipfile.ZipFile, n: int, provider: str) -> bytes:
    """The template form with provider N's name and numbers; every other part,
    name, date and order as in the template, so the bytes depend on N alone."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in template.infolist():
            data = template.read(info)
            if info.filename == "word/document.xml":
                text = replaced(data.decode("utf-8"), PROVIDER, provider)
                text = replaced(text, COMPANY_NUMBER, f"{90000000 + n:08d}")
                text = replaced(text, PROVIDER_URN, f"SC{900000 + n}")
                text = replaced(text, SETTING_URN, f"SC{950000 + n}")
                data = text.encode("utf-8")
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            z.writestr(copy, data)
    return out.getvalue()


def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def mail(n: int, docx: bytes, provider: str) -> bytes:
    boundary = f"_004_DRAIN{n:06d}_"
    name = f"ISP notification - {provider}.docx"
    # One second apart from 08:00, so mail 1000 is sent at 08:16:40, before ISPD_NOW.
    date = f"Fri, 13 Feb 2026 {8 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d} +0000"
    lines = [
        'From: "Team Manager, Commissioning" <commissioning.qa@bolton.gov.uk>',
        "To: Placements North West <placementsnorthwest@stockport.gov.uk>",
        f"Subject: ISP notification - {provider}",
        f"Date: {date}",
        f"Message-ID: <DRAIN{n:06d}.bench@bolton.gov.uk>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 7bit",
        "",
        f"Please find attached the ISP notification for {provider}.",
        "",
        f"--{boundary}",
        f'Content-Type: {DOCX}; name="{name}"',
        "Content-Transfer-Encoding: base64",
        f'Content-Disposition: attachment; filename="{name}"',
        "",
        b64(docx),
        "",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1].strip())
    out = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 1000
    if not 1 <= count <= 9999:
        sys.exit("make-drain-mails: COUNT must be 1 to 9999")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("drain-*.eml"):
        old.unlink()
    with zipfile.ZipFile(FORM) as template:
        for n in range(1, count + 1):
            provider = f"Drain Provider {n} Ltd"
            (out / f"drain-{n:04d}.eml").write_bytes(mail(n, form_for(template, n, provider), provider))


if __name__ == "__main__":
    main()
