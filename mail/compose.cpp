#include "mail/compose.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "mail/gmime_handles.hpp"
#include "util/message_id.hpp"

namespace ispd::mail {
namespace {

using detail::DateTimeUnref;
using detail::ensure_gmime;
using detail::GCharPtr;
using detail::GObjectPtr;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* p) const { g_mime_format_options_free(p); }
};

bool is_control(gunichar c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029; }

// Text from a form for a header: valid UTF-8, every control character (CR and LF above all)
// a space, so that it stays one header however it was typed.
std::string header_text(std::string_view text) {
  const GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  std::string out;
  for (const gchar* p = valid.get(); *p != '\0'; p = g_utf8_next_char(p)) {
    if (is_control(g_utf8_get_char(p))) {
      out += ' ';
    } else {
      out.append(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
    }
  }
  return out;
}

// A body's text as valid UTF-8 with LF line ends; the writer turns every LF into CRLF.
std::string body_text(std::string_view text) {
  const GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  std::string out;
  for (const gchar* p = valid.get(); *p != '\0'; ++p) {
    if (*p == '\r') {
      if (p[1] != '\n') out += '\n';
    } else {
      out += *p;
    }
  }
  return out;
}

// A plain addr-spec ("isp@bolton.gov.uk"): nothing GMime would have to quote, so nothing
// that could close the angle brackets or start a new line or a new address.
bool is_plain_address(std::string_view address) {
  const std::size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (const char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos) return false;
  }
  return true;
}

bool is_plain_message_id(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>') return false;
  }
  return true;
}

std::optional<Error> check(const OutgoingMail& mail) {
  if (mail.from.address.empty()) return Error{"has no from address"};
  if (!is_plain_address(mail.from.address)) {
    return Error{"has a from address that cannot be sent: " + header_text(mail.from.address)};
  }
  for (const Address& to : mail.to) {
    if (!is_plain_address(to.address)) {
      return Error{"has a recipient address that cannot be sent: " + header_text(to.address)};
    }
  }
  if (!is_plain_message_id(mail.message_id)) {
    return Error{"has a message-id that cannot be sent: " + header_text(mail.message_id)};
  }
  if (!mail.in_reply_to.empty() && !is_plain_message_id(mail.in_reply_to)) {
    return Error{"answers a message-id that cannot be sent: " + header_text(mail.in_reply_to)};
  }
  if (mail.auto_submitted != "auto-generated" && mail.auto_submitted != "auto-replied") {
    return Error{"has an Auto-Submitted value other than auto-generated or auto-replied"};
  }
  return std::nullopt;
}

