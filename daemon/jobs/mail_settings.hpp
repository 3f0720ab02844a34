#pragma once
// How ispd signs in to the mailbox and the SMTP server, from the config: with
// the password read from its file or the environment, or, with auth =
// "xoauth2", an OAuth2 token for the [oauth2] client (Microsoft 365). Neither a
// secret nor a token appears in an error.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "daemon/config/config.hpp"
#include "mail/imap.hpp"
#include "mail/oauth2.hpp"
#include "mail/smtp.hpp"
#include "util/result.hpp"

namespace ispd {

// The token of the config's [oauth2] client, kept between calls, so that a daemon asks the token endpoint again
// only when the token it holds is close to expiry. The mailbox and the SMTP server share it. One MailTokens serves
// one thread.
class MailTokens {
 public:
  // Token lifetimes are the world's time, whatever ISPD_NOW says; tests pass their own clock.
  using Clock = std::function<mail::TokenClock::time_point()>;
  explicit MailTokens(Clock clock = [] { return mail::TokenClock::now(); });
  ~MailTokens();
  MailTokens(const MailTokens&) = delete;
  MailTokens& operator=(const MailTokens&) = delete;

  // A token for the config's [oauth2] client (its secret read afresh whenever the section changes, as on a reload).
  Result<std::string> token(const config::Config& config);
  // Drops the token held (a server refused it), so that the next call asks for a new one.
  void forget();

 private:
  Clock clock_;
  std::optional<config::OAuth2> section_;
  std::unique_ptr<mail::OAuth2Client> client_;
};

// Reads every secret the config names (the passwords, the [oauth2] client secret), so that one that cannot be read
// is found as a bad config before anything is tried; the error names the section and the file or variable.
Result<Done> check_secrets(const config::Config& config);

// [mailbox] as ImapSettings: its password, or with auth = "xoauth2" a token from `tokens`. Once check_secrets has
// passed, an error means the token endpoint refused the client or could not be reached.
Result<mail::ImapSettings> imap_settings(const config::Config& config, MailTokens& tokens);

// [smtp] as SmtpSettings: no AUTH without a user; with one, its password or token, and STARTTLS even on loopback.
Result<mail::SmtpSettings> smtp_settings(const config::Config& config, MailTokens& tokens);

}  // namespace ispd
