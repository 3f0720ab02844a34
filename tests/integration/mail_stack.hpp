#pragma once
// The running test mail stack (deploy/mail-stack.sh), as its mail-stack.env
// describes it, and a fresh mail user for each test.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mail/imap.hpp"
#include "mail/smtp.hpp"

namespace ispd::test {

struct MailStack {
  std::filesystem::path dir;
  int imap_port = 0;
  int imaps_port = 0;
  int smtp_port = 0;
  int submission_port = 0;
  int refusing_port = 0;   // plain SMTP that refuses tempfail-* (450), reject-* (550), and past refusing_limit a minute
  int refusing_limit = 0;
  std::string ca_file;
  std::string password;  // every default user's

  // The stack the ctest fixture started; fails the test if it is not running.
  static const MailStack& get();

  // A new user with an empty mailbox and the default password, e.g.
  // unique_user("isp") → "isp-4711-3@nwadcs.test".
  [[nodiscard]] std::string unique_user(const std::string& stem, const std::string& domain = "nwadcs.test") const;

  // Settings to log in as `user` over plain IMAP on loopback; folder as ImapMailbox names folders ("ISP/Processed").
  [[nodiscard]] mail::ImapSettings imap(const std::string& user, const std::string& folder = "INBOX") const;
  // The same over IMAPS, checked against the stack's CA.
  [[nodiscard]] mail::ImapSettings imaps(const std::string& user, const std::string& folder = "INBOX") const;

  // Settings to send through Postfix's plain SMTP port on loopback, without AUTH.
  [[nodiscard]] mail::SmtpSettings smtp() const;
  // Settings to send through the submission port as `user`: STARTTLS checked against the stack's CA, then AUTH.
  [[nodiscard]] mail::SmtpSettings submission(const std::string& user) const;

  // Returns once Postfix has handed every message it accepted to Dovecot.
  void wait_until_delivered() const;
  // Every message in a user's folder, oldest first.
  [[nodiscard]] std::vector<std::string> inbox(const std::string& user, const std::string& folder = "INBOX") const;
};

// An IPv4 address of this machine that is not loopback, if it has one: for
// tests that plain IMAP or SMTP is refused to any other host.
std::optional<std::string> non_loopback_address();

}  // namespace ispd::test