GObjectPtr<GMimeStream> memory_stream(std::string_view bytes) {
  return GObjectPtr<GMimeStream>(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
}

void set_content(GMimePart* part, std::string_view bytes) {
  const GObjectPtr<GMimeStream> stream = memory_stream(bytes);
  const GObjectPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
}

// A UTF-8 text part, in 7bit, quoted-printable or base64 as its content needs.
GObjectPtr<GMimeObject> text_part(const char* subtype, std::string_view text) {
  GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  set_content(GMIME_PART(part.get()), body_text(text));
  g_mime_text_part_set_charset(part.get(), "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part.get()), g_mime_part_get_best_content_encoding(
                                                               GMIME_PART(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT));
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

void set_parameter_charset(GMimeParamList* list, const char* name) {
  GMimeParam* param = list != nullptr ? g_mime_param_list_get_parameter(list, name) : nullptr;
  if (param != nullptr) g_mime_param_set_charset(param, "utf-8");
}

Result<GObjectPtr<GMimeObject>> attachment_part(const OutgoingAttachment& attachment) {
  const std::string type =
      header_text(attachment.content_type.empty() ? "application/octet-stream" : attachment.content_type);
  const GObjectPtr<GMimeContentType> content_type(g_mime_content_type_parse(nullptr, type.c_str()));
  if (!content_type || g_mime_content_type_get_media_type(content_type.get()) == nullptr ||
      g_mime_content_type_get_media_subtype(content_type.get()) == nullptr) {
    return Error{"has an attachment with an unreadable content type: " + type};
  }
  GObjectPtr<GMimePart> part(g_mime_part_new_with_type(g_mime_content_type_get_media_type(content_type.get()),
                                                       g_mime_content_type_get_media_subtype(content_type.get())));
  set_content(part.get(), attachment.bytes);
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition(GMIME_OBJECT(part.get()), GMIME_DISPOSITION_ATTACHMENT);
  const std::string name = display_name(attachment.file_name);
  if (!name.empty()) {
    g_mime_part_set_filename(part.get(), name.c_str());
    // UTF-8 like the rest of the mail, not the narrowest charset GMime would pick.
    set_parameter_charset(
        g_mime_content_disposition_get_parameters(g_mime_object_get_content_disposition(GMIME_OBJECT(part.get()))),
        "filename");
    set_parameter_charset(g_mime_content_type_get_parameters(g_mime_object_get_content_type(GMIME_OBJECT(part.get()))),
                          "name");
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

Result<GObjectPtr<GMimeObject>> body(const OutgoingMail& mail) {
  GObjectPtr<GMimeObject> text = text_part("plain", mail.text);
  if (!mail.html.empty()) {
    GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
    g_mime_multipart_add(alternative.get(), text.get());
    g_mime_multipart_add(alternative.get(), text_part("html", mail.html).get());
    text.reset(GMIME_OBJECT(alternative.release()));
  }
  if (mail.attachments.empty()) return text;
  GObjectPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
  g_mime_multipart_add(mixed.get(), text.get());
  for (const OutgoingAttachment& attachment : mail.attachments) {
    auto part = attachment_part(attachment);
    if (!part) return part.error();
    g_mime_multipart_add(mixed.get(), part->get());
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(mixed.release()));
}

void add_address(InternetAddressList* list, const Address& address) {
  const std::string name = header_text(address.name);
  const GObjectPtr<InternetAddress> mailbox(
      internet_address_mailbox_new(name.empty() ? nullptr : name.c_str(), address.address.c_str()));
  // UTF-8 like the rest of the mail, not the narrowest charset GMime would pick.
  internet_address_set_charset(mailbox.get(), "utf-8");
  internet_address_list_add(list, mailbox.get());
}

}  // namespace

Result<std::string> compose_mail(const OutgoingMail& mail) {
  if (auto error = check(mail)) return *error;
  const std::unique_ptr<GDateTime, DateTimeUnref> date(g_date_time_new_from_iso8601(mail.date.c_str(), nullptr));
  if (!date) return Error{"has a date that is not RFC 3339: " + header_text(mail.date)};

  ensure_gmime();
  auto content = body(mail);
  if (!content) return content.error();

  const GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  GMimeObject* top = GMIME_OBJECT(message.get());
  add_address(g_mime_message_get_from(message.get()), mail.from);
  InternetAddressList* to = g_mime_message_get_to(message.get());
  if (mail.to.empty()) {
    const GObjectPtr<InternetAddress> group(internet_address_group_new("undisclosed-recipients"));
    internet_address_list_add(to, group.get());
  }
  for (const Address& address : mail.to) add_address(to, address);
  g_mime_message_set_subject(message.get(), header_text(mail.subject).c_str(), "utf-8");
  g_mime_message_set_date(message.get(), date.get());
  g_mime_message_set_message_id(message.get(), mail.message_id.c_str());
  if (!mail.in_reply_to.empty()) {
    g_mime_object_set_header(top, "In-Reply-To", message_id::wire(mail.in_reply_to).c_str(), nullptr);
    g_mime_object_set_header(top, "References", message_id::wire(mail.in_reply_to).c_str(), nullptr);
  }
  g_mime_object_set_header(top, "Auto-Submitted", mail.auto_submitted.c_str(), nullptr);
  g_mime_message_set_mime_part(message.get(), content->get());

  // RFC 2231 names ("filename*=UTF-8''Notificaci%C3%B3n"), CRLF line ends as SMTP wants them.
  const std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> format(g_mime_format_options_new());
  g_mime_format_options_set_param_encoding_method(format.get(), GMIME_PARAM_ENCODING_METHOD_RFC2231);
  g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
  const GObjectPtr<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_object_write_to_stream(top, format.get(), out.get()) < 0) return Error{"could not be written"};
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

}  // namespace ispd::mail
