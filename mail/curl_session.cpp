#include "mail/curl_session.hpp"

#include <glib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "util/host.hpp"

namespace ispd::mail::detail {
namespace {

bool is_base64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

struct GFreeText {
  void operator()(gchar* text) const { g_free(text); }
};

std::string base64(std::string_view bytes) {
  std::unique_ptr<gchar, GFreeText> encoded(
      g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
  if (!encoded) throw std::bad_alloc();
  std::string out(encoded.get());
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

// The bytes of the whole groups of four in a run of base64 characters (a cut-short tail says nothing whole).
std::string decoded(std::string_view run) {
  run = run.substr(0, run.size() - run.size() % 4);
  std::string out(run.size() / 4 * 3 + 3, '\0');
  gint state = 0;
  guint save = 0;
  const std::size_t n =
      g_base64_decode_step(run.data(), run.size(), reinterpret_cast<guchar*>(out.data()), &state, &save);
  out.resize(n);
  return out;
}

// A secret as an IMAP quoted string: libcurl quotes a password with a space, a quote or a backslash.
std::string imap_quoted(std::string_view secret) {
  std::string out;
  for (char c : secret) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text) {
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

std::string percent_encoded(std::string_view text) {
  CurlText escaped(curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())));
  if (!escaped) throw std::bad_alloc();
  return escaped.get();
}

std::string describe_size(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

std::string describe_seconds(std::chrono::seconds s) { return std::to_string(s.count()) + " s"; }

// ---- Redactor ----

Redactor Redactor::for_login(std::string_view user, std::string_view password, std::string_view token) {
  Redactor redactor;
  const std::string name(user);
  if (!password.empty()) {
    // As itself (LOGIN, and SASL LOGIN in base64); SASL PLAIN sends [authzid] NUL user NUL password.
    redactor.add_secret(password);
    const std::string plain = std::string(1, '\0') + name + '\0' + std::string(password);
    redactor.add_encoded(plain, plain.size() - password.size(), plain.size());
    const std::string plain_authzid = name + plain;
    redactor.add_encoded(plain_authzid, plain_authzid.size() - password.size(), plain_authzid.size());
  }
  if (!token.empty()) {
    redactor.add_secret(token);
    const std::string bearer = "auth=Bearer " + std::string(token);
    const std::string xoauth2 = "user=" + name + '\x01' + bearer + "\x01\x01";
    const std::size_t at = xoauth2.find(bearer) + 12;
    redactor.add_encoded(xoauth2, at, at + token.size());
    const std::string oauthbearer = "n,a=" + name + ",\x01" + bearer + "\x01\x01";
    const std::size_t from = oauthbearer.find(bearer) + 12;
    redactor.add_encoded(oauthbearer, from, from + token.size());
  }
  return redactor;
}

void Redactor::add_secret(std::string_view secret) {
  if (secret.empty()) return;
  secrets_.emplace_back(secret);
  for (std::string form : {std::string(secret), imap_quoted(secret), percent_encoded(secret)}) {
    if (std::find(literals_.begin(), literals_.end(), form) == literals_.end()) literals_.push_back(std::move(form));
  }
  std::stable_sort(literals_.begin(), literals_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  add_encoded(secret, 0, secret.size());
}

void Redactor::add_encoded(std::string_view bytes, std::size_t first, std::size_t last) {
  if (first >= last) return;
  encoded_.push_back(Encoded{.base64 = base64(bytes), .first = first, .last = last});
}

bool Redactor::carries_secret(std::string_view run) const {
  // Whatever ispd's own encoding was, base64 that decodes to a secret holds it.
  for (std::size_t shift = 0; shift < 4 && shift < run.size(); ++shift) {
    const std::string bytes = decoded(run.substr(shift));
    for (const auto& secret : secrets_) {
      if (bytes.find(secret) != std::string::npos) return true;
    }
  }
  // A piece of what ispd sent, cut short by the server: whether the bytes it stands for reach the secret.
  if (run.size() < 4) return false;
  for (const auto& form : encoded_) {
    if (run.size() > form.base64.size()) {
      if (run.find(form.base64) != std::string_view::npos) return true;
      continue;
    }
    for (std::size_t at = 0; at + run.size() <= form.base64.size(); at += 4) {
      if (form.base64.compare(at, run.size(), run) != 0) continue;
      const std::size_t begin = at / 4 * 3;
      const std::size_t end = (at + run.size()) * 6 / 8;
      if (begin < form.last && end > form.first) return true;
    }
  }
  return false;
}

std::string Redactor::operator()(std::string text) const {
  if (secrets_.empty()) return text;
  for (const auto& secret : literals_) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kInstead.size())) {
      text.replace(at, secret.size(), kInstead);
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!is_base64(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_base64(text[end])) ++end;
    const std::string_view run(text.data() + i, end - i);
    while (end < text.size() && text[end] == '=') ++end;
    if (carries_secret(run)) {
      out += kInstead;
    } else {
      out.append(text, i, end - i);
    }
    i = end;
  }
  return out;
}

// ---- URLs ----

Result<Endpoint> parse_endpoint(const std::string& url, const UrlRules& rules) {
  struct UrlCleanup {
    void operator()(CURLU* parsed) const { curl_url_cleanup(parsed); }
  };
  std::unique_ptr<CURLU, UrlCleanup> parsed(curl_url());
  if (!parsed) throw std::bad_alloc();
  // The URL is not repeated: it might hold a password.
  const auto refuse = [&](std::string_view why) { return Error{std::string(rules.name) + " " + std::string(why)}; };
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return refuse("is not a URL such as " + std::string(rules.example));
  }
  const auto part = [&](CURLUPart which, unsigned flags = 0) -> std::optional<std::string> {
    char* text = nullptr;
    if (curl_url_get(parsed.get(), which, &text, flags) != CURLUE_OK || text == nullptr) return std::nullopt;
    CurlText owned(text);
    return std::string(owned.get());
  };
  Endpoint endpoint;
  endpoint.scheme = part(CURLUPART_SCHEME).value_or("");
  if (std::find(rules.schemes.begin(), rules.schemes.end(), endpoint.scheme) == rules.schemes.end()) {
    return refuse("does not start with " + std::string(rules.scheme_words));
  }
  if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD) || part(CURLUPART_OPTIONS)) {
    return refuse("holds a user or password; " + std::string(rules.credentials_hint));
  }
  if (part(CURLUPART_QUERY) || part(CURLUPART_FRAGMENT)) return refuse(rules.query_words);
  const auto host = part(CURLUPART_HOST);
  if (!host || host->empty()) return refuse("names no host");
  const auto port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!port) return refuse("has no port");
  endpoint.host = *host;
  endpoint.base = endpoint.scheme + "://" + *host + ":" + *port;
  endpoint.loopback = is_loopback_host(*host);
  endpoint.raw_path = part(CURLUPART_PATH).value_or("/");
  endpoint.path = part(CURLUPART_PATH, CURLU_URLDECODE).value_or("/");
  return endpoint;
}

