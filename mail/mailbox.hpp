#pragma once
// The mailbox ispd reads forms from, as the intake sees it: a few operations
// by UID. ImapMailbox (imap.hpp) is the real one; tests use a fake.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace ispd::mail {

struct MailboxStatus {
  std::uint32_t uidvalidity = 0;
  std::uint32_t messages = 0;  // EXISTS
};

struct MessageRef {
  std::uint32_t uid = 0;
  std::uint64_t size = 0;  // RFC822.SIZE as the server reports it
};

class Mailbox {
 public:
  virtual ~Mailbox() = default;
  // Selects the inbox (the folder the mailbox URL names).
  virtual Result<MailboxStatus> select_inbox() = 0;
  // Every message in the inbox, by UID, oldest first; an empty inbox is an empty list.
  virtual Result<std::vector<MessageRef>> list_inbox() = 0;
  // The raw message; an error (naming the size) if it is larger than max_bytes, or if the UID is gone.
  virtual Result<std::string> fetch(std::uint32_t uid, std::size_t max_bytes) = 0;
  // Creates the folder (and its parents) unless it exists.
  virtual Result<Done> ensure_folder(std::string_view folder) = 0;
  // Moves a message of the inbox to the folder: UID MOVE where offered, else COPY, \Deleted and UID EXPUNGE.
  virtual Result<Done> move(std::uint32_t uid, std::string_view folder) = 0;
  // Moves several messages of the inbox to the folder at once. By default one
  // move() each; a server session does it in one command.
  virtual Result<Done> move_all(const std::vector<std::uint32_t>& uids, std::string_view folder) {
    for (const auto uid : uids) {
      if (auto moved = move(uid, folder); !moved) return moved;
    }
    return Done{};
  }
};

}  // namespace ispd::mail
