#pragma once
// What ispd sends, as the bytes an SMTP server takes: a notice's headers, its text (and
// HTML) body and its attachments, built with GMime 3. A pure function of its input; the
// subject and names come from forms, so nothing in them can add a header.

#include <string>
#include <vector>

#include "mail/mime.hpp"
#include "util/result.hpp"

namespace ispd::mail {

struct OutgoingAttachment {
  std::string file_name;     // shown to the reader; folders and control characters are dropped
  std::string content_type;  // e.g. "application/pdf"; empty means application/octet-stream
  std::string bytes;
};

struct OutgoingMail {
  Address from;
  std::vector<Address> to;  // the To header; empty means "undisclosed-recipients:;"
  std::string subject;
  std::string message_id;   // without the angle brackets, e.g. "3f2a9c@nwadcs.test"
  std::string date;         // RFC 3339, e.g. "2026-02-13T10:00:00Z"
  std::string in_reply_to;  // without the angle brackets; empty for none; also written as References
  std::string auto_submitted = "auto-generated";  // or "auto-replied" (RFC 3834)
  std::string text;                               // the plain text body, UTF-8
  std::string html;                               // the HTML body; empty for a text-only mail
  std::vector<OutgoingAttachment> attachments;
};

// The mail as RFC 5322 bytes with CRLF line ends: text/plain, multipart/alternative when
// there is HTML, inside multipart/mixed when there are attachments. An error for what
// cannot be sent: no from address, an address that is not a plain addr-spec (CR, LF,
// spaces, angle brackets), a message-id with spaces or brackets, an unreadable date.
Result<std::string> compose_mail(const OutgoingMail& mail);

}  // namespace ispd::mail
