#include "tests/integration/site.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "tests/support/docx_builder.hpp"

namespace ispd::test {

namespace {

// Replaces every `from` in `text` with `to`; fails if there is none.
void replace_all(std::string& text, const std::string& from, const std::string& to) {
  int replaced = 0;
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size(), ++replaced) {
    text.replace(at, from.size(), to);
  }
  if (replaced == 0) throw std::runtime_error("the example form no longer holds " + from);
}

}  // namespace

std::string example_form_about(const std::string& provider_name, int serial) {
  auto entries = read_zip(read_file(data_path("forms/internal-new-notification.docx")));
  auto& document = entries.at("word/document.xml");
  replace_all(document, "Brookvale Care Ltd", provider_name);
  replace_all(document, "10482736", std::to_string(20000000 + serial));
  replace_all(document, "SC512847", "SC" + std::to_string(700000 + serial));
  return make_zip(entries);
}

Site::Site()
    : user_(MailStack::get().unique_user("isp")),
      config_(dir_.path() / "ispd.toml"),
      database_(dir_.path() / "ispd.sqlite"),
      archive_dir_(dir_.path() / "archive"),
      password_file_(dir_.path() / "imap.secret"),
      lists_({{"childrens_services", "north_west", R"("isp@bolton.gov.uk", "commissioning@manchester.gov.uk")"},
              {"lado", "north_west", R"("lado@wigan.gov.uk")"},
              {"safeguarding_unit", "north_west", R"("qa@salford.gov.uk")"},
              {"health", "north_west", R"("qa@salford.gov.uk")"},
              {"police", "north_west", R"("police@gmp.police.uk")"},
              {"adult_services", "north_west", R"("commissioning@manchester.gov.uk")"},
              {"schools", "north_west", R"("isp@bolton.gov.uk")"}}) {
  write_secret(password_file_, MailStack::get().password + "\n");
  write_config();
}

void Site::use_own_partners() {
  const auto& stack = MailStack::get();
  // key → (stem, domain); qa is on two lists, so one copy for both proves the lists are merged.
  for (const auto& [key, domain] : std::vector<std::pair<std::string, std::string>>{{"cs1", "bolton.gov.uk"},
                                                                                    {"cs2", "manchester.gov.uk"},
                                                                                    {"cs_national", "education.gov.uk"},
                                                                                    {"lado", "wigan.gov.uk"},
                                                                                    {"qa", "salford.gov.uk"},
                                                                                    {"police", "gmp.police.uk"},
                                                                                    {"adults", "manchester.gov.uk"},
                                                                                    {"adults_gm", "gmca.gov.uk"},
                                                                                    {"schools", "bolton.gov.uk"}}) {
    partners_[key] = stack.unique_user(key, domain);
  }
  nwadcs_ = stack.unique_user("nwadcs");
  const auto q = [this](const std::string& key) { return "\"" + partners_.at(key) + "\""; };
  lists_ = {{"childrens_services", "north_west", q("cs1") + ", " + q("cs2")},
            {"childrens_services", "national", q("cs_national")},
            {"lado", "north_west", q("lado")},
            {"safeguarding_unit", "north_west", q("qa")},
            {"health", "north_west", q("qa")},
            {"police", "north_west", q("police")},
            {"adult_services", "north_west", q("adults")},
            {"adult_services", "area:Greater Manchester", q("adults_gm")},
            {"schools", "north_west", q("schools")}};
  write_config(mailbox_overrides_);
}

void Site::add_to_list(const std::string& audience, const std::string& scope, const std::string& member) {
  for (auto& [a, s, members] : lists_) {
    if (a == audience && s == scope) {
      members += ", \"" + member + "\"";
      write_config(mailbox_overrides_);
      return;
    }
  }
  lists_.emplace_back(audience, scope, "\"" + member + "\"");
  write_config(mailbox_overrides_);
}

void Site::set_smtp(const std::map<std::string, std::string>& overrides) {
  smtp_overrides_ = overrides;
  write_config(mailbox_overrides_);
}

void Site::set_schedule(const std::string& schedule, const std::string& health) {
  schedule_ = schedule;
  health_ = health;
  write_config(mailbox_overrides_);
}

void Site::set_store(const std::filesystem::path& database, const std::filesystem::path& archive_dir) {
  database_ = database;
  archive_dir_ = archive_dir;
  write_config(mailbox_overrides_);
}

