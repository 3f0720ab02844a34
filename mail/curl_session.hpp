#pragma once
// What the IMAP mailbox, the SMTP transport and the OAuth2 token request share about libcurl: owned
// handles, one reading of a server's URL, TLS and timeouts set the same way, the failures worded alike,
// server text made safe for messages, and the one Redactor that keeps a login's secrets out of every
// message, in whatever encoding a server echoes them. Internal to mail/.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace ispd::mail::detail {

struct CurlCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;

struct CurlFree {
  void operator()(char* text) const { curl_free(text); }
};
using CurlText = std::unique_ptr<char, CurlFree>;

struct CurlListCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlList = std::unique_ptr<curl_slist, CurlListCleanup>;

// The most of a server's words that go into a result or an error message.
inline constexpr std::size_t kMaxServerText = 200;

// Server text goes into results and error messages, so it is cut short and stripped of anything
// unprintable.
std::string printable(std::string_view text);

// Text escaped for a URL's path or a form's field: every byte but letters, digits and "-._~".
std::string percent_encoded(std::string_view text);

std::string describe_size(std::uint64_t n);
std::string describe_seconds(std::chrono::seconds s);

// Replaces every form in which a secret ispd sends may come back from a server with "[redacted]":
// the secret itself, as an IMAP quoted string, and any base64 text that decodes to bytes holding it
// (SASL PLAIN with or without an authorisation identity, LOGIN, XOAUTH2, padded or not), down to a
// piece of such base64 cut short by the server, when the piece carries a byte of the secret.
class Redactor {
 public:
  static constexpr std::string_view kInstead = "[redacted]";

  // The password and the bearer token of a login as user, and what SASL makes of them.
  static Redactor for_login(std::string_view user, std::string_view password, std::string_view token);

  // A secret, and the forms it takes when it travels as itself.
  void add_secret(std::string_view secret);
  // Bytes ispd sends in base64 whose [first, last) range is secret.
  void add_encoded(std::string_view bytes, std::size_t first, std::size_t last);

  [[nodiscard]] std::string operator()(std::string text) const;

 private:
  struct Encoded {
    std::string base64;     // without padding
    std::size_t first = 0;  // the secret bytes' range in what was encoded
    std::size_t last = 0;
  };
  [[nodiscard]] bool carries_secret(std::string_view run) const;

  std::vector<std::string> secrets_;   // as sent
  std::vector<std::string> literals_;  // the secrets and their quoted forms, longest first
  std::vector<Encoded> encoded_;
};

// What parse_endpoint calls a URL in its messages and which schemes it takes.
struct UrlRules {
  std::string_view name;     // "the mailbox URL"
  std::string_view example;  // "imaps://mail.example.org/INBOX"
  std::vector<std::string_view> schemes;
  std::string_view scheme_words;  // "imaps:// or imap://"
  std::string_view credentials_hint = "give them in the settings, not the URL";
  std::string_view query_words = "has a query or fragment";
};

// A server's URL as read by libcurl. base is scheme://host:port, for URLs and messages: it never holds
// credentials, which parse_endpoint refuses in a URL; nor are they repeated in its messages.
struct Endpoint {
  std::string scheme;
  std::string host;
  std::string base;
  std::string raw_path;  // as given, percent-encoded
  std::string path;      // decoded
  bool loopback = false;
};

Result<Endpoint> parse_endpoint(const std::string& url, const UrlRules& rules);

// One libcurl easy handle, set up as ispd sets up every handle, with its error buffer.
class CurlSession {
 public:
  CurlSession() = default;
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;
  ~CurlSession() = default;

  // A fresh handle that speaks only the protocols named ("imap,imaps"), never raises a signal and keeps
  // libcurl's own words for a failure.
  Result<Done> open(const char* protocols);

  template <class T>
  void set(CURLoption option, T value) {
    if (const auto code = curl_easy_setopt(handle_.get(), option, value); code != CURLE_OK) {
      throw std::runtime_error(std::string("libcurl refused an option: ") + curl_easy_strerror(code));
    }
  }

  // A password login, or XOAUTH2 alone when a token is given (libcurl would otherwise take OAUTHBEARER,
  // or LOGIN with no password, when the server offers them). The strings must outlive the session.
  void set_login(const std::string& user, const std::string& password, const std::string& token);
  // Certificates always verified, TLS 1.2 at least; TLS required unless plain is allowed (loopback).
  void set_tls(const std::string& ca_file, bool plain_allowed);
  // The connection, a whole call and, for mail protocols, every reply each have the timeout, so a
  // silent server cannot stall ispd.
  void set_timeouts(std::chrono::seconds timeout, bool each_reply);

  // What the next transfers send (APPEND's message, DATA's mail), until stop_upload(); the bytes must
  // outlive the transfer.
  void start_upload(std::string_view bytes);
  void stop_upload();

  CURLcode perform();

  [[nodiscard]] CURL* get() const { return handle_.get(); }
  [[nodiscard]] std::string_view libcurl_error() const { return error_buffer_; }
  // libcurl's own words, as " (...)" or nothing.
  [[nodiscard]] std::string libcurl_said() const;

  // The words for a failure every protocol meets alike: host not found, refused, timed out, TLS and
  // certificates; nullopt for the rest, which each protocol words itself.
  struct Failure {
    std::string_view where;   // "imaps://mail.example.org:993", "the token endpoint https://..."
    std::string_view action;  // "logging in"; empty where a session has one action only
    std::chrono::seconds timeout;
    std::string_view ca_file;
  };
  [[nodiscard]] std::optional<std::string> describe_connection_failure(CURLcode code, const Failure& failure) const;

 private:
  static std::size_t read_callback(char* buffer, std::size_t size, std::size_t count, void* self);

  char error_buffer_[CURL_ERROR_SIZE] = {};
  std::string_view upload_left_;
  // Last, so it goes first: a protocol's goodbye at cleanup may still call back into its owner.
  CurlHandle handle_;
};

}  // namespace ispd::mail::detail
