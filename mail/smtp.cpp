#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

#include "mail/curl_session.hpp"
#include "util/host.hpp"
#include "util/text.hpp"

namespace ispd::mail {
namespace {

using detail::CurlList;
using detail::CurlSession;
using detail::describe_seconds;
using detail::printable;
using detail::Redactor;
using text::equal_nocase;
using text::starts_with_nocase;

// Bounds on what a server may send and on what goes into messages.
constexpr std::size_t kMaxLineBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxBodyBytes = std::size_t{1} << 20;
// RFC 5321 4.5.3.1.3: a path is at most 256 octets, brackets included.
constexpr std::size_t kMaxAddressBytes = 254;

// Why ispd will not put an address into an SMTP command, or nullopt if it will: a line break would end the
// command and start another, and a bracket would close the path and add parameters.
std::optional<std::string> address_problem(std::string_view address, bool may_be_empty) {
  if (address.empty()) {
    if (may_be_empty) return std::nullopt;
    return std::string("is empty");
  }
  if (address.size() > kMaxAddressBytes) return "is longer than " + std::to_string(kMaxAddressBytes) + " bytes";
  for (char c : address) {
    if (c == '\r' || c == '\n') return std::string("holds a line break");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::string("holds a control character");
    if (c == '<' || c == '>') return std::string("holds '<' or '>'");
  }
  if (address.find('@') == std::string_view::npos) return std::string("has no '@'");
  return std::nullopt;
}

// One reply line: "250-PIPELINING", "550 5.1.1 <x@y>: Recipient address rejected".
struct ReplyLine {
  int code = 0;
  bool last = true;  // the last line of its reply ("250 " rather than "250-")
  std::string_view text;
};

std::optional<ReplyLine> parse_reply(std::string_view line) {
  if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  ReplyLine reply;
  reply.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (line.size() > 3) {
    if (line[3] != ' ' && line[3] != '-') return std::nullopt;
    reply.last = line[3] == ' ';
    reply.text = line.substr(4);
  }
  return reply;
}

// Where the settings point.
struct Target {
  std::string scheme;  // "smtp" or "smtps"
  std::string base;    // scheme://host:port, for messages; never with credentials
  std::string url;     // base and the EHLO name, as libcurl is given it
  bool loopback = false;
};

Result<Target> parse_target(const std::string& url) {
  static const detail::UrlRules kRules{.name = "the SMTP URL",
                                       .example = "smtps://mail.example.org",
                                       .schemes = {"smtps", "smtp"},
                                       .scheme_words = "smtps:// or smtp://"};
  auto endpoint = detail::parse_endpoint(url, kRules);
  if (!endpoint) return endpoint.error();
  Target target{.scheme = endpoint->scheme, .base = endpoint->base, .url = {}, .loopback = endpoint->loopback};
  const auto refuse = [](const std::string& why) { return Error{"the SMTP URL " + why}; };
  auto path = endpoint->raw_path;
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  // libcurl says EHLO with the path; a name with anything but these characters would be an odd EHLO.
  if (!std::all_of(path.begin(), path.end(),
                   [](char c) {
                     return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                            c == '-' || c == '/';
                   }) ||
      path.find('/', 1) != std::string::npos) {
    return refuse("has a path that is not a host name for EHLO");
  }
  target.url = target.base + path;
  return target;
}

}  // namespace

struct SmtpTransport::Session {
  SmtpSettings settings;
  Target target;

  // What the server said during the current call.
  std::size_t replies = 0;        // complete reply lines
  std::optional<ReplyLine> last;  // the last complete reply, text in last_text
  std::string last_text;
  int refusal_code = 0;  // the first 4xx or 5xx reply of the call
  std::string refusal_text;
  bool refusal_in_transaction = false;  // it answered MAIL, RCPT or DATA, not the greeting, EHLO or AUTH
  bool in_transaction = false;          // MAIL FROM has been sent in this call
  bool offers_auth = false;             // EHLO listed AUTH
  bool offers_xoauth2 = false;          // ... and XOAUTH2 among its mechanisms
  std::size_t body_bytes = 0;
  // The password and the token never leave in a message, in whatever form a server echoes them.
  Redactor redacted;

  // Last, so it goes first: its QUIT at cleanup still calls back into the members above.
  CurlSession curl;

