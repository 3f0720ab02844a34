#include "mail/mime.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <utility>

#include "mail/gmime_handles.hpp"
#include "mail/mime_parser.hpp"
#include "mail/tnef.hpp"
#include "util/message_id.hpp"
#include "util/text.hpp"

namespace ispd::mail {
namespace {

using detail::DateTimeUnref;
using detail::describe_bytes;
using detail::ensure_gmime;
using detail::GCharPtr;
using detail::GObjectPtr;
using detail::kNotAMail;
using detail::MessageParser;

constexpr std::size_t kMaxNameBytes = 255;

struct ChecksumFree {
  void operator()(GChecksum* p) const { g_checksum_free(p); }
};

struct ReferencesFree {
  void operator()(GMimeReferences* p) const { g_mime_references_free(p); }
};

using ispd::text::starts_with_nocase;

std::string header(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_header(object, name);
  return value != nullptr ? std::string(ispd::text::trimmed(value)) : std::string();
}

bool has_header(GMimeObject* object, const char* name) { return g_mime_object_get_header(object, name) != nullptr; }

std::string mime_type(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "application/octet-stream";
  const GCharPtr text(g_mime_content_type_get_mime_type(type));
  return text ? ispd::text::lowercase(text.get()) : std::string("application/octet-stream");
}

std::string content_type_parameter(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_content_type_parameter(object, name);
  return value != nullptr ? ispd::text::lowercase(ispd::text::trimmed(value)) : std::string();
}

std::string message_id_of(const char* text) {
  if (text == nullptr) return {};
  const GCharPtr id(g_mime_utils_decode_message_id(text));
  return id ? ispd::message_id::bare(id.get()) : std::string();
}

void add_mailboxes(InternetAddressList* list, std::vector<Address>& out, int depth = 0) {
  if (list == nullptr || depth > 1) return;
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      const char* name = internet_address_get_name(address);
      out.push_back({name != nullptr ? std::string(name) : std::string(), addr != nullptr ? addr : ""});
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      add_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out, depth + 1);
    }
  }
}

std::string rfc3339_utc(GDateTime* date) {
  if (date == nullptr) return {};
  const std::unique_ptr<GDateTime, DateTimeUnref> utc(g_date_time_to_utc(date));
  if (!utc) return {};
  const GCharPtr text(g_date_time_format(utc.get(), "%Y-%m-%dT%H:%M:%SZ"));
  return text ? std::string(text.get()) : std::string();
}

std::string sha256_hex(std::string_view bytes) {
  const std::unique_ptr<GChecksum, ChecksumFree> sum(g_checksum_new(G_CHECKSUM_SHA256));
  // GChecksum takes a signed length: feed very large inputs in pieces.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, bytes.size() - at);
    g_checksum_update(sum.get(), reinterpret_cast<const guchar*>(bytes.data() + at), static_cast<gssize>(n));
  }
  return g_checksum_get_string(sum.get());
}

// Header-like fields as in a message/delivery-status body: groups separated by blank lines,
// folded lines unfolded, names in lower case.
using FieldGroup = std::vector<std::pair<std::string, std::string>>;