void Site::write_config(const std::map<std::string, std::string>& mailbox_overrides) {
  const auto& stack = MailStack::get();
  mailbox_overrides_ = mailbox_overrides;
  std::map<std::string, std::string> mailbox = {
      {"url", "\"imap://127.0.0.1:" + std::to_string(stack.imap_port) + "/INBOX\""},
      {"user", "\"" + user_ + "\""},
      {"password_file", "\"" + password_file_.string() + "\""},
      {"timeout_seconds", "10"},
  };
  for (const auto& [key, value] : mailbox_overrides) mailbox[key] = value;
  // ispd sends as the ISP mailbox does: AUTH on the submission port, after STARTTLS checked against the stack's CA.
  std::map<std::string, std::string> smtp = {
      {"url", "\"smtp://127.0.0.1:" + std::to_string(stack.submission_port) + "\""},
      {"user", "\"" + user_ + "\""},
      {"password_file", "\"" + password_file_.string() + "\""},
      {"ca_file", "\"" + stack.ca_file + "\""},
      {"from", "\"Placements North West <" + user_ + ">\""},
      {"timeout_seconds", "10"},
  };
  for (const auto& [key, value] : smtp_overrides_) smtp[key] = value;
  std::ofstream out(config_);
  out << "[mailbox]\n";
  for (const auto& [key, value] : mailbox) {
    if (!value.empty()) out << key << " = " << value << '\n';
  }
  out << "[smtp]\n";
  for (const auto& [key, value] : smtp) {
    if (!value.empty()) out << key << " = " << value << '\n';
  }
  out << "[store]\n"
      << "database = \"" << database_.string() << "\"\n"
      << "archive_dir = \"" << archive_dir_.string() << "\"\n"
      << "[nwadcs]\n"
      << "address = \"" << nwadcs_ << "\"\n"
      << "[schedule]\n"
      << schedule_ << "[health]\n"
      << health_;
  for (const auto& [name, domain] :
       std::vector<std::pair<std::string, std::string>>{{"Bolton Council", "bolton.gov.uk"},
                                                        {"Wigan Council", "wigan.gov.uk"},
                                                        {"Salford City Council", "salford.gov.uk"},
                                                        {"Stockport Council", "stockport.gov.uk"},
                                                        {"Oldham Council", "oldham.gov.uk"},
                                                        {"Wirral Council", "wirral.gov.uk"},
                                                        {"Manchester City Council", "manchester.gov.uk"}}) {
    out << "[[authority]]\nname = \"" << name << "\"\ndomains = [\"" << domain << "\"]\n";
  }
  for (const auto& [name, domain] : extra_authorities_) {
    out << "[[authority]]\nname = \"" << name << "\"\ndomains = [\"" << domain << "\"]\n";
  }
  for (const auto& [audience, scope, members] : lists_) {
    out << "[[list]]\naudience = \"" << audience << "\"\nscope = \"" << scope << "\"\nmembers = [" << members << "]\n";
  }
  if (!out) throw std::runtime_error("cannot write " + config_.string());
}

void Site::add_authority(const std::string& name, const std::string& domain) {
  extra_authorities_.emplace_back(name, domain);
  write_config(mailbox_overrides_);
}

std::unique_ptr<mail::ImapMailbox> Site::open_mailbox() const {
  auto mailbox = mail::ImapMailbox::connect(MailStack::get().imap(user_));
  if (!mailbox) throw std::runtime_error("cannot open the test mailbox: " + mailbox.error().message);
  return std::move(mailbox).value();
}

void Site::deliver(const std::vector<std::string>& raw_mails) const {
  auto mailbox = open_mailbox();
  for (const auto& raw : raw_mails) {
    const auto added = mailbox->append("INBOX", raw);
    if (!added) throw std::runtime_error("cannot append to the test mailbox: " + added.error().message);
  }
}

std::size_t Site::count(const std::string& folder) const {
  auto mailbox = open_mailbox();
  const auto uids = mailbox->list_folder(folder);
  // A folder ispd has not made yet holds nothing.
  return uids ? uids->size() : 0;
}

std::vector<std::string> Site::message_ids(const std::string& folder) const {
  std::vector<std::string> ids;
  for (const auto& raw : MailStack::get().inbox(user_, folder)) {
    const auto at = raw.find("Message-ID: <");
    const auto end = at == std::string::npos ? at : raw.find('>', at);
    ids.push_back(at == std::string::npos || end == std::string::npos ? "" : raw.substr(at + 13, end - at - 13));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

CommandResult Site::ispd(std::vector<std::string> args, const RunOptions& options) const {
  args.emplace_back("--config");
  args.push_back(config_.string());
  RunOptions with_now = options;
  // A test that sets its own ISPD_NOW keeps it.
  const bool own_now = std::any_of(options.env.begin(), options.env.end(),
                                   [](const std::string& e) { return e.starts_with("ISPD_NOW="); });
  if (!own_now) with_now.env.emplace_back(kIspdNow);
  return run_ispd(args, with_now);
}

CommandResult Site::run_once(const RunOptions& options) const { return ispd({"run", "--once"}, options); }

nlohmann::json Site::list() const {
  const auto listed = ispd({"list", "--json"});
  if (listed.exit_code != 0) throw std::runtime_error("ispd list failed: " + listed.err);
  return nlohmann::json::parse(listed.out);
}

}  // namespace ispd::test
