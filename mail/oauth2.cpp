#include "mail/oauth2.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "mail/curl_session.hpp"
#include "util/text.hpp"

namespace ispd::mail {
namespace {

using detail::CurlList;
using detail::CurlSession;
using detail::percent_encoded;
using detail::printable;
using detail::Redactor;
using text::equal_nocase;

// A token reply is a few kilobytes; anything much larger is not one.
constexpr std::size_t kMaxReplyBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxTokenBytes = std::size_t{16} << 10;
// Microsoft's tokens live an hour or so; a lifetime beyond a day is not believed.
constexpr long long kMaxLifetimeSeconds = 24LL * 60 * 60;

// Overwrites a string that held the secret before its memory is given back.
struct Wiped {
  std::string text;
  Wiped() = default;
  Wiped(const Wiped&) = delete;
  Wiped& operator=(const Wiped&) = delete;
  ~Wiped() { std::fill(text.begin(), text.end(), '\0'); }
};

// The token URL, checked; the URL itself is what messages name, as it holds no credentials. True for this
// machine, which alone may be asked without TLS, as the secret goes in the request body.
Result<bool> check_url(const std::string& url) {
  static const detail::UrlRules kRules{.name = "the OAuth2 token URL",
                                       .example = "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token",
                                       .schemes = {"https", "http"},
                                       .scheme_words = "https://",
                                       .credentials_hint = "give the client's secret in the settings, not the URL"};
  auto endpoint = detail::parse_endpoint(url, kRules);
  if (!endpoint) return endpoint.error();
  if (endpoint->scheme == "http" && !endpoint->loopback) {
    return Error{"the OAuth2 token URL " + url + " must use https:// for a host that is not this machine"};
  }
  return endpoint->loopback;
}

class TokenRequest {
 public:
  TokenRequest(const OAuth2Settings& settings, TokenClock::time_point now) : settings_(settings), now_(now) {
    redacted_.add_secret(settings_.client_secret);
  }

