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
  int refusing_port = 0;  // plain SMTP that refuses tempfail-* (450), reject-* (550), and past refusing_limit a minute
  int refusing_limit = 0;
  int xoauth2_imap_port = 0;        // IMAP that offers XOAUTH2 alone, as Microsoft 365 does
  int xoauth2_submission_port = 0;  // submission that offers XOAUTH2 alone, after STARTTLS
  int oauth2_port = 0;              // the stack's OAuth2 server: /token and /introspect
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

  // A new token that the XOAUTH2-only ports accept for `user`.
  [[nodiscard]] std::string add_token(const std::string& user) const;
  // An OAuth2 client whose tokens from token_url() are for `user`.
  void add_client(const std::string& client_id, const std::string& secret, const std::string& user) const;
  // The OAuth2 server's client-credentials endpoint, plain http on loopback.
  [[nodiscard]] std::string token_url() const;
  // Settings to sign in as `user` with `token` over IMAP on the XOAUTH2-only port (plain, on loopback).
  [[nodiscard]] mail::ImapSettings imap_xoauth2(const std::string& user, const std::string& token) const;
  // Settings to send through the XOAUTH2-only submission port as `user`: STARTTLS, then AUTH XOAUTH2 with `token`.
  [[nodiscard]] mail::SmtpSettings submission_xoauth2(const std::string& user, const std::string& token) const;

  // Returns once Postfix has handed every message it accepted to Dovecot.
  void wait_until_delivered() const;
  // Every message in a user's folder, oldest first.
  [[nodiscard]] std::vector<std::string> inbox(const std::string& user, const std::string& folder = "INBOX") const;
};

// An IPv4 address of this machine that is not loopback, if it has one: for
// tests that plain IMAP or SMTP is refused to any other host.
std::optional<std::string> non_loopback_address();

}  // namespace ispd::test
