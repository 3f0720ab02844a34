#!/usr/bin/env python3
"""Writes the test mails in this folder (all but the three examples copied from
../shared/mail/examples/). Deterministic: run it again and nothing changes.

    python3 tests/data/mail/make-mails.py

Each mail is written byte for byte (no email package), as the client named in
its comment writes it, so the reader is tested on what arrives, not on what
Python would produce. winmail.dat is built here from MS-OXTNEF: signature,
key, then attributes (level, id, length, data, 16-bit sum of the data bytes).
"""

import base64
import binascii
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
FORMS = HERE.parent / "forms"
FORM = (FORMS / "internal-new-notification.docx").read_bytes()
RESTRICTED = (FORMS / "restricted-criminality.docx").read_bytes()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# A tiny but well-formed PDF, as a council's scanner would attach.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def compound_file(streams) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) as Word 97-2003 writes a .doc:
    sector 0 holds the FAT, sector 1 the directory with a root entry and the named streams."""
    free, end = 0xFFFFFFFF, 0xFFFFFFFE
    out = bytearray(3 * 512)
    out[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", out, 0x18, 0x003E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", out, 0x2C, 1)  # FAT sectors
    struct.pack_into("<I", out, 0x30, 1)  # first directory sector
    struct.pack_into("<III", out, 0x38, 0x1000, end, 0)
    struct.pack_into("<I", out, 0x44, end)
    struct.pack_into("<I", out, 0x4C, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", out, 0x4C + 4 * i, free)
    for i in range(128):
        struct.pack_into("<I", out, 512 + 4 * i, free)
    struct.pack_into("<II", out, 512, 0xFFFFFFFD, end)
    entries = [("Root Entry", 5)] + [(name, 2) for name in streams]
    for e, (name, kind) in enumerate(entries):
        at = 1024 + 128 * e
        encoded = name.encode("utf-16-le")
        out[at:at + len(encoded)] = encoded
        struct.pack_into("<HB", out, at + 0x40, len(encoded) + 2, kind)
        struct.pack_into("<III", out, at + 0x44, free, e + 1 if e + 1 < len(entries) else free, free)
        struct.pack_into("<II", out, at + 0x74, end, 0)
    return bytes(out)


DOC = compound_file(["WordDocument", "1Table"])


def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def outlook_headers(sender, subject, message_id, date, extra=""):
    return (f"From: {sender}\n"
            "To: Placements North West <placementsnorthwest@stockport.gov.uk>\n"
            f"Subject: {subject}\n"
            f"Date: {date}\n"
            f"Message-ID: <{message_id}>\n"
            f"{extra}"
            "MIME-Version: 1.0\n")


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def mapi_string(tag: int, value: bytes) -> bytes:
    padded = value + bytes((4 - len(value) % 4) % 4)
    return struct.pack("<III", tag, 1, len(value)) + padded


def winmail_dat() -> bytes:
    """Outlook's rich-text wrapping: the form with its long name, and a note with only its 8.3 title."""
    out = struct.pack("<IH", 0x223E9F78, 0x5A3C)
    out += tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += tnef_attribute(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    out += tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
    render = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 1)  # attAttachRendData: a file
    long_name = "ISP notification – Brookvale Care Ltd.docx".encode("utf-16-le") + b"\0\0"
    properties = [
        struct.pack("<II", 0x37050003, 1),  # PR_ATTACH_METHOD: ATTACH_BY_VALUE
        mapi_string(0x3707001F, long_name),  # PR_ATTACH_LONG_FILENAME_W
        mapi_string(0x370E001E, DOCX.encode() + b"\0"),  # PR_ATTACH_MIME_TAG
    ]
    mapi = struct.pack("<I", len(properties)) + b"".join(properties)
    out += tnef_attribute(2, 0x00069002, render)
    out += tnef_attribute(2, 0x00018010, b"ISPNOT~1.DOC\0")  # attAttachTitle
    out += tnef_attribute(2, 0x0006800F, FORM)  # attAttachData
    out += tnef_attribute(2, 0x00069005, mapi)  # attAttachment
    out += tnef_attribute(2, 0x00069002, render)
    out += tnef_attribute(2, 0x00018010, b"NOTES.TXT\0")
    out += tnef_attribute(2, 0x0006800F, b"Placement notes: see the form.\r\n")
    return out