  Session(SmtpSettings s, Target t)
      : settings(std::move(s)),
        target(std::move(t)),
        redacted(Redactor::for_login(settings.user, settings.password, settings.bearer_token)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() = default;

  // Every line the server sends comes here, from the greeting to QUIT's reply.
  static std::size_t header_callback(char* data, std::size_t size, std::size_t count, void* self) {
    auto* session = static_cast<Session*>(self);
    const std::size_t bytes = size * count;
    std::string_view line(data, std::min(bytes, kMaxLineBytes));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    try {
      session->take_reply(line);
    } catch (const std::exception&) {
      session->last_text.clear();
      session->refusal_text.clear();
    }
    return bytes;
  }

  // What ispd sends: only whether MAIL FROM has gone is of interest (AUTH lines are never looked at further).
  static int debug_callback(CURL*, curl_infotype type, char* data, std::size_t size, void* self) {
    auto* session = static_cast<Session*>(self);
    if (type == CURLINFO_HEADER_OUT && starts_with_nocase(std::string_view(data, size), "MAIL FROM:")) {
      session->in_transaction = true;
    }
    return 0;
  }

  // The answer to a command (NOOP) is not needed; it is bounded all the same.
  static std::size_t body_callback(char*, std::size_t size, std::size_t count, void* self) {
    auto* session = static_cast<Session*>(self);
    const std::size_t bytes = size * count;
    session->body_bytes += bytes;
    return session->body_bytes > kMaxBodyBytes ? 0 : bytes;
  }

  void take_reply(std::string_view line) {
    const auto reply = parse_reply(line);
    if (!reply) return;
    if (reply->code == 250 && (starts_with_nocase(reply->text, "AUTH ") || starts_with_nocase(reply->text, "AUTH="))) {
      offers_auth = true;
      for (std::string_view rest = reply->text.substr(5); !rest.empty();) {
        const auto end = std::min(rest.find(' '), rest.size());
        if (equal_nocase(rest.substr(0, end), "XOAUTH2")) offers_xoauth2 = true;
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
    }
    if (!reply->last) return;
    ++replies;
    last = reply;
    last_text = printable(redacted(std::string(reply->text)));
    last->text = {};
    // A refusal is kept over what follows, as libcurl says QUIT after it and "221 Bye" would hide it.
    if (reply->code >= 400 && refusal_code == 0) {
      refusal_code = reply->code;
      refusal_text = last_text;
      refusal_in_transaction = in_transaction;
    }
  }

  // Makes the one handle of the session, and connects and logs in with a NOOP.
  Result<Done> open() {
    if (auto opened = curl.open("smtp,smtps"); !opened) return opened;
    curl.set(CURLOPT_URL, target.url.c_str());
    if (!settings.user.empty()) curl.set_login(settings.user, settings.password, settings.bearer_token);
    curl.set(CURLOPT_WRITEFUNCTION, &Session::body_callback);
    curl.set(CURLOPT_WRITEDATA, this);
    curl.set(CURLOPT_HEADERFUNCTION, &Session::header_callback);
    curl.set(CURLOPT_HEADERDATA, this);
    // The debug callback sees the commands ispd sends; it needs VERBOSE, and nothing goes to stderr.
    curl.set(CURLOPT_DEBUGFUNCTION, &Session::debug_callback);
    curl.set(CURLOPT_DEBUGDATA, this);
    curl.set(CURLOPT_VERBOSE, 1L);
    curl.set_timeouts(settings.timeout, true);
    // Plain smtp:// sends the password and the mail in the clear, which is only harmless on this machine.
    curl.set_tls(settings.ca_file, target.scheme == "smtp" && target.loopback && !settings.starttls_on_loopback);

    // Without recipients libcurl sends a command: NOOP, after the greeting, EHLO, STARTTLS and AUTH.
    curl.set(CURLOPT_CUSTOMREQUEST, "NOOP");
    const CURLcode code = perform();
    curl.set(CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr));
    if (code != CURLE_OK) {
      return Error{redacted(describe_failure(code, settings.user.empty() ? "connecting" : "logging in"))};
    }
    // libcurl goes on without a login when the server offers none; ispd would then send unauthenticated.
    if (!settings.user.empty() && !offers_auth) {
      return Error{target.base + " does not offer AUTH, so ispd cannot log in as " + printable(settings.user)};
    }
    return Done{};
  }

  CURLcode perform() {
    replies = 0;
    last.reset();
    last_text.clear();
    refusal_code = 0;
    refusal_text.clear();
    refusal_in_transaction = false;
    in_transaction = false;
    body_bytes = 0;
    return curl.perform();
  }

  // One envelope: MAIL FROM, one RCPT TO, DATA.
  CURLcode transfer(const std::string& from, curl_slist* recipients, std::string_view raw) {
    curl.set(CURLOPT_MAIL_FROM, from.c_str());
    curl.set(CURLOPT_MAIL_RCPT, recipients);
    curl.start_upload(raw);
    const CURLcode code = perform();
    curl.stop_upload();
    curl.set(CURLOPT_MAIL_RCPT, static_cast<curl_slist*>(nullptr));
    return code;
  }

  [[nodiscard]] std::string server_said() const {
    if (refusal_code != 0) return ": the server said \"" + std::to_string(refusal_code) + " " + refusal_text + "\"";
    if (last) return ": the server said \"" + std::to_string(last->code) + " " + last_text + "\"";
    return {};
  }

  [[nodiscard]] std::string describe_failure(CURLcode code, const std::string& action) const {
    const std::string& base = target.base;
    if (auto common = curl.describe_connection_failure(
            code, {.where = base, .action = action, .timeout = settings.timeout, .ca_file = settings.ca_file})) {
      return *common;
    }
    switch (code) {
      case CURLE_LOGIN_DENIED:
        if (!settings.bearer_token.empty() && !offers_xoauth2) {
          return base + " does not offer XOAUTH2, so ispd cannot sign in as " + printable(settings.user) +
                 " with an OAuth2 token";
        }
        if (!settings.bearer_token.empty()) {
          // A 334 here is XOAUTH2's error challenge (base64 JSON), not words for a person.
          return "the server " + base + " refused the OAuth2 token for " + printable(settings.user) +
                 (last && last->code == 334 && refusal_code == 0 ? std::string() : server_said());
        }
        return "the server " + base + " refused the login for " + printable(settings.user) + server_said();
      case CURLE_USE_SSL_FAILED:
        return base + " does not offer STARTTLS; ispd sends without TLS only to a loopback host";
      default:
        return action + " on " + base + " failed: " + curl_easy_strerror(code) + curl.libcurl_said() + server_said();
    }
  }
};

SmtpTransport::SmtpTransport(std::unique_ptr<Session> session) : session_(std::move(session)) {}

SmtpTransport::~SmtpTransport() = default;

Result<std::unique_ptr<SmtpTransport>> SmtpTransport::connect(const SmtpSettings& settings) {
  auto target = parse_target(settings.url);
  if (!target) return target.error();
  if (settings.timeout < std::chrono::seconds(1)) return Error{"the SMTP timeout must be at least 1 s"};
  auto session = std::make_unique<Session>(settings, std::move(target).value());
  if (auto opened = session->open(); !opened) return opened.error();
  return std::unique_ptr<SmtpTransport>(new SmtpTransport(std::move(session)));
}

Result<DeliveryResult> SmtpTransport::send(std::string_view envelope_from, std::string_view recipient,
                                           std::string_view raw_message) {
  Session& s = *session_;
  // Refused here, these never reach the server; trying again would not help.
  if (auto problem = address_problem(envelope_from, true)) {
    return DeliveryResult{
        .outcome = Delivery::permanent, .code = 0, .reply = "the sender address " + *problem + "; not sent"};
  }
  if (auto problem = address_problem(recipient, false)) {
    return DeliveryResult{
        .outcome = Delivery::permanent, .code = 0, .reply = "the recipient address " + *problem + "; not sent"};
  }
  const std::string from(envelope_from);
  CurlList recipients(curl_slist_append(nullptr, std::string(recipient).c_str()));
  if (!recipients) throw std::bad_alloc();

  CURLcode code = s.transfer(from, recipients.get(), raw_message);
  // A kept connection the server has meanwhile closed fails before any reply; nothing was sent, so once more.
  long new_connections = 0;
  curl_easy_getinfo(s.curl.get(), CURLINFO_NUM_CONNECTS, &new_connections);
  if (code != CURLE_OK && s.replies == 0 && new_connections == 0 &&
      (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING)) {
    code = s.transfer(from, recipients.get(), raw_message);
  }

  if (code == CURLE_OK) {
    long response = 0;
    curl_easy_getinfo(s.curl.get(), CURLINFO_RESPONSE_CODE, &response);
    return DeliveryResult{.outcome = Delivery::accepted,
                          .code = s.last ? s.last->code : static_cast<int>(response),
                          .reply = s.last_text};
  }
  // libcurl fails a refused MAIL, RCPT or DATA as a send error, and a refused final reply as a weird one;
  // whichever it is, the server's reply code says what the refusal means.
  // 530 (RFC 4954) refuses the session, not this mail: every mail would meet it until the settings change.
  if (s.refusal_in_transaction && s.refusal_code == 530) {
    return Error{s.redacted(s.target.base + " takes no mail without a login or TLS" + s.server_said())};
  }
  if (s.refusal_in_transaction && code != CURLE_OPERATION_TIMEDOUT) {
    return DeliveryResult{.outcome = s.refusal_code < 500 ? Delivery::temporary : Delivery::permanent,
                          .code = s.refusal_code,
                          .reply = s.redacted(s.refusal_text)};
  }
  return Error{s.redacted(s.describe_failure(code, "sending a message"))};
}

}  // namespace ispd::mail
