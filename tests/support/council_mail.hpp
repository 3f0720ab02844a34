#pragma once
// Mails as councils send them, for tests that feed a mailbox.

#include <string>

namespace ispd::test {

// Base64 in lines of 76, as mail clients write attachments.
std::string base64_lines(const std::string& bytes);

// A mail as a council sends one: a short text and the .docx attached, base64. `from` is the From header's value
// as written ("officer@bolton.gov.uk", or several addresses).
std::string council_mail(const std::string& from, const std::string& subject, const std::string& message_id,
                         const std::string& docx, const std::string& file_name = "ISP notification.docx");

}  // namespace ispd::test
