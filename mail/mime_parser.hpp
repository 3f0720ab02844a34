#pragma once
// GMime's parse of a mail held within MailLimits, so that a mail of tiny parts
// or headers cannot make GMime build gigabytes. Internal to mail/.

#include <gmime/gmime.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "mail/gmime_handles.hpp"
#include "mail/mime.hpp"
#include "util/result.hpp"

namespace ispd::mail::detail {

// The error for bytes that hold no message at all.
inline constexpr std::string_view kNotAMail = "is not a mail: it has no message headers";

// A limit as the error states it: "25 MiB", "256 KiB", "100 bytes".
std::string describe_bytes(std::size_t n);

struct ParserOptionsDeleter {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

// Parses a mail, or a forwarded mail found encoded inside one, within the limits; counts
// header fields across all of them, and cuts GMime's input short once there are too many.
class MessageParser {
 public:
  explicit MessageParser(const MailLimits& limits);
  // GMime's callbacks hold `this`.
  MessageParser(const MessageParser&) = delete;
  MessageParser& operator=(const MessageParser&) = delete;

  Result<GObjectPtr<GMimeMessage>> parse(std::string_view bytes);

  [[nodiscard]] GMimeParserOptions* options() const { return options_.get(); }

  Error too_many_parts() const { return Error{"has more than " + std::to_string(limits_.max_parts) + " MIME parts"}; }
  Error too_deep() const { return Error{"has parts nested more than " + std::to_string(limits_.max_depth) + " deep"}; }

 private:
  static void on_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/, gpointer self);

  // GMime has no way to stop a parse: ending its input makes it finish at once.
  static void on_header(GMimeParser* /*parser*/, const char* /*name*/, const char* /*value*/, gint64 /*offset*/,
                        gpointer self);

  const MailLimits& limits_;
  std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter> options_;
  GMimeStream* stream_ = nullptr;
  std::size_t header_fields_ = 0;
  bool too_many_headers_ = false;
  bool nesting_overflow_ = false;
};

}  // namespace ispd::mail::detail
