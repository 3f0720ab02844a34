#pragma once
// Sending mail over SMTP, with libcurl: TLS everywhere but loopback,
// certificates checked, a timeout on every operation, one connection and one
// login reused for the whole session. Each message goes to one recipient in
// its own envelope, so recipients never see each other. One SmtpTransport
// serves one thread. Knows nothing else of ispd.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace ispd::mail {

struct SmtpSettings {
  // smtps://host[:port], or smtp://host[:port] (STARTTLS required unless the host is loopback:
  // 127.0.0.0/8, ::1, localhost). An optional path is the name ispd gives in EHLO. No user or password in the URL.
  std::string url;
  std::string user;      // empty: no AUTH
  std::string password;  // never logged nor put in an error
  // An OAuth2 access token (Microsoft 365): with a user, ispd signs in with XOAUTH2 alone, never the password.
  std::string bearer_token;  // never logged nor put in an error
  std::string ca_file;       // empty: the system's CA bundle
  // For connecting, and for each call as a whole (the login, one message); at least 1 s.
  std::chrono::seconds timeout{60};
  // smtp:// to loopback requires STARTTLS too, for a loopback server that demands it before AUTH (the test
  // stack's submission port).
  bool starttls_on_loopback = false;
};

enum class Delivery {
  accepted,   // 2xx: the server took the message
  temporary,  // 4xx: try again later
  permanent,  // 5xx, or an address ispd will not send to: do not try again
};

struct DeliveryResult {
  Delivery outcome = Delivery::accepted;
  int code = 0;       // the server's reply code; 0 when ispd refused before sending
  std::string reply;  // the server's words, one printable line, bounded
};

class SmtpTransport {
 public:
  // Connects, says EHLO, starts TLS and logs in (when a user is set); an unreachable server, failed TLS or a
  // refused login is an error that says which.
  static Result<std::unique_ptr<SmtpTransport>> connect(const SmtpSettings& settings);
  ~SmtpTransport();
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  // One message to one recipient. raw_message is the whole message with CRLF line ends; libcurl adds the
  // dot-stuffing. An address holding a control character, '<' or '>', without '@' or longer than 254 bytes is
  // refused as permanent (code 0) before anything is sent; an empty sender is the null sender <>. The server refusing
  // the sender, the recipient or the message is a DeliveryResult; an Error means the session failed (unreachable,
  // connection lost, timeout, login refused on reconnecting, or a 530 asking for a login or TLS first), and whether the
  // server took the message is unknown. libcurl drops the connection after a refusal or an error; the next send
  // connects and logs in again.
  Result<DeliveryResult> send(std::string_view envelope_from, std::string_view recipient, std::string_view raw_message);

 private:
  struct Session;
  explicit SmtpTransport(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

}  // namespace ispd::mail
