#pragma once
// An ispd installation for an integration test: its own ISP mailbox user on
// the running mail stack, a config, a database and an archive in a temporary
// folder, and the built ispd to run against them.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "mail/imap.hpp"
#include "tests/integration/mail_stack.hpp"
#include "tests/support/council_mail.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {

// The time every integration run is told it is: the example forms were sent in February 2026.
inline constexpr const char* kIspdNow = "ISPD_NOW=2026-02-13T10:00:00Z";

class Site {
 public:
  Site();

  // The config, written again with these changes: "mailbox.url" etc. as TOML lines under their section; an empty
  // value leaves the key out.
  void write_config(const std::map<std::string, std::string>& mailbox_overrides = {});
  // One more [[authority]] in every config written from now on.
  void add_authority(const std::string& name, const std::string& domain);

  // Lists and NWADCS of this test's own mail users, so that a test can count every copy each
  // receives: partner("cs1") etc. (the keys are in site.cpp, with the lists each is on).
  void use_own_partners();
  [[nodiscard]] const std::string& partner(const std::string& key) const { return partners_.at(key); }
  [[nodiscard]] const std::string& nwadcs() const { return nwadcs_; }
  // One more member of the [[list]] with this audience and scope (a new list if there is none).
  void add_to_list(const std::string& audience, const std::string& scope, const std::string& member);
  // [smtp] keys as TOML lines, replacing the defaults (AUTH on the submission port as the ISP mailbox).
  void set_smtp(const std::map<std::string, std::string>& overrides);
  // The [schedule] and [health] sections as TOML lines ("digest_hour = 7"). By default the digest and the
  // spreadsheet wait for 23:00 and no alert is on, so that a test counting NWADCS's mail sees only what it is
  // about; a test of the scheduled mails sets its own.
  void set_schedule(const std::string& schedule, const std::string& health);

  // The database and the archive somewhere else (a small disk of a test's own), in every config written from now on.
  void set_store(const std::filesystem::path& database, const std::filesystem::path& archive_dir);

  [[nodiscard]] const std::filesystem::path& config() const { return config_; }
  [[nodiscard]] const std::filesystem::path& database() const { return database_; }
  [[nodiscard]] const std::string& mailbox_user() const { return user_; }

  // A session on the ISP mailbox, as ispd's own user.
  [[nodiscard]] std::unique_ptr<mail::ImapMailbox> open_mailbox() const;
  // Puts mails into the inbox, in order.
  void deliver(const std::vector<std::string>& raw_mails) const;
  // How many messages a folder holds ("INBOX", "ISP/Processed", "ISP/Needs attention").
  [[nodiscard]] std::size_t count(const std::string& folder) const;
  // The Message-IDs of the mails in a folder, sorted.
  [[nodiscard]] std::vector<std::string> message_ids(const std::string& folder) const;

  CommandResult ispd(std::vector<std::string> args, const RunOptions& options = {}) const;
  // `ispd run --once`, told it is kIspdNow.
  CommandResult run_once(const RunOptions& options = {}) const;
  // `ispd list --json`, parsed.
  [[nodiscard]] nlohmann::json list() const;

 private:
  TempDir dir_;
  std::string user_;
  std::filesystem::path config_;
  std::filesystem::path database_;
  std::filesystem::path archive_dir_;
  std::filesystem::path password_file_;
  std::vector<std::pair<std::string, std::string>> extra_authorities_;
  std::map<std::string, std::string> mailbox_overrides_;
  std::map<std::string, std::string> smtp_overrides_;
  std::string schedule_ = "digest_hour = 23\nspreadsheet_hour = 23\n";
  std::string health_ = "mailbox_failing_minutes = 0\nquiet_working_days = 0\nstuck_hours = 0\ndisk_free_percent = 0\n";
  // [[list]]s as (audience, scope, TOML array of members).
  std::vector<std::tuple<std::string, std::string, std::string>> lists_;
  std::map<std::string, std::string> partners_;
  std::string nwadcs_ = "nwadcs@nwadcs.test";
};

// The Bolton example form (internal-new-notification.docx) about another provider: its own
// name, and a company number and Ofsted URN made from `serial`, so each is a new notification.
std::string example_form_about(const std::string& provider_name, int serial);

}  // namespace ispd::test
