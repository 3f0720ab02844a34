#pragma once
// OAuth2 access tokens for signing in to the mailbox and the SMTP server with
// XOAUTH2, as Microsoft 365 asks: the client-credentials grant (RFC 6749 4.4),
// app-only, over HTTPS with libcurl, certificates checked, a timeout, the reply
// bounded. The client secret and the tokens never appear in an error message.
// Time is passed in, so the cache is tested without waiting. Knows nothing else
// of ispd.

#include <chrono>
#include <optional>
#include <string>

#include "util/result.hpp"

namespace ispd::mail {

using TokenClock = std::chrono::system_clock;

struct OAuth2Settings {
  // Where tokens come from, e.g. https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token. https:// is
  // required unless the host is loopback (127.0.0.0/8, ::1, localhost). No user, password, query or fragment.
  std::string token_url;
  std::string client_id;
  std::string client_secret;  // never logged nor put in an error
  // What the token is for; Microsoft 365's IMAP and SMTP both take this one.
  std::string scope = "https://outlook.office365.com/.default";
  std::string ca_file;  // empty: the system's CA bundle
  // For connecting and for the whole request; at least 1 s.
  std::chrono::seconds timeout{30};
};

struct AccessToken {
  std::string value;  // never logged nor put in an error
  TokenClock::time_point expires_at;
};

// Asks the token endpoint for one token. A refused client (an "error" reply), an unreachable endpoint, a reply that
// is not a token, too large or without its lifetime is an error that names the token URL.
Result<AccessToken> fetch_token(const OAuth2Settings& settings, TokenClock::time_point now);

// One client's token, kept until little of its life remains. One OAuth2Client serves one thread.
class OAuth2Client {
 public:
  // A token is renewed when less than this much of its life remains (or less than half, for a short-lived one).
  static constexpr std::chrono::minutes kRenewBefore{5};

  explicit OAuth2Client(OAuth2Settings settings);

  // The kept token while enough of its life remains; else a new one. If renewing fails while the kept token has
  // not yet expired, the kept one is returned: a brief outage of the token endpoint does not stop the mail.
  Result<std::string> token(TokenClock::time_point now);
  // Drops the kept token (a server refused it), so the next call asks for a new one.
  void forget();

  [[nodiscard]] const OAuth2Settings& settings() const { return settings_; }

 private:
  OAuth2Settings settings_;
  std::optional<AccessToken> kept_;
  TokenClock::time_point issued_at_{};
  TokenClock::time_point renew_at_{};
};

}  // namespace ispd::mail
