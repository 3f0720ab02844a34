#pragma once
// A mail's bytes in, what ispd reads from it out: who sent it, its ids, whether
// it is automatic (RFC 3834) or a bounce (RFC 3464), and every attachment,
// decoded, from nested multiparts, forwarded mails and winmail.dat. A pure
// function of its input, bounded by MailLimits, so it can be fuzzed.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace ispd::mail {

struct MailLimits {
  std::size_t max_mail_bytes = std::size_t{40} << 20;
  std::size_t max_attachment_bytes = std::size_t{25} << 20;
  // Decoded bytes of all attachments together, winmail.dat and what it holds included.
  std::size_t max_total_bytes = std::size_t{60} << 20;
  // Every MIME entity counts: multiparts, forwarded mails, leaves, files inside winmail.dat.
  std::size_t max_parts = 500;
  // Multiparts and forwarded mails inside one another.
  std::size_t max_depth = 20;
  // The mail's own header block, and any one header anywhere (Exchange Online's limit for a header).
  std::size_t max_header_bytes = std::size_t{256} << 10;
  // Header fields of the mail, its parts and the mails forwarded in it, together.
  std::size_t max_header_fields = 10000;
};

struct Address {
  std::string name;     // display name, decoded; may be empty
  std::string address;  // addr-spec as written, e.g. "isp@bolton.gov.uk"
};

struct Attachment {
  std::string name;             // decoded, without folders or control characters; may be empty
  std::string content_type;     // lower case, without parameters, e.g. "application/pdf"
  std::size_t size = 0;         // decoded bytes
  std::string sha256;           // lower-case hex of the decoded bytes
  std::string bytes;            // the decoded content
  bool from_forwarded = false;  // inside a forwarded mail (message/rfc822)
  bool from_tnef = false;       // unpacked from winmail.dat (application/ms-tnef)
};

struct MailMessage {
  Address from;  // the first address of the From header
  // How many addresses the From header names: RFC 5322 allows several, and then no one of them is the sender.
  std::size_t from_count = 0;
  std::vector<Address> reply_to;
  std::vector<Address> to;
  std::vector<Address> cc;
  std::string subject;     // RFC 2047 decoded, UTF-8
  std::string message_id;  // without the angle brackets
  std::string date;        // RFC 3339 in UTC ("2026-02-03T10:14:22Z"); empty when missing or unreadable
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string auto_submitted;
  std::string precedence;
  std::string authentication_results;  // the first (topmost) header, unfolded
  std::string list_id;
  std::string return_path;  // as written, e.g. "<>"; empty when there is no Return-Path header
  bool has_return_path = false;
  bool x_autoreply = false;  // an X-Autoreply or X-Autorespond header is present
  std::string content_type;  // of the top part, lower case, without parameters

  // Mail that must never be answered (RFC 3834), and why, e.g. "Auto-Submitted: auto-replied".
  bool automatic = false;
  std::string why;

  // A delivery status notification (RFC 3464): whom it failed to reach and which mail it was.
  bool is_bounce = false;
  std::vector<std::string> failed_recipients;
  std::string original_message_id;

  std::vector<Attachment> attachments;

  // The mail's first text/plain part (not of a forwarded mail), in UTF-8, at most kMaxTextBytes.
  std::string text;
};

inline constexpr std::size_t kMaxTextBytes = std::size_t{64} * 1024;

// Reads a mail as far as GMime can parse it. An error only when the mail is over a limit
// or holds no message at all; the message follows the file's name ("has an attachment
// larger than 25 MiB").
Result<MailMessage> read_mail(std::string_view raw, const MailLimits& limits = {});

// Display form of an attachment's name: the last path component, without control or
// bidirectional-override characters, valid UTF-8, at most 255 bytes.
std::string display_name(std::string_view name);

}  // namespace ispd::mail