std::vector<FieldGroup> read_field_groups(std::string_view text) {
  std::vector<FieldGroup> groups(1);
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = end + 1;
    if (ispd::text::trimmed(line).empty()) {
      if (!groups.back().empty()) groups.emplace_back();
      continue;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !groups.back().empty()) {
      groups.back().back().second += ' ';
      groups.back().back().second += ispd::text::trimmed(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    groups.back().emplace_back(ispd::text::lowercase(ispd::text::trimmed(line.substr(0, colon))),
                               std::string(ispd::text::trimmed(line.substr(colon + 1))));
  }
  return groups;
}

std::string field(const FieldGroup& group, std::string_view name) {
  for (const auto& [key, value] : group) {
    if (key == name) return value;
  }
  return {};
}

// "rfc822; someone@example.org" to "someone@example.org".
std::string recipient_address(std::string_view value) {
  if (const std::size_t semicolon = value.find(';'); semicolon != std::string_view::npos) {
    value = value.substr(semicolon + 1);
  }
  value = ispd::text::trimmed(value);
  if (value.size() >= 2 && value.front() == '<' && value.back() == '>') value = value.substr(1, value.size() - 2);
  return std::string(ispd::text::trimmed(value));
}

bool is_tnef(const std::string& type, const std::string& name) {
  return type == "application/ms-tnef" || type == "application/vnd.ms-tnef" ||
         ispd::text::lowercase(name) == "winmail.dat";
}

class MailReader {
 public:
  MailReader(const MailLimits& limits, MessageParser& parser) : limits_(limits), parser_(parser) {}

  std::optional<Error> walk(GMimeObject* object, std::size_t depth, bool forwarded, bool in_report) {
    if (object == nullptr) return std::nullopt;
    if (depth > limits_.max_depth) return parser_.too_deep();
    if (auto e = count_part()) return e;

    if (GMIME_IS_MULTIPART(object)) {
      const std::string type = mime_type(object);
      bool report = false;
      if (!forwarded && type == "multipart/report") {
        const std::string report_type = content_type_parameter(object, "report-type");
        if (report_type == "delivery-status" || report_type == "global-delivery-status") {
          is_bounce_ = true;
          report = true;
        } else if (report_type == "disposition-notification") {
          is_receipt_ = true;
        }
      }
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int i = 0; i < count; ++i) {
        if (auto e = walk(g_mime_multipart_get_part(multipart, i), depth + 1, forwarded, report)) return e;
      }
      return std::nullopt;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner == nullptr) return std::nullopt;
      // A bounce may return the whole original mail instead of its headers.
      if (in_report && original_message_id_.empty()) {
        const char* id = g_mime_message_get_message_id(inner);
        if (id != nullptr) original_message_id_ = ispd::message_id::bare(id);
      }
      return walk(g_mime_message_get_mime_part(inner), depth + 1, true, false);
    }
    if (GMIME_IS_PART(object)) return read_leaf(GMIME_PART(object), depth, forwarded, in_report);
    return std::nullopt;
  }

  std::vector<Attachment> take_attachments() { return std::move(attachments_); }
  [[nodiscard]] bool is_bounce() const { return is_bounce_; }
  [[nodiscard]] bool is_receipt() const { return is_receipt_; }
  std::vector<std::string> take_failed_recipients() { return std::move(failed_recipients_); }
  std::string take_original_message_id() { return std::move(original_message_id_); }
  std::string take_text() { return std::move(text_); }

 private:
  std::optional<Error> count_part() {
    if (++parts_ > limits_.max_parts) return parser_.too_many_parts();
    return std::nullopt;
  }

  Error too_large() const {
    return Error{"has an attachment larger than " + describe_bytes(limits_.max_attachment_bytes)};
  }

  // Decodes base64, quoted-printable or uuencode through GMime's filter a chunk at a time,
  // so an attachment over the limit is refused once the limit is passed, not after.
  Result<std::string> decode(GMimePart* part) const {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content == nullptr) return std::string();
    GMimeStream* stream = g_mime_data_wrapper_get_stream(content);
    if (stream == nullptr) return std::string();
    const GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
    GObjectPtr<GMimeFilter> filter;
    if (encoding == GMIME_CONTENT_ENCODING_BASE64 || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
        encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
      filter.reset(g_mime_filter_basic_new(encoding, FALSE));
    }
    if (g_mime_stream_reset(stream) == -1) return std::string();
    std::string out;
    std::array<char, 65536> chunk{};
    const auto append = [&](char* data, std::size_t length, bool last) {
      if (!filter) {
        out.append(data, length);
        return;
      }
      char* decoded = nullptr;
      std::size_t decoded_length = 0;
      std::size_t prespace = 0;
      if (last) {
        g_mime_filter_complete(filter.get(), data, length, 0, &decoded, &decoded_length, &prespace);
      } else {
        g_mime_filter_filter(filter.get(), data, length, 0, &decoded, &decoded_length, &prespace);
      }
      out.append(decoded, decoded_length);
    };
    for (;;) {
      const ssize_t n = g_mime_stream_read(stream, chunk.data(), chunk.size());
      if (n <= 0) break;
      append(chunk.data(), static_cast<std::size_t>(n), false);
      if (out.size() > limits_.max_attachment_bytes) return too_large();
    }
    append(chunk.data(), 0, true);
    if (out.size() > limits_.max_attachment_bytes) return too_large();
    return out;
  }

  std::optional<Error> count_bytes(std::size_t n) {
    total_ += n;
    if (total_ > limits_.max_total_bytes) {
      return Error{"has attachments larger than " + describe_bytes(limits_.max_total_bytes) + " in all"};
    }
    return std::nullopt;
  }

  std::optional<Error> add(const std::string& name, std::string type, std::string bytes, bool forwarded, bool tnef) {
    if (bytes.size() > limits_.max_attachment_bytes) return too_large();
    if (auto e = count_bytes(bytes.size())) return e;
    Attachment a;
    a.name = display_name(name);
    a.content_type = std::move(type);
    a.size = bytes.size();
    a.sha256 = sha256_hex(bytes);
    a.bytes = std::move(bytes);
    a.from_forwarded = forwarded;
    a.from_tnef = tnef;
    attachments_.push_back(std::move(a));
    return std::nullopt;
  }

  std::optional<Error> walk_encoded_message(const std::string& bytes, std::size_t depth) {
    if (depth + 1 > limits_.max_depth) return parser_.too_deep();
    auto inner = parser_.parse(bytes);
    if (!inner) {
      // Not a mail after all: nothing in it to read, unless it was over a limit.
      if (inner.error().message == kNotAMail) return std::nullopt;
      return inner.error();
    }
    return walk(g_mime_message_get_mime_part(inner->get()), depth + 1, true, false);
  }

  std::optional<Error> read_leaf(GMimePart* part, std::size_t depth, bool forwarded, bool in_report) {
    GMimeObject* object = GMIME_OBJECT(part);
    const std::string type = mime_type(object);
    if (in_report && (type == "message/delivery-status" || type == "message/global-delivery-status" ||
                      type == "text/rfc822-headers" || type == "message/global-headers")) {
      auto text = decode(part);
      if (!text) return text.error();
      read_report_part(type, *text);
      return std::nullopt;
    }
    // A pointer to a file kept elsewhere (RFC 2046 5.2.3), not the file: nothing to read.
    if (type == "message/external-body") return std::nullopt;
    // GMime leaves a forwarded mail that was base64-encoded (against RFC 2046, but sent) as a leaf.
    if (type == "message/rfc822" || type == "message/global") {
      auto bytes = decode(part);
      if (!bytes) return bytes.error();
      if (auto e = count_bytes(bytes->size())) return e;
      return walk_encoded_message(*bytes, depth);
    }
    const char* filename = g_mime_part_get_filename(part);
    const std::string name = filename != nullptr ? filename : "";
    if (filename == nullptr && !g_mime_part_is_attachment(part)) {
      // The first text of the mail's own (not of a forwarded mail), in UTF-8 from whatever charset it declares.
      if (!have_text_ && !forwarded && !in_report && type == "text/plain" && GMIME_IS_TEXT_PART(part)) {
        have_text_ = true;
        std::unique_ptr<char, decltype(&g_free)> text(g_mime_text_part_get_text(GMIME_TEXT_PART(part)), g_free);
        if (text) text_ = std::string(text.get()).substr(0, kMaxTextBytes);
      }
      return std::nullopt;
    }

    auto bytes = decode(part);
    if (!bytes) return bytes.error();
    if (is_tnef(type, name)) {
      // Each file counts as a part below; the reader's own bound only keeps its work small.
      auto files = read_tnef(*bytes, limits_.max_parts);
      if (!files && files.error().message.starts_with("holds more than")) return parser_.too_many_parts();
      if (files && !files->empty()) {
        for (TnefFile& file : files.value()) {
          if (auto e = count_part()) return e;
          std::string file_type = file.content_type.empty()
                                      ? "application/octet-stream"
                                      : ispd::text::lowercase(ispd::text::trimmed(file.content_type));
          if (auto e = add(file.name, std::move(file_type), std::move(file.bytes), forwarded, true)) return e;
        }
        return std::nullopt;
      }
      // A winmail.dat that holds no file carries only formatting; a damaged one is shown as it is.
      if (files) return std::nullopt;
    }
    return add(name, type, std::move(bytes).value(), forwarded, false);
  }

  void read_report_part(const std::string& type, const std::string& text) {
    const auto groups = read_field_groups(text);
    if (type == "text/rfc822-headers" || type == "message/global-headers") {
      if (original_message_id_.empty() && !groups.empty()) {
        const std::string id = field(groups.front(), "message-id");
        if (!id.empty()) original_message_id_ = message_id_of(id.c_str());
      }
      return;
    }
    // The first group is about the message; each later one about a recipient.
    for (std::size_t i = 1; i < groups.size(); ++i) {
      if (!starts_with_nocase(ispd::text::trimmed(field(groups[i], "action")), "failed")) continue;
      std::string recipient = recipient_address(field(groups[i], "original-recipient"));
      if (recipient.empty()) recipient = recipient_address(field(groups[i], "final-recipient"));
      if (!recipient.empty() &&
          std::find(failed_recipients_.begin(), failed_recipients_.end(), recipient) == failed_recipients_.end()) {
        failed_recipients_.push_back(std::move(recipient));
      }
    }
  }

  const MailLimits& limits_;
  MessageParser& parser_;
  std::size_t parts_ = 0;
  std::size_t total_ = 0;
  bool is_bounce_ = false;
  bool is_receipt_ = false;
  std::vector<Attachment> attachments_;
  std::vector<std::string> failed_recipients_;
  std::string original_message_id_;
  std::string text_;
  bool have_text_ = false;
};

