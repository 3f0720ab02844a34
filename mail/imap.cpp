#include "mail/imap.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

#include "mail/curl_session.hpp"
#include "mail/imap_syntax.hpp"
#include "util/host.hpp"
#include "util/text.hpp"

namespace ispd::mail {
namespace {

using detail::command_name;
using detail::contains_nocase;
using detail::CurlSession;
using detail::describe_seconds;
using detail::describe_size;
using detail::FetchItems;
using detail::has_flag;
using detail::Line;
using detail::ListEntry;
using detail::parse_fetch;
using detail::parse_list;
using detail::percent_encoded;
using detail::printable;
using detail::quoted;
using detail::Redactor;
using detail::uid_set;
using detail::wire_name;
using text::equal_nocase;

// Bounds on what a server may send: a hostile one could otherwise list
// without end, or send one endless line.
constexpr std::size_t kMaxEntries = 1'000'000;
constexpr std::size_t kMaxLineBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxResponseBytes = std::size_t{256} << 20;
// Messages asked for in one FETCH. libcurl 7.88 (Debian) counts each reply line together with all that is
// buffered behind it against its 300 KiB limit on response headers, so n lines cost about n * n * 25 bytes.
constexpr std::uint32_t kFetchSlice = 50;

// Where the settings point: the server and the inbox folder.
struct Target {
  std::string scheme;  // "imap" or "imaps"
  std::string base;    // scheme://host:port, for URLs and messages; never with credentials
  bool loopback = false;
  std::string inbox;  // the folder's name as given, '/' between levels, UTF-8
};

Result<Target> parse_target(const std::string& url) {
  static const detail::UrlRules kRules{.name = "the mailbox URL",
                                       .example = "imaps://mail.example.org/INBOX",
                                       .schemes = {"imaps", "imap"},
                                       .scheme_words = "imaps:// or imap://",
                                       .query_words = "has a query or fragment; it names a folder only"};
  auto endpoint = detail::parse_endpoint(url, kRules);
  if (!endpoint) return endpoint.error();
  if (endpoint->raw_path.find(';') != std::string::npos) {
    return Error{"the mailbox URL has ';' parameters; it names a folder only"};
  }
  Target target{.scheme = endpoint->scheme, .base = endpoint->base, .loopback = endpoint->loopback, .inbox = {}};
  std::string path = endpoint->path;
  while (!path.empty() && path.front() == '/') path.erase(path.begin());
  while (!path.empty() && path.back() == '/') path.pop_back();
  target.inbox = path.empty() ? "INBOX" : path;
  return target;
}

}  // namespace

struct ImapMailbox::Session {
  // One request to the server on the session's connection.
  struct Call {
    std::string url;
    std::string command;  // a custom request; empty for libcurl's own FETCH or APPEND
    std::string action;   // for messages: "logging in", "listing the inbox"
    std::string folder;   // the folder the URL names, for messages
    std::optional<std::string_view> upload;
  };

  ImapSettings settings;
  Target target;
  bool server_offers_move = false;
  bool server_offers_uidplus = false;
  bool server_offers_xoauth2 = false;  // AUTH=XOAUTH2 in a capability list
  std::optional<char> delimiter;
  std::string inbox_wire;  // the inbox's name on the wire

  // What the current call does with what the server sends: lines of a custom
  // request's untagged responses, or the bytes of a message.
  std::function<bool(std::string_view)> on_line;
  std::string partial_line;
  std::size_t response_bytes = 0;
  std::string* message = nullptr;
  std::size_t message_limit = 0;
  bool message_started = false;
  std::uint32_t message_uid = 0;
  std::string abort_reason;  // set by whatever stopped the transfer
  std::string current_action;
  CURLcode last_code = CURLE_OK;
  std::string last_tagged;  // the server's last tagged reply, e.g. "NO [TRYCREATE] Mailbox doesn't exist"
  // The password and the token never leave in a message, in whatever form a server echoes them.
  Redactor redacted;

  // Last, so it goes first: its LOGOUT at cleanup still calls back into the members above.
  CurlSession curl;

