#pragma once
// A mailbox in memory, with the failures a real server has: for the
// intake's tests, as the real one (mail/imap.hpp) is tested against Dovecot.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mailbox.hpp"

namespace ispd::test {

class FakeMailbox final : public mail::Mailbox {
 public:
  std::string inbox = "INBOX";
  std::uint32_t uidvalidity = 7;
  // Folder → UID → raw message.
  std::map<std::string, std::map<std::uint32_t, std::string>> folders{{"INBOX", {}}};

  // Failures to inject: every call of that kind fails while set; move fails after this many moves.
  bool fail_select = false;
  bool fail_list = false;
  std::set<std::uint32_t> fail_fetch;
  std::optional<int> moves_before_failure;
  int moves = 0;

  // Puts a message into the inbox (or a folder) with the next UID.
  std::uint32_t add(std::string raw, const std::string& folder = "INBOX") {
    folders[folder][next_uid_] = std::move(raw);
    return next_uid_++;
  }
  [[nodiscard]] std::size_t count(const std::string& folder) const {
    const auto f = folders.find(folder);
    return f == folders.end() ? 0 : f->second.size();
  }

  Result<mail::MailboxStatus> select_inbox() override {
    if (fail_select) return Error{"the server closed the connection"};
    return mail::MailboxStatus{uidvalidity, static_cast<std::uint32_t>(folders[inbox].size())};
  }
  Result<std::vector<mail::MessageRef>> list_inbox() override {
    if (fail_list) return Error{"the server closed the connection"};
    std::vector<mail::MessageRef> out;
    for (const auto& [uid, raw] : folders[inbox]) out.push_back({uid, raw.size()});
    return out;
  }
  Result<std::string> fetch(std::uint32_t uid, std::size_t max_bytes) override {
    if (fail_fetch.count(uid) != 0) return Error{"the server closed the connection"};
    const auto m = folders[inbox].find(uid);
    if (m == folders[inbox].end()) return Error{"no message with UID " + std::to_string(uid)};
    if (m->second.size() > max_bytes)
      return Error{"the message is larger than " + std::to_string(max_bytes) + " bytes"};
    return m->second;
  }
  Result<Done> ensure_folder(std::string_view folder) override {
    folders[std::string(folder)];
    return Done{};
  }
  Result<Done> move(std::uint32_t uid, std::string_view folder) override {
    if (moves_before_failure && moves >= *moves_before_failure) return Error{"the server refused the move"};
    const auto m = folders[inbox].find(uid);
    if (m == folders[inbox].end()) return Error{"no message with UID " + std::to_string(uid)};
    const auto to = folders.find(std::string(folder));
    if (to == folders.end()) return Error{"no folder " + std::string(folder)};
    // A moved message gets a new UID in its new folder, as on a real server.
    to->second[next_uid_++] = std::move(m->second);
    folders[inbox].erase(m);
    ++moves;
    return Done{};
  }

 private:
  std::uint32_t next_uid_ = 1;
};

}  // namespace ispd::test