// RFC 3834 and the habits of mail servers: every reason found, so `ispd inspect` can show them all.
void decide_automatic(MailMessage& mail, bool is_receipt) {
  std::vector<std::string> reasons;
  if (!mail.auto_submitted.empty() && ispd::text::lowercase(ispd::text::trimmed(
                                          mail.auto_submitted.substr(0, mail.auto_submitted.find(';')))) != "no") {
    reasons.push_back("Auto-Submitted: " + mail.auto_submitted);
  }
  if (const std::string p = ispd::text::lowercase(mail.precedence); p == "bulk" || p == "list" || p == "junk") {
    reasons.emplace_back("Precedence: " + mail.precedence);
  }
  if (!mail.list_id.empty()) reasons.emplace_back("from a mailing list (List-Id)");
  if (mail.is_bounce) reasons.emplace_back("a delivery status notification (bounce)");
  if (is_receipt) reasons.emplace_back("a read receipt (disposition notification)");
  if (mail.has_return_path) {
    std::string path = mail.return_path;
    std::erase_if(path, [](char c) { return c == ' ' || c == '\t'; });
    if (path == "<>" || path.empty()) reasons.emplace_back("an empty return path (Return-Path: <>)");
  }
  const std::string local = ispd::text::lowercase(mail.from.address.substr(0, mail.from.address.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") reasons.emplace_back("from " + mail.from.address);
  if (mail.x_autoreply) reasons.emplace_back("an X-Autoreply or X-Autorespond header");
  const std::string subject = ispd::text::lowercase(ispd::text::trimmed(mail.subject));
  for (const std::string_view prefix :
       {"automatic reply:", "auto:", "autoreply", "auto reply", "auto-reply", "out of office", "out of the office"}) {
    if (subject.starts_with(prefix)) {
      reasons.emplace_back("an out-of-office subject");
      break;
    }
  }
  mail.automatic = !reasons.empty();
  mail.why.clear();
  for (const auto& r : reasons) mail.why += (mail.why.empty() ? "" : "; ") + r;
}

bool is_removed_codepoint(gunichar c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
}

}  // namespace

std::string display_name(std::string_view name) {
  if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  const GCharPtr valid(g_utf8_make_valid(name.data(), static_cast<gssize>(name.size())));
  std::string out;
  for (const gchar* p = valid.get(); *p != '\0'; p = g_utf8_next_char(p)) {
    const gunichar c = g_utf8_get_char(p);
    if (c == '\t' || c == '\r' || c == '\n') {
      out += ' ';
    } else if (!is_removed_codepoint(c)) {
      out.append(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
    }
  }
  out = std::string(ispd::text::trimmed(out));
  if (out == "." || out == "..") return "_";
  if (out.size() > kMaxNameBytes) {
    // Keep the extension, which says what the file is; cut the stem on a character boundary.
    const std::size_t dot = out.rfind('.');
    const std::string ext = dot != std::string::npos && out.size() - dot <= 16 ? out.substr(dot) : "";
    std::size_t keep = kMaxNameBytes - ext.size();
    while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
    out = out.substr(0, keep) + ext;
  }
  return out;
}

Result<MailMessage> read_mail(std::string_view raw, const MailLimits& limits) {
  if (raw.size() > limits.max_mail_bytes) return Error{"is larger than " + describe_bytes(limits.max_mail_bytes)};
  ensure_gmime();
  MessageParser parser(limits);
  auto parsed = parser.parse(raw);
  if (!parsed) return parsed.error();
  const GObjectPtr<GMimeMessage> message = std::move(parsed).value();

  GMimeObject* top = GMIME_OBJECT(message.get());
  MailMessage mail;
  std::vector<Address> from;
  add_mailboxes(g_mime_message_get_from(message.get()), from);
  if (!from.empty()) mail.from = from.front();
  mail.from_count = from.size();
  add_mailboxes(g_mime_message_get_reply_to(message.get()), mail.reply_to);
  add_mailboxes(g_mime_message_get_to(message.get()), mail.to);
  add_mailboxes(g_mime_message_get_cc(message.get()), mail.cc);
  if (const char* subject = g_mime_message_get_subject(message.get())) mail.subject = subject;
  if (const char* id = g_mime_message_get_message_id(message.get())) mail.message_id = ispd::message_id::bare(id);
  mail.date = rfc3339_utc(g_mime_message_get_date(message.get()));
  mail.in_reply_to = message_id_of(g_mime_object_get_header(top, "In-Reply-To"));
  if (const char* refs = g_mime_object_get_header(top, "References")) {
    const std::unique_ptr<GMimeReferences, ReferencesFree> list(g_mime_references_parse(parser.options(), refs));
    const int count = list ? g_mime_references_length(list.get()) : 0;
    for (int i = 0; i < count; ++i)
      mail.references.push_back(ispd::message_id::bare(g_mime_references_get_message_id(list.get(), i)));
  }
  mail.auto_submitted = header(top, "Auto-Submitted");
  mail.precedence = header(top, "Precedence");
  mail.authentication_results = header(top, "Authentication-Results");
  mail.list_id = header(top, "List-Id");
  mail.has_return_path = has_header(top, "Return-Path");
  mail.return_path = header(top, "Return-Path");
  mail.x_autoreply = has_header(top, "X-Autoreply") || has_header(top, "X-Autorespond");

  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  mail.content_type = body != nullptr ? mime_type(body) : "text/plain";

  MailReader reader(limits, parser);
  if (auto error = reader.walk(body, 0, false, false)) return *error;
  mail.attachments = reader.take_attachments();
  mail.is_bounce = reader.is_bounce();
  mail.failed_recipients = reader.take_failed_recipients();
  mail.original_message_id = reader.take_original_message_id();
  mail.text = reader.take_text();
  decide_automatic(mail, reader.is_receipt());
  return mail;
}

}  // namespace ispd::mail