  Session(ImapSettings s, Target t)
      : settings(std::move(s)),
        target(std::move(t)),
        redacted(Redactor::for_login(settings.user, settings.password, settings.bearer_token)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() = default;

  static std::size_t body_callback(char* data, std::size_t size, std::size_t count, void* self) {
    auto* session = static_cast<Session*>(self);
    const std::size_t bytes = size * count;
    try {
      return session->take_body(std::string_view(data, bytes)) ? bytes : 0;
    } catch (const std::exception&) {
      session->abort_reason = "ran out of memory reading the server's answer";
      return 0;
    }
  }

  static std::size_t header_callback(char* data, std::size_t size, std::size_t count, void* self) {
    auto* session = static_cast<Session*>(self);
    const std::size_t bytes = size * count;
    std::string_view line(data, std::min(bytes, kMaxLineBytes));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    // Every line the server sends comes here; a tagged reply ("A004 NO ...": libcurl's tags are a letter and
    // three digits) is kept without its tag, unless a refusal is already kept, as libcurl logs out after a
    // refused command and "OK Logout completed" would hide it.
    const bool tagged = line.size() > 5 && line[0] >= 'A' && line[0] <= 'Z' && line[4] == ' ' &&
                        std::all_of(line.begin() + 1, line.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    // The greeting's or CAPABILITY's list, before the login: whether a token can be used at all.
    if (line.starts_with("* ") && contains_nocase(line, "AUTH=XOAUTH2")) session->server_offers_xoauth2 = true;
    if (tagged && !session->refused()) {
      try {
        session->last_tagged = printable(session->redacted(std::string(line.substr(5))));
      } catch (const std::exception&) {
        session->last_tagged.clear();
      }
    }
    return bytes;
  }

  [[nodiscard]] bool refused() const {
    const std::string_view reply = last_tagged;
    return equal_nocase(reply.substr(0, 3), "NO ") || equal_nocase(reply.substr(0, 4), "BAD ");
  }

  bool stop(std::string why) {
    abort_reason = std::move(why);
    return false;
  }

  bool take_body(std::string_view chunk) {
    if (message != nullptr) return take_message(chunk);
    response_bytes += chunk.size();
    if (response_bytes > kMaxResponseBytes) {
      return stop(target.base + " sent more than " + describe_size(kMaxResponseBytes) + " while " + current_action);
    }
    while (!chunk.empty()) {
      const auto newline = chunk.find('\n');
      const auto piece = chunk.substr(0, newline);
      if (partial_line.size() + piece.size() > kMaxLineBytes) {
        return stop(target.base + " sent a line longer than " + describe_size(kMaxLineBytes) + " while " +
                    current_action);
      }
      partial_line.append(piece);
      if (newline == std::string_view::npos) return true;
      chunk.remove_prefix(newline + 1);
      if (!finish_line()) return false;
    }
    return true;
  }

  bool finish_line() {
    if (!partial_line.empty() && partial_line.back() == '\r') partial_line.pop_back();
    const bool go_on = !on_line || on_line(partial_line);
    partial_line.clear();
    return go_on;
  }

  bool take_message(std::string_view chunk) {
    if (!message_started) {
      message_started = true;
      // libcurl has read the size the server announced ({n}) before the first byte arrives.
      curl_off_t announced = -1;
      if (curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK && announced > 0) {
        if (static_cast<std::uint64_t>(announced) > message_limit) {
          return stop("message UID " + std::to_string(message_uid) + " is " +
                      describe_size(static_cast<std::uint64_t>(announced)) + ", more than the limit of " +
                      describe_size(message_limit));
        }
        message->reserve(static_cast<std::size_t>(announced));
      }
    }
    if (chunk.size() > message_limit - message->size()) {
      return stop("message UID " + std::to_string(message_uid) + " is larger than the limit of " +
                  describe_size(message_limit));
    }
    message->append(chunk);
    return true;
  }

  // Makes the one handle of the session with everything that stays the same for every call.
  Result<Done> open() {
    if (auto opened = curl.open("imap,imaps"); !opened) return opened;
    curl.set_login(settings.user, settings.password, settings.bearer_token);
    curl.set(CURLOPT_WRITEFUNCTION, &Session::body_callback);
    curl.set(CURLOPT_WRITEDATA, this);
    curl.set(CURLOPT_HEADERFUNCTION, &Session::header_callback);
    curl.set(CURLOPT_HEADERDATA, this);
    curl.set_timeouts(settings.timeout, true);
    // Plain imap:// sends the password in the clear, which is only harmless on this machine.
    curl.set_tls(settings.ca_file, target.scheme == "imap" && target.loopback);

    // CAPABILITY after the login lists what the server offers a logged-in user.
    std::vector<std::string> capabilities;
    auto login =
        run(Call{.url = target.base + "/", .command = "CAPABILITY", .action = "logging in", .folder = {}, .upload = {}},
            [&](std::string_view text) {
              Line line(text);
              if (!line.eat('*') || !line.skip_spaces() || !line.eat_word("CAPABILITY")) return true;
              while (line.skip_spaces() && capabilities.size() < 1000) capabilities.emplace_back(line.atom());
              return true;
            });
    if (!login) return login;
    const auto offers = [&](std::string_view name) {
      return std::any_of(capabilities.begin(), capabilities.end(),
                         [&](const std::string& c) { return equal_nocase(c, name); });
    };
    server_offers_move = offers("MOVE");
    server_offers_uidplus = offers("UIDPLUS");

    // LIST "" "" answers with the hierarchy delimiter alone (RFC 3501 6.3.8).
    std::optional<ListEntry> root;
    auto listed = run(Call{.url = target.base + "/",
                           .command = R"(LIST "" "")",
                           .action = "reading the folder separator",
                           .folder = {},
                           .upload = {}},
                      [&](std::string_view text) {
                        if (!root) root = parse_list(text);
                        return true;
                      });
    if (!listed) return listed;
    if (root) delimiter = root->delimiter;
    auto wire = wire_name(target.inbox, delimiter);
    if (!wire) return wire.error();
    inbox_wire = std::move(wire).value();
    return Done{};
  }

  std::string folder_url(std::string_view wire) const { return target.base + "/" + percent_encoded(wire); }

  // Runs one call; for a custom request each untagged line of the reply goes to on_reply.
  Result<Done> run(const Call& call, std::function<bool(std::string_view)> on_reply = {}) {
    on_line = std::move(on_reply);
    partial_line.clear();
    response_bytes = 0;
    abort_reason.clear();
    last_tagged.clear();
    current_action = call.action;
    curl.set(CURLOPT_URL, call.url.c_str());
    curl.set(CURLOPT_CUSTOMREQUEST, call.command.empty() ? static_cast<const char*>(nullptr) : call.command.c_str());
    if (call.upload) curl.start_upload(*call.upload);
    const CURLcode code = curl.perform();
    last_code = code;
    if (call.upload) curl.stop_upload();
    bool finished = true;
    if (code == CURLE_OK && !partial_line.empty()) finished = finish_line();
    on_line = nullptr;
    message = nullptr;
    if (code == CURLE_OK && finished) return Done{};
    return Error{redacted(describe_failure(code, call))};
  }

  [[nodiscard]] std::string server_said() const {
    return last_tagged.empty() ? std::string() : ": the server said \"" + last_tagged + "\"";
  }

  std::string describe_failure(CURLcode code, const Call& call) const {
    if (!abort_reason.empty()) return abort_reason;
    const std::string& base = target.base;
    if (auto common = curl.describe_connection_failure(
            code, {.where = base, .action = call.action, .timeout = settings.timeout, .ca_file = settings.ca_file})) {
      return *common;
    }
    switch (code) {
      case CURLE_LOGIN_DENIED:
        // libcurl reports a refused SELECT with the same code as a refused login.
        if (curl.libcurl_error().starts_with("Select failed")) {
          return "could not open folder \"" + printable(call.folder) + "\" on " + base + server_said();
        }
        if (!settings.bearer_token.empty() && !server_offers_xoauth2) {
          return base + " does not offer XOAUTH2, so ispd cannot sign in to " + printable(settings.user) +
                 " with an OAuth2 token";
        }
        if (!settings.bearer_token.empty()) {
          return "the server " + base + " refused the OAuth2 token for " + printable(settings.user) + server_said();
        }
        return "the server " + base + " refused the login for " + printable(settings.user) + server_said();
      case CURLE_USE_SSL_FAILED:
        return base + " does not offer STARTTLS; ispd logs in without TLS only to a loopback host";
      case CURLE_QUOTE_ERROR:
        return base + " refused " + command_name(call.command) + " while " + call.action + server_said();
      case CURLE_UPLOAD_FAILED: return base + " refused the message while " + call.action + server_said();
      case CURLE_REMOTE_FILE_NOT_FOUND: return base + " found nothing while " + call.action + server_said();
      default: return call.action + " on " + base + " failed: " + curl_easy_strerror(code) + curl.libcurl_said();
    }
  }

  // Whether the last call failed because the folder it named does not exist.
  [[nodiscard]] bool folder_was_missing() const { return contains_nocase(last_tagged, "[TRYCREATE]"); }

  // SELECT of the folder the URL names, so libcurl, which selects it first, stays right about what is selected.
  Result<MailboxStatus> select(const std::string& wire, std::string_view folder, const std::string& action) {
    MailboxStatus status;
    bool have_uidvalidity = false;
    auto selected = run(Call{.url = folder_url(wire),
                             .command = "SELECT " + quoted(wire),
                             .action = action,
                             .folder = std::string(folder),
                             .upload = {}},
                        [&](std::string_view text) {
                          Line line(text);
                          if (!line.eat('*') || !line.skip_spaces()) return true;
                          if (auto n = line.number(UINT32_MAX)) {
                            if (line.skip_spaces() && line.eat_word("EXISTS")) {
                              status.messages = static_cast<std::uint32_t>(*n);
                            }
                          } else if (line.eat_word("OK") && line.skip_spaces() && line.eat('[') &&
                                     line.eat_word("UIDVALIDITY") && line.skip_spaces()) {
                            if (auto v = line.number(UINT32_MAX); v && *v != 0) {
                              status.uidvalidity = static_cast<std::uint32_t>(*v);
                              have_uidvalidity = true;
                            }
                          }
                          return true;
                        });
    if (!selected) return selected.error();
    if (!have_uidvalidity) return Error{target.base + " gave no UIDVALIDITY for folder \"" + printable(folder) + "\""};
    return status;
  }

  // Every message of a folder, by sequence number in slices of kFetchSlice, as one "UID FETCH 1:*" of a
  // folder of a few hundred messages already exceeds libcurl's limit for one reply. A server sends no EXPUNGE
  // during FETCH (RFC 3501 7.4.1), so the numbers from SELECT stay valid from slice to slice.
  Result<std::vector<FetchItems>> fetch_all(const std::string& wire, std::string_view folder, bool with_size,
                                            const std::string& action) {
    auto status = select(wire, folder, action);
    if (!status) return status.error();
    if (status->messages > kMaxEntries) {
      return Error{target.base + " holds more than " + std::to_string(kMaxEntries) + " messages in folder \"" +
                   printable(folder) + "\""};
    }
    std::vector<FetchItems> found;
    found.reserve(status->messages);
    for (std::uint32_t first = 1; first <= status->messages; first += kFetchSlice) {
      const std::uint32_t last = std::min<std::uint32_t>(status->messages, first + kFetchSlice - 1);
      std::size_t lines = 0;
      auto listed =
          run(Call{.url = folder_url(wire),
                   .command = "FETCH " + std::to_string(first) + ":" + std::to_string(last) +
                              (with_size ? " (UID RFC822.SIZE)" : " (UID)"),
                   .action = action,
                   .folder = std::string(folder),
                   .upload = {}},
              [&](std::string_view text) {
                if (++lines > std::size_t{2} * kFetchSlice) {
                  return stop(target.base + " sent more FETCH replies than messages asked for while " + action);
                }
                auto items = parse_fetch(text);
                // Unsolicited FETCH replies (flag changes) carry no size and are left out.
                if (!items || (with_size && !items->size)) return true;
                found.push_back(*items);
                return true;
              });
      if (!listed) return listed.error();
    }
    std::sort(found.begin(), found.end(), [](const FetchItems& a, const FetchItems& b) { return a.uid < b.uid; });
    found.erase(std::unique(found.begin(), found.end(),
                            [](const FetchItems& a, const FetchItems& b) { return a.uid == b.uid; }),
                found.end());
    return found;
  }

  // Whether a folder exists; a \Noselect one counts only as a parent.
  Result<bool> folder_exists(const std::string& wire, bool as_parent) {
    bool exists = false;
    std::size_t lines = 0;
    auto listed = run(Call{.url = target.base + "/",
                           .command = "LIST \"\" " + quoted(wire),
                           .action = "looking for folder \"" + printable(wire) + "\"",
                           .folder = {},
                           .upload = {}},
                      [&](std::string_view text) {
                        if (++lines > kMaxEntries) return stop(target.base + " lists too many folders");
                        const auto entry = parse_list(text);
                        if (!entry) return true;
                        const bool same =
                            entry->name == wire || (equal_nocase(wire, "INBOX") && equal_nocase(entry->name, wire));
                        if (!same || has_flag(*entry, "\\NonExistent")) return true;
                        if (as_parent || !has_flag(*entry, "\\Noselect")) exists = true;
                        return true;
                      });
    if (!listed) return listed.error();
    return exists;
  }

  Result<Done> run_in_inbox(std::string command, std::string action) {
    return run(Call{.url = folder_url(inbox_wire),
                    .command = std::move(command),
                    .action = std::move(action),
                    .folder = target.inbox,
                    .upload = {}});
  }
};

ImapMailbox::ImapMailbox(std::unique_ptr<Session> session) : session_(std::move(session)) {}

ImapMailbox::~ImapMailbox() = default;

Result<std::unique_ptr<ImapMailbox>> ImapMailbox::connect(const ImapSettings& settings) {
  auto target = parse_target(settings.url);
  if (!target) return target.error();
  if (settings.user.empty()) return Error{"no IMAP user is set for " + target->base};
  if (settings.timeout < std::chrono::seconds(1)) return Error{"the IMAP timeout must be at least 1 s"};
  auto session = std::make_unique<Session>(settings, std::move(target).value());
  if (auto opened = session->open(); !opened) return opened.error();
  return std::unique_ptr<ImapMailbox>(new ImapMailbox(std::move(session)));
}

bool ImapMailbox::offers_move() const { return session_->server_offers_move; }

Result<MailboxStatus> ImapMailbox::select_inbox() {
  Session& s = *session_;
  return s.select(s.inbox_wire, s.target.inbox, "selecting the inbox");
}

Result<std::vector<MessageRef>> ImapMailbox::list_inbox() {
  Session& s = *session_;
  auto found = s.fetch_all(s.inbox_wire, s.target.inbox, true, "listing the inbox");
  if (!found) return found.error();
  std::vector<MessageRef> refs;
  refs.reserve(found->size());
  for (const auto& item : *found) refs.push_back(MessageRef{.uid = item.uid, .size = *item.size});
  return refs;
}

Result<std::string> ImapMailbox::fetch(std::uint32_t uid, std::size_t max_bytes) {
  Session& s = *session_;
  if (uid == 0) return Error{"message UID 0 cannot exist"};
  std::string message;
  s.message = &message;
  s.message_limit = max_bytes;
  s.message_started = false;
  s.message_uid = uid;
  // libcurl fetches BODY[], not BODY.PEEK[], so the server marks the message \Seen.
  auto fetched = s.run(Session::Call{.url = s.folder_url(s.inbox_wire) + ";UID=" + std::to_string(uid),
                                     .command = {},
                                     .action = "fetching message UID " + std::to_string(uid),
                                     .folder = s.target.inbox,
                                     .upload = {}});
  if (!fetched) {
    if (s.last_code == CURLE_REMOTE_FILE_NOT_FOUND) {
      return Error{"message UID " + std::to_string(uid) + " is no longer in the inbox"};
    }
    return fetched.error();
  }
  return message;
}

Result<Done> ImapMailbox::ensure_folder(std::string_view folder) {
  Session& s = *session_;
  auto wire = wire_name(folder, s.delimiter);
  if (!wire) return wire.error();
  auto exists = s.folder_exists(*wire, false);
  if (!exists) return exists.error();
  if (*exists) return Done{};
  // Each level is made in turn, as RFC 3501 lets a server refuse to make missing parents.
  const std::string& name = *wire;
  for (std::size_t end = 0; end != std::string::npos;) {
    end = s.delimiter ? name.find(*s.delimiter, end + 1) : std::string::npos;
    const std::string level = name.substr(0, end);
    const bool last = end == std::string::npos;
    auto level_exists = last ? Result<bool>(false) : s.folder_exists(level, true);
    if (!level_exists) return level_exists.error();
    if (*level_exists) continue;
    auto created = s.run(Session::Call{.url = s.target.base + "/",
                                       .command = "CREATE " + quoted(level),
                                       .action = "creating folder \"" + printable(folder) + "\"",
                                       .folder = {},
                                       .upload = {}});
    if (!created && !contains_nocase(s.last_tagged, "[ALREADYEXISTS]")) return created.error();
  }
  return Done{};
}

Result<Done> ImapMailbox::move(std::uint32_t uid, std::string_view folder) {
  Session& s = *session_;
  auto wire = wire_name(folder, s.delimiter);
  if (!wire) return wire.error();
  const std::string id = std::to_string(uid);
  const std::string action = "moving message UID " + id + " to folder \"" + printable(folder) + "\"";
  // COPY, STORE and UID EXPUNGE of a UID that is gone all succeed quietly, so its absence is checked first.
  bool present = false;
  auto looked = s.run(Session::Call{.url = s.folder_url(s.inbox_wire),
                                    .command = "UID FETCH " + id + " (UID)",
                                    .action = action,
                                    .folder = s.target.inbox,
                                    .upload = {}},
                      [&](std::string_view text) {
                        if (auto items = parse_fetch(text); items && items->uid == uid) present = true;
                        return true;
                      });
  if (!looked) return looked.error();
  if (!present) return Error{"message UID " + id + " is no longer in the inbox"};

  const auto failed = [&](const Result<Done>& step) -> Result<Done> {
    if (s.folder_was_missing()) return Error{"folder \"" + printable(folder) + "\" does not exist"};
    return step.error();
  };
  if (s.server_offers_move && !s.settings.never_move) {
    auto moved = s.run_in_inbox("UID MOVE " + id + " " + quoted(*wire), action);
    return moved ? moved : failed(moved);
  }
  // Plain EXPUNGE would also remove any other message someone marked \Deleted, so UID EXPUNGE (UIDPLUS) is required.
  if (!s.server_offers_uidplus) {
    return Error{s.target.base + " offers neither MOVE nor UIDPLUS, so ispd cannot move a single message safely"};
  }
  if (auto copied = s.run_in_inbox("UID COPY " + id + " " + quoted(*wire), action); !copied) return failed(copied);
  if (auto marked = s.run_in_inbox("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)", action); !marked) return marked;
  return s.run_in_inbox("UID EXPUNGE " + id, action);
}

Result<Done> ImapMailbox::move_all(const std::vector<std::uint32_t>& uids, std::string_view folder) {
  Session& s = *session_;
  auto wire = wire_name(folder, s.delimiter);
  if (!wire) return wire.error();
  if (std::find(uids.begin(), uids.end(), 0U) != uids.end()) return Error{"message UID 0 cannot exist"};
  const auto failed = [&](const Result<Done>& step) -> Result<Done> {
    if (s.folder_was_missing()) return Error{"folder \"" + printable(folder) + "\" does not exist"};
    return step.error();
  };
  // A few hundred UIDs a command keeps every command line short, however scattered the UIDs.
  constexpr std::size_t kUidsPerCommand = 250;
  for (std::size_t from = 0; from < uids.size(); from += kUidsPerCommand) {
    const std::vector<std::uint32_t> slice(
        uids.begin() + static_cast<std::ptrdiff_t>(from),
        uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), from + kUidsPerCommand)));
    const std::string set = uid_set(slice);
    const std::string action =
        "moving " + std::to_string(slice.size()) + " messages to folder \"" + printable(folder) + "\"";
    if (s.server_offers_move && !s.settings.never_move) {
      if (auto moved = s.run_in_inbox("UID MOVE " + set + " " + quoted(*wire), action); !moved) return failed(moved);
      continue;
    }
    if (!s.server_offers_uidplus) {
      return Error{s.target.base + " offers neither MOVE nor UIDPLUS, so ispd cannot move a single message safely"};
    }
    if (auto copied = s.run_in_inbox("UID COPY " + set + " " + quoted(*wire), action); !copied) return failed(copied);
    if (auto marked = s.run_in_inbox("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", action); !marked) return marked;
    if (auto expunged = s.run_in_inbox("UID EXPUNGE " + set, action); !expunged) return expunged;
  }
  return Done{};
}

Result<Done> ImapMailbox::append(std::string_view folder, std::string_view raw) {
  Session& s = *session_;
  auto wire = wire_name(folder, s.delimiter);
  if (!wire) return wire.error();
  auto appended = s.run(Session::Call{.url = s.folder_url(*wire),
                                      .command = {},
                                      .action = "appending a message to folder \"" + printable(folder) + "\"",
                                      .folder = std::string(folder),
                                      .upload = raw});
  if (!appended && s.folder_was_missing()) return Error{"folder \"" + printable(folder) + "\" does not exist"};
  return appended;
}

Result<std::vector<std::uint32_t>> ImapMailbox::list_folder(std::string_view folder) {
  Session& s = *session_;
  auto wire = wire_name(folder, s.delimiter);
  if (!wire) return wire.error();
  auto found = s.fetch_all(*wire, folder, false, "listing folder \"" + printable(folder) + "\"");
  if (!found) return found.error();
  std::vector<std::uint32_t> uids;
  uids.reserve(found->size());
  for (const auto& item : *found) uids.push_back(item.uid);
  return uids;
}

}  // namespace ispd::mail
