#pragma once
// What the IMAP mailbox (imap.cpp) and the SMTP transport (smtp.cpp) share
// about libcurl: owned handles, ASCII comparisons, server text made safe for
// messages, and the loopback test behind the "TLS everywhere but loopback"
// rule. Internal to mail/.

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ispd::mail::detail {

struct CurlCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;

struct CurlUrlCleanup {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

struct CurlFree {
  void operator()(char* text) const { curl_free(text); }
};
using CurlText = std::unique_ptr<char, CurlFree>;

// The most of a server's words that go into a result or an error message.
inline constexpr std::size_t kMaxServerText = 200;

// Server text goes into results and error messages, so it is cut short and stripped of anything unprintable.
inline std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxServerText) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace ispd::mail::detail