  Result<AccessToken> run() {
    auto loopback = check_url(settings_.token_url);
    if (!loopback) return loopback.error();
    if (settings_.client_id.empty()) return Error{"no OAuth2 client ID is set for " + settings_.token_url};
    if (settings_.client_secret.empty()) return Error{"no OAuth2 client secret is set for " + settings_.token_url};
    if (settings_.timeout < std::chrono::seconds(1)) return Error{"the OAuth2 timeout must be at least 1 s"};

    if (auto opened = curl_.open(*loopback ? "https,http" : "https"); !opened) return opened.error();
    Wiped body;
    body.text = "grant_type=client_credentials&client_id=" + percent_encoded(settings_.client_id) +
                "&client_secret=" + percent_encoded(settings_.client_secret) +
                "&scope=" + percent_encoded(settings_.scope);
    CurlList headers(curl_slist_append(nullptr, "Accept: application/json"));
    if (!headers) throw std::bad_alloc();
    // No "Expect: 100-continue" round trip.
    if (curl_slist_append(headers.get(), "Expect:") == nullptr) throw std::bad_alloc();

    curl_.set(CURLOPT_URL, settings_.token_url.c_str());
    curl_.set(CURLOPT_POST, 1L);
    curl_.set(CURLOPT_POSTFIELDS, body.text.c_str());
    curl_.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.text.size()));
    curl_.set(CURLOPT_HTTPHEADER, headers.get());
    curl_.set(CURLOPT_FOLLOWLOCATION, 0L);
    curl_.set(CURLOPT_WRITEFUNCTION, &TokenRequest::body_callback);
    curl_.set(CURLOPT_WRITEDATA, this);
    curl_.set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxReplyBytes));
    curl_.set_timeouts(settings_.timeout, false);
    // https:// alone beyond this machine (check_url); the protocol, not STARTTLS, makes it TLS.
    curl_.set_tls(settings_.ca_file, true);

    const CURLcode code = curl_.perform();
    if (code != CURLE_OK) return Error{redacted_(describe_failure(code))};
    long status = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    auto token = read_reply(status);
    if (!token) return Error{redacted_(token.error().message)};
    return token;
  }

 private:
  static std::size_t body_callback(char* data, std::size_t size, std::size_t count, void* self) {
    auto* request = static_cast<TokenRequest*>(self);
    const std::size_t bytes = size * count;
    if (bytes > kMaxReplyBytes - request->reply_.size()) {
      request->too_large_ = true;
      return 0;
    }
    try {
      request->reply_.append(data, bytes);
    } catch (const std::exception&) {
      return 0;
    }
    return bytes;
  }

  [[nodiscard]] const std::string& where() const { return settings_.token_url; }

  Result<AccessToken> read_reply(long status) {
    const auto json = nlohmann::json::parse(reply_, nullptr, false);
    if (status != 200) {
      // RFC 6749 5.2: {"error": "invalid_client", "error_description": "..."}.
      if (json.is_object() && json.contains("error") && json["error"].is_string()) {
        std::string why = printable(json["error"].get<std::string>());
        if (json.contains("error_description") && json["error_description"].is_string()) {
          // Microsoft's description runs on over lines of trace and correlation IDs; the first line says it.
          const auto description = json["error_description"].get<std::string>();
          why += " (" + printable(description.substr(0, description.find_first_of("\r\n"))) + ")";
        }
        return Error{"the token endpoint " + where() + " refused OAuth2 client " + printable(settings_.client_id) +
                     ": " + why};
      }
      return Error{"the token endpoint " + where() + " answered HTTP " + std::to_string(status) +
                   " instead of a token"};
    }
    if (!json.is_object()) return Error{"the token endpoint " + where() + " sent a reply that is not JSON"};
    const auto& access = json.find("access_token");
    if (access == json.end() || !access->is_string() || access->get_ref<const std::string&>().empty()) {
      return Error{"the token endpoint " + where() + " sent no access_token"};
    }
    const auto& value = access->get_ref<const std::string&>();
    // The token goes into the XOAUTH2 message between \x01 separators: only printable ASCII belongs there.
    if (value.size() > kMaxTokenBytes ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
      return Error{"the token endpoint " + where() + " sent an access_token that is not a bearer token"};
    }
    if (const auto& type = json.find("token_type");
        type != json.end() && (!type->is_string() || !equal_nocase(type->get_ref<const std::string&>(), "Bearer"))) {
      return Error{"the token endpoint " + where() + " sent a token that is not a bearer token"};
    }
    // Microsoft's v2.0 endpoint sends a number, its v1.0 endpoint a string of digits.
    long long seconds = 0;
    const auto& expires = json.find("expires_in");
    if (expires != json.end() && expires->is_number_integer()) {
      seconds = expires->get<long long>();
    } else if (expires != json.end() && expires->is_string()) {
      const auto& text = expires->get_ref<const std::string&>();
      if (!text.empty() && text.size() <= 9 &&
          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        seconds = std::stoll(text);
      }
    } else if (expires == json.end()) {
      return Error{"the token endpoint " + where() + " sent no expires_in, so the token's lifetime is unknown"};
    }
    if (seconds <= 0 || seconds > kMaxLifetimeSeconds) {
      return Error{"the token endpoint " + where() + " sent an expires_in that is not a lifetime of up to a day"};
    }
    return AccessToken{.value = value, .expires_at = now_ + std::chrono::seconds(seconds)};
  }

  [[nodiscard]] std::string describe_failure(CURLcode code) const {
    const std::string endpoint = "the token endpoint " + where();
    if (auto common = curl_.describe_connection_failure(
            code, {.where = endpoint, .action = {}, .timeout = settings_.timeout, .ca_file = settings_.ca_file})) {
      return *common;
    }
    switch (code) {
      case CURLE_WRITE_ERROR:
      case CURLE_FILESIZE_EXCEEDED:
        if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
          return "the token endpoint " + where() + " sent more than " + std::to_string(kMaxReplyBytes) +
                 " bytes, which is not a token";
        }
        return "ran out of memory reading the reply of the token endpoint " + where();
      default:
        return "asking the token endpoint " + where() + " for a token failed: " + curl_easy_strerror(code) +
               curl_.libcurl_said();
    }
  }

  const OAuth2Settings& settings_;
  TokenClock::time_point now_;
  std::string reply_;
  bool too_large_ = false;
  // Neither the client's secret nor a token ever leaves in a message, whatever a server or libcurl put in
  // its text.
  Redactor redacted_;
  CurlSession curl_;
};

}  // namespace

Result<AccessToken> fetch_token(const OAuth2Settings& settings, TokenClock::time_point now) {
  return TokenRequest(settings, now).run();
}

OAuth2Client::OAuth2Client(OAuth2Settings settings) : settings_(std::move(settings)) {}

Result<std::string> OAuth2Client::token(TokenClock::time_point now) {
  // A clock set back before the token was issued says nothing about its life: ask again.
  if (kept_ && now >= issued_at_ && now < renew_at_) return kept_->value;
  auto fresh = fetch_token(settings_, now);
  if (!fresh) {
    if (kept_ && now >= issued_at_ && now < kept_->expires_at) return kept_->value;
    return fresh.error();
  }
  const auto life = fresh->expires_at - now;
  issued_at_ = now;
  renew_at_ = fresh->expires_at - std::min<TokenClock::duration>(kRenewBefore, life / 2);
  kept_ = std::move(fresh).value();
  return kept_->value;
}

void OAuth2Client::forget() { kept_.reset(); }

}  // namespace ispd::mail
