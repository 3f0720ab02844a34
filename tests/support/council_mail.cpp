#include "tests/support/council_mail.hpp"

#include <cstddef>
#include <string_view>

namespace ispd::test {

std::string base64_lines(const std::string& bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t on_line = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    unsigned group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    }
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
    on_line += 4;
    if (on_line == 76) {
      out += "\r\n";
      on_line = 0;
    }
  }
  if (on_line > 0) out += "\r\n";
  return out;
}

std::string council_mail(const std::string& from, const std::string& subject, const std::string& message_id,
                         const std::string& docx, const std::string& file_name) {
  return "From: " + from + "\r\nTo: nwadcs@nwadcs.test\r\nSubject: " + subject +
         "\r\nDate: Fri, 13 Feb 2026 09:00:00 +0000\r\nMessage-ID: <" + message_id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find the form attached.\r\n"
         "--b1\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"" +
         file_name + "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" +
         file_name + "\"\r\n\r\n" + base64_lines(docx) + "--b1--\r\n";
}

}  // namespace ispd::test
