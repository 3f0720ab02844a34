#include "mail/mime_parser.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace ispd::mail::detail {

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// What GMime would build from a mail, measured before it builds it: GMime makes an object of
// every part, header and address (a few hundred bytes each), so 40 MiB of tiny parts or
// headers would take gigabytes. Lines that begin with "--" bound the parts; the first
// blank line ends the mail's own headers; a field line ("Name:") and the folded lines
// after it make one header, wherever it is (a forwarded mail's headers are in the body).
struct Shape {
  std::size_t delimiter_lines = 0;
  std::size_t header_block_bytes = 0;
  std::size_t longest_header = 0;
};

bool starts_a_header_field(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] >= '!' && line[i] <= '~' && line[i] != ':') ++i;
  if (i == 0) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

Shape measure(std::string_view raw) {
  Shape shape;
  bool in_own_headers = true;
  std::size_t field_start = std::string_view::npos;
  std::size_t at = 0;
  while (at < raw.size()) {
    std::size_t next = raw.find('\n', at);
    next = next == std::string_view::npos ? raw.size() : next + 1;
    const std::string_view line = raw.substr(at, next - at);
    if (in_own_headers && ispd::text::trimmed(line).empty() && (line.front() == '\r' || line.front() == '\n')) {
      in_own_headers = false;
      shape.header_block_bytes = at;
    }
    if (line.starts_with("--")) ++shape.delimiter_lines;
    if ((line.front() == ' ' || line.front() == '\t') && field_start != std::string_view::npos) {
      shape.longest_header = std::max(shape.longest_header, next - field_start);
    } else if (starts_a_header_field(line)) {
      field_start = at;
      shape.longest_header = std::max(shape.longest_header, next - at);
    } else {
      field_start = std::string_view::npos;
    }
    at = next;
  }
  if (in_own_headers) shape.header_block_bytes = raw.size();
  return shape;
}

}  // namespace

std::string describe_bytes(std::size_t n) {
  if (n >= kMiB && n % kMiB == 0) return std::to_string(n / kMiB) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

MessageParser::MessageParser(const MailLimits& limits) : limits_(limits), options_(g_mime_parser_options_new()) {
  g_mime_parser_options_set_warning_callback(options_.get(), on_warning, this);
  // Undeclared 8-bit headers: UTF-8 if valid, else what Windows writes.
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options_.get(), fallback);
}

Result<GObjectPtr<GMimeMessage>> MessageParser::parse(std::string_view bytes) {
  const Shape shape = measure(bytes);
  if (shape.delimiter_lines > 4 * limits_.max_parts + 16) return too_many_parts();
  if (shape.header_block_bytes > limits_.max_header_bytes) {
    return Error{"has more than " + describe_bytes(limits_.max_header_bytes) + " of headers"};
  }
  if (shape.longest_header > limits_.max_header_bytes) {
    return Error{"has a header longer than " + describe_bytes(limits_.max_header_bytes)};
  }
  const GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  const GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  stream_ = stream.get();
  g_mime_parser_set_header_regex(parser.get(), "^", on_header, this);
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options_.get()));
  stream_ = nullptr;
  if (too_many_headers_) {
    return Error{"has more than " + std::to_string(limits_.max_header_fields) + " header fields"};
  }
  if (nesting_overflow_) return too_deep();
  if (!message) return Error{std::string(kNotAMail)};
  return message;
}

void MessageParser::on_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/, gpointer self) {
  if (code == GMIME_CRIT_NESTING_OVERFLOW) static_cast<MessageParser*>(self)->nesting_overflow_ = true;
}

void MessageParser::on_header(GMimeParser* /*parser*/, const char* /*name*/, const char* /*value*/, gint64 /*offset*/,
                              gpointer self) {
  auto* me = static_cast<MessageParser*>(self);
  if (++me->header_fields_ <= me->limits_.max_header_fields || me->too_many_headers_) return;
  me->too_many_headers_ = true;
  if (me->stream_ != nullptr) g_mime_stream_set_bounds(me->stream_, 0, g_mime_stream_tell(me->stream_));
}

}  // namespace ispd::mail::detail