// ---- CurlSession ----

Result<Done> CurlSession::open(const char* protocols) {
  handle_.reset(curl_easy_init());
  if (!handle_) return Error{"could not start libcurl"};
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_PROTOCOLS_STR, protocols);
  set(CURLOPT_ERRORBUFFER, error_buffer_);
  return Done{};
}

void CurlSession::set_login(const std::string& user, const std::string& password, const std::string& token) {
  set(CURLOPT_USERNAME, user.c_str());
  if (token.empty()) {
    set(CURLOPT_PASSWORD, password.c_str());
  } else {
    set(CURLOPT_XOAUTH2_BEARER, token.c_str());
    set(CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
  }
}

void CurlSession::set_tls(const std::string& ca_file, bool plain_allowed) {
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!ca_file.empty()) set(CURLOPT_CAINFO, ca_file.c_str());
  set(CURLOPT_USE_SSL, static_cast<long>(plain_allowed ? CURLUSESSL_NONE : CURLUSESSL_ALL));
}

void CurlSession::set_timeouts(std::chrono::seconds timeout, bool each_reply) {
  const long timeout_ms = static_cast<long>(std::chrono::milliseconds(timeout).count());
  set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  set(CURLOPT_TIMEOUT_MS, timeout_ms);
  if (each_reply) {
    set(CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(timeout.count()));
    set(CURLOPT_TCP_KEEPALIVE, 1L);
  }
}

void CurlSession::start_upload(std::string_view bytes) {
  upload_left_ = bytes;
  set(CURLOPT_READFUNCTION, &CurlSession::read_callback);
  set(CURLOPT_READDATA, this);
  set(CURLOPT_UPLOAD, 1L);
  set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
}

void CurlSession::stop_upload() {
  set(CURLOPT_UPLOAD, 0L);
  set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(-1));
  upload_left_ = {};
}

std::size_t CurlSession::read_callback(char* buffer, std::size_t size, std::size_t count, void* self) {
  auto* session = static_cast<CurlSession*>(self);
  const std::size_t n = std::min(size * count, session->upload_left_.size());
  std::memcpy(buffer, session->upload_left_.data(), n);
  session->upload_left_.remove_prefix(n);
  return n;
}

CURLcode CurlSession::perform() {
  error_buffer_[0] = '\0';
  return curl_easy_perform(handle_.get());
}

std::string CurlSession::libcurl_said() const {
  const std::string text = printable(error_buffer_);
  return text.empty() ? std::string() : " (" + text + ")";
}

std::optional<std::string> CurlSession::describe_connection_failure(CURLcode code, const Failure& failure) const {
  const std::string where(failure.where);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "could not reach " + where + " (host not found)";
    case CURLE_COULDNT_CONNECT: {
      long os_error = 0;
      curl_easy_getinfo(handle_.get(), CURLINFO_OS_ERRNO, &os_error);
      std::string why = "connection failed";
      if (os_error == ECONNREFUSED) why = "connection refused";
      if (os_error == ETIMEDOUT) why = "timed out";
      if (os_error == ENETUNREACH) why = "network unreachable";
      if (os_error == EHOSTUNREACH) why = "host unreachable";
      return "could not reach " + where + " (" + why + ")";
    }
    case CURLE_OPERATION_TIMEDOUT: {
      // No peer port: no connection came about (a reused one has its port, unlike its connect time).
      long peer_port = 0;
      curl_easy_getinfo(handle_.get(), CURLINFO_PRIMARY_PORT, &peer_port);
      if (peer_port == 0)
        return "could not reach " + where + " (timed out after " + describe_seconds(failure.timeout) + ")";
      return where + " did not answer within " + describe_seconds(failure.timeout) +
             (failure.action.empty() ? std::string() : " while " + std::string(failure.action)) + " (timed out)";
    }
    case CURLE_PEER_FAILED_VERIFICATION:
      return "the certificate of " + where + " could not be verified" + libcurl_said() +
             "; give the CA file if the server's certificate is signed by a private CA";
    case CURLE_SSL_CACERT_BADFILE:
      return "could not read the CA file \"" + printable(failure.ca_file) + "\"" + libcurl_said();
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED: return "TLS with " + where + " failed" + libcurl_said();
    default: return std::nullopt;
  }
}

}  // namespace ispd::mail::detail
