#pragma once
// The mailbox over IMAP, with libcurl: TLS everywhere but loopback,
// certificates checked, a timeout on every operation, one connection reused
// for the whole session. Folder names are UTF-8 with '/' between levels
// ("ISP/Needs attention"); they go to the server in its own separator and
// modified UTF-7. One ImapMailbox serves one thread. Knows nothing else of ispd.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mail/mailbox.hpp"
#include "util/result.hpp"

namespace ispd::mail {

struct ImapSettings {
  // imaps://host[:port]/FOLDER, or imap://host[:port]/FOLDER (STARTTLS required unless the host is
  // loopback: 127.0.0.0/8, ::1, localhost). FOLDER is the inbox, percent-encoded; INBOX if missing.
  // No user or password in the URL.
  std::string url;
  std::string user;
  std::string password;  // never logged nor put in an error
  // An OAuth2 access token (Microsoft 365): when set, ispd signs in with XOAUTH2 alone, never the password.
  std::string bearer_token;  // never logged nor put in an error
  std::string ca_file;       // empty: the system's CA bundle
  // For connecting, and for each call as a whole (a login, one FETCH of a message, ...); at least 1 s.
  std::chrono::seconds timeout{60};
  // Tests only: behave as if the server did not offer MOVE.
  bool never_move = false;
};

class ImapMailbox final : public Mailbox {
 public:
  // Connects and logs in; a refused login or an unreachable server is an error that says which.
  static Result<std::unique_ptr<ImapMailbox>> connect(const ImapSettings& settings);
  ~ImapMailbox() override;
  ImapMailbox(const ImapMailbox&) = delete;
  ImapMailbox& operator=(const ImapMailbox&) = delete;

  Result<MailboxStatus> select_inbox() override;
  // Lists in slices of 50 messages, as libcurl 7.88 fails one reply of more than about a hundred lines.
  Result<std::vector<MessageRef>> list_inbox() override;
  // libcurl fetches BODY[], so the server marks the message \Seen.
  Result<std::string> fetch(std::uint32_t uid, std::size_t max_bytes) override;
  Result<Done> ensure_folder(std::string_view folder) override;
  // Without MOVE (or with never_move) it needs UIDPLUS, so that UID EXPUNGE removes this message alone;
  // a server with neither is an error.
  Result<Done> move(std::uint32_t uid, std::string_view folder) override;
  // One UID MOVE (or COPY, STORE, UID EXPUNGE) per few hundred UIDs; UIDs no longer in the inbox are skipped.
  Result<Done> move_all(const std::vector<std::uint32_t>& uids, std::string_view folder) override;

  // Puts a raw message into a folder (IMAP APPEND): for tests, the demo and benchmarks.
  Result<Done> append(std::string_view folder, std::string_view raw);
  // UIDs of the messages in a folder, oldest first (for tests and the demo).
  Result<std::vector<std::uint32_t>> list_folder(std::string_view folder);
  // Whether the server offers MOVE (RFC 6851), as it said after the login; never_move does not change it.
  [[nodiscard]] bool offers_move() const;

 private:
  struct Session;
  explicit ImapMailbox(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

}  // namespace ispd::mail