def mixed(headers: str, body_text: str, parts: list, boundary="_004_ISPD_TEST_BOUNDARY_") -> bytes:
    text = headers + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
    text += f"--{boundary}\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n"
    text += body_text + "\n\n"
    for part in parts:
        text += f"--{boundary}\n{part}\n"
    text += f"--{boundary}--\n"
    return crlf(text)


def attachment(content_type: str, name_params: str, data: bytes) -> str:
    return (f"Content-Type: {content_type}; {name_params[0]}\n"
            "Content-Transfer-Encoding: base64\n"
            f"Content-Disposition: attachment; {name_params[1]}\n\n" + b64(data) + "\n")


def main() -> None:
    plain_names = lambda n: (f'name="{n}"', f'filename="{n}"')  # noqa: E731

    # A manager forwards the council's mail as an attachment (message/rfc822), as Outlook's "Forward as attachment".
    original = (HERE / "internal-new-notification.eml").read_bytes().decode("utf-8")
    write("forwarded.eml", mixed(
        outlook_headers('"Head of Service, Bolton" <head.service@bolton.gov.uk>',
                        "FW: ISP notification - Brookvale Care Ltd", "FWD0001@bolton.gov.uk",
                        "Wed, 04 Feb 2026 08:30:00 +0000"),
        "Forwarding the notification below for circulation.",
        ['Content-Type: message/rfc822\nContent-Disposition: attachment; filename="ISP notification.eml"\n\n'
         + original.replace("\r\n", "\n")]))

    # The form and a PDF copy of it, as Outlook attaches two files.
    write("form-and-pdf.eml", mixed(
        outlook_headers('"Quality Officer" <quality@wigan.gov.uk>', "ISP notification - Kestrel Fold",
                        "TWO0001@wigan.gov.uk", "Thu, 05 Feb 2026 11:00:00 +0000"),
        "Please find the form attached, and a PDF copy.",
        [attachment(DOCX, plain_names("ISP notification.docx"), RESTRICTED),
         attachment("application/pdf", plain_names("ISP notification.pdf"), PDF)]))

    # A question with no attachment at all.
    write("no-attachment.eml", crlf(
        outlook_headers('"Officer" <officer@salford.gov.uk>', "Question about the ISP form",
                        "NONE0001@salford.gov.uk", "Fri, 06 Feb 2026 09:15:00 +0000")
        + 'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 7bit\n\n'
        "Which version of the form should we use?\n"))

    # The old Word 97-2003 format.
    write("doc-attachment.eml", mixed(
        outlook_headers('"Officer" <officer@oldham.gov.uk>', "ISP notification", "DOC0001@oldham.gov.uk",
                        "Mon, 09 Feb 2026 10:00:00 +0000"),
        "Form attached.",
        [attachment("application/msword", plain_names("ISP notification.doc"), DOC)]))

    # Outlook writes a non-ASCII file name in RFC 2231 form only, with a bare '?' in the old name parameter.
    name = "Notificación – Café Ünïcode Ltd.docx"
    encoded = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else
                      "".join(f"%{b:02X}" for b in c.encode()) for c in name)
    write("rfc2231-filename.eml", mixed(
        outlook_headers('"Officer" <officer@bury.gov.uk>', "ISP notification - Café Ltd",
                        "RFC2231@bury.gov.uk", "Tue, 10 Feb 2026 10:00:00 +0000"),
        "Form attached.",
        [attachment(DOCX, ('name="Notificaci?n ? Caf? ?n?code Ltd.docx"', f"filename*=utf-8''{encoded}"), FORM)]))

    # Subject and sender in RFC 2047 encoded-words, B and Q, two charsets, split across a fold.
    write("rfc2047-subject.eml", crlf(
        "From: =?iso-8859-1?Q?Ren=E9e_O=27Brien?= <renee.obrien@tameside.gov.uk>\n"
        "To: placementsnorthwest@stockport.gov.uk\n"
        "Subject: =?utf-8?B?SVNQIG5vdGlmaWNhdGlvbiDigJMg?=\n"
        " =?utf-8?Q?Caf=C3=A9_Ltd_=E2=80=93_review?=\n"
        "Date: Wed, 11 Feb 2026 12:00:00 +0000\n"
        "Message-ID: <RFC2047@tameside.gov.uk>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: text/plain; charset="utf-8"\n\n'
        "See subject.\n"))

    # A boundary with spaces in it, legal in RFC 2046 when quoted.
    write("boundary-spaces.eml", mixed(
        outlook_headers('"Officer" <officer@rochdale.gov.uk>', "ISP notification - spaced boundary",
                        "SPACES01@rochdale.gov.uk", "Thu, 12 Feb 2026 10:00:00 +0000"),
        "Form attached.",
        [attachment(DOCX, plain_names("ISP notification.docx"), FORM)],
        boundary="boundary with  spaces in it"))

    # Exchange's out-of-office reply.
    write("out-of-office.eml", crlf(
        outlook_headers('"Team Manager" <commissioning.qa@bolton.gov.uk>',
                        "Automatic reply: ISP-2026-0007 circulated", "OOF0001@bolton.gov.uk",
                        "Fri, 13 Feb 2026 08:00:00 +0000",
                        "In-Reply-To: <ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk>\n"
                        "References: <ISP-2026-0007.0@placementsnorthwest.stockport.gov.uk>\n"
                        " <ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk>\n"
                        "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n")
        + 'Content-Type: text/plain; charset="utf-8"\n\n'
        "I am out of the office until Monday.\n"))

    # A newsletter sent with Precedence: bulk.
    write("precedence-bulk.eml", crlf(
        outlook_headers('"Sector News" <news@example-care-news.org.uk>', "Care sector news, February",
                        "BULK0001@example-care-news.org.uk", "Sat, 14 Feb 2026 07:00:00 +0000",
                        "Precedence: bulk\n")
        + 'Content-Type: text/plain; charset="utf-8"\n\nThis month...\n'))

    # Postfix's bounce (RFC 3464): one recipient failed, one delivered, the original headers returned.
    dsn = ("Reporting-MTA: dns; mail.stockport.gov.uk\n"
           "X-Postfix-Queue-ID: 4F1C31692D\n"
           "Arrival-Date: Sun, 15 Feb 2026 09:00:00 +0000 (GMT)\n\n"
           "Final-Recipient: rfc822; no.such.officer@trafford.gov.uk\n"
           "Original-Recipient: rfc822;No.Such.Officer@trafford.gov.uk\n"
           "Action: failed\n"
           "Status: 5.1.1\n"
           "Remote-MTA: dns; mx.trafford.gov.uk\n"
           "Diagnostic-Code: smtp; 550 5.1.1 <no.such.officer@trafford.gov.uk>:\n"
           "    Recipient address rejected: User unknown\n\n"
           "Final-Recipient: rfc822; isp@bolton.gov.uk\n"
           "Action: delivered\n"
           "Status: 2.0.0\n")
    write("dsn-bounce.eml", crlf(
        "Return-Path: <>\n"
        "From: MAILER-DAEMON@mail.stockport.gov.uk (Mail Delivery System)\n"
        "To: placementsnorthwest@stockport.gov.uk\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: Sun, 15 Feb 2026 09:00:05 +0000\n"
        "Message-ID: <20260215090005.4F1C31692D@mail.stockport.gov.uk>\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status;\n boundary="4F1C31692D.1771146005/mail"\n\n'
        "--4F1C31692D.1771146005/mail\n"
        "Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
        "--4F1C31692D.1771146005/mail\n"
        "Content-Description: Delivery report\nContent-Type: message/delivery-status\n\n" + dsn + "\n"
        "--4F1C31692D.1771146005/mail\n"
        "Content-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        "From: Placements North West <placementsnorthwest@stockport.gov.uk>\n"
        "To: undisclosed-recipients:;\n"
        "Subject: OFFICIAL: ISP-2026-0007 Brookvale Care Ltd\n"
        "Message-ID:\n <ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk>\n"
        "Date: Sun, 15 Feb 2026 08:59:58 +0000\n\n"
        "--4F1C31692D.1771146005/mail--\n"))

    # Outlook's rich text format: the form inside winmail.dat.
    write("tnef-winmail.eml", crlf(
        outlook_headers('"Officer" <officer@wirral.gov.uk>', "ISP notification - Brookvale Care Ltd",
                        "TNEF0001@wirral.gov.uk", "Mon, 16 Feb 2026 10:00:00 +0000",
                        "X-MS-Has-Attach: yes\nX-MS-TNEF-Correlator: <TNEF0001@wirral.gov.uk>\n")
        + 'Content-Type: multipart/mixed; boundary="_TNEF_"\n\n'
        "--_TNEF_\nContent-Type: text/plain; charset=\"us-ascii\"\n\nForm attached.\n\n"
        "--_TNEF_\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
        "Content-Transfer-Encoding: base64\n"
        "Content-Disposition: attachment; filename=\"winmail.dat\"\n\n" + b64(winmail_dat()) + "\n"
        "--_TNEF_--\n"))

    # Old clients: a uuencoded attachment, and quoted-printable text with a name.
    uu = "".join(binascii.b2a_uu(PDF[i:i + 45]).decode() for i in range(0, len(PDF), 45))
    write("uuencode-and-qp.eml", crlf(
        outlook_headers('"Officer" <officer@knowsley.gov.uk>', "Scanned form", "UUQP0001@knowsley.gov.uk",
                        "Tue, 17 Feb 2026 10:00:00 +0000")
        + 'Content-Type: multipart/mixed; boundary="uuqp"\n\n'
        "--uuqp\nContent-Type: text/plain\n\nTwo files.\n\n"
        "--uuqp\nContent-Type: application/pdf; name=\"scan.pdf\"\nContent-Transfer-Encoding: x-uuencode\n"
        "Content-Disposition: attachment; filename=\"scan.pdf\"\n\nbegin 644 scan.pdf\n" + uu + "`\nend\n\n"
        "--uuqp\nContent-Type: text/plain; charset=utf-8; name=\"notes.txt\"\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "Content-Disposition: attachment; filename=\"notes.txt\"\n\n"
        "Caf=C3=A9 notes =E2=80=93 a line that is long enough to be soft-broken by a =\nquoted-printable encoder.\n\n"
        "--uuqp--\n"))

    # A zip bomb named as a form: one part that inflates a thousandfold.
    import io
    import zipfile
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr(zipfile.ZipInfo("word/document.xml", (2026, 2, 11, 9, 0, 0)), b"<" * (64 << 20),
                   compress_type=zipfile.ZIP_DEFLATED)
    write("zip-bomb.eml", mixed(
        outlook_headers('"Officer" <officer@stockport.gov.uk>', "ISP notification", "BOMB0001@stockport.gov.uk",
                        "Wed, 11 Feb 2026 09:00:00 +0000"),
        "Form attached.",
        [attachment(DOCX, plain_names("ISP notification.docx"), bomb.getvalue())]))

    # A complete form from an address that is no authority's.
    write("unknown-sender.eml", mixed(
        outlook_headers('"A Person" <someone@example-care-consultants.co.uk>', "ISP notification - Brookvale Care Ltd",
                        "UNKNOWN0001@example-care-consultants.co.uk", "Thu, 12 Feb 2026 09:00:00 +0000"),
        "Please circulate the attached.",
        [attachment(DOCX, plain_names("ISP notification.docx"), FORM)]))

    # Two different forms in one mail.
    write("two-forms.eml", mixed(
        outlook_headers('"Service Manager, Placements and Commissioning" <placements.commissioning@wigan.gov.uk>',
                        "ISP notifications - two providers", "TWOFORMS0001@wigan.gov.uk",
                        "Fri, 13 Feb 2026 09:00:00 +0000"),
        "Two notifications attached.",
        [attachment(DOCX, plain_names("Kestrel Fold.docx"), RESTRICTED),
         attachment(DOCX, plain_names("Brookvale.docx"), FORM)]))


if __name__ == "__main__":
    main()
