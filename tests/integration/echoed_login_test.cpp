// `ispd run --once` against an IMAP server that refuses every login and echoes in its NO what it was sent (the
// password, or its SASL PLAIN or LOGIN base64): nothing ispd prints, stores or mails holds the secret in any form,
// though the refusal itself is printed, stored and, once the mailbox has failed for half an hour, mailed to NWADCS.
// ispd logs to stderr only: there is no log file to read.

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "mail/mime.hpp"
#include "tests/integration/fake_imap_server.hpp"
#include "tests/integration/mail_parts.hpp"
#include "tests/integration/site.hpp"
#include "tests/mail/login_secrets.hpp"

namespace ispd::test {
namespace {

namespace fs = std::filesystem;

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Every value of every row of every table, as its bytes, each with where it is.
std::vector<std::pair<std::string, std::string>> every_stored_value(const fs::path& database) {
  std::vector<std::pair<std::string, std::string>> out;
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    while (rows.executeStep()) {
      for (int c = 0; c < rows.getColumnCount(); ++c) {
        out.emplace_back(table + "." + rows.getColumnName(c), rows.getColumn(c).getString());
      }
    }
  }
  return out;
}

// What each case offers and what ispd must then have sent, so that the server had it to echo.
struct Case {
  std::string name;
  std::string capabilities;
  std::string_view sent;
};

std::string name_of(const ::testing::TestParamInfo<Case>& each) { return each.param.name; }
void PrintTo(const Case& each, std::ostream* out) { *out << each.name; }

class EchoedLogin : public ::testing::TestWithParam<Case> {};

TEST_P(EchoedLogin, LeavesNoSecretInStderrTheDatabaseOrTheAlertMailed) {
  namespace login = ispd::test::login;
  const Case& c = GetParam();
  // Two runs, one connection each (a spare, should a run try again).
  FakeImapServer server("127.0.0.1", "* OK fake ready\r\n", echoing_every_login(c.capabilities), 3);
  Site site;
  site.use_own_partners();
  TempDir secrets;
  write_secret(secrets.path() / "imap.secret", std::string(login::kPassword) + "\n");
  site.set_schedule("digest_hour = 23\nspreadsheet_hour = 23\n",
                    "mailbox_failing_minutes = 30\nquiet_working_days = 0\nstuck_hours = 0\ndisk_free_percent = 0\n");
  site.write_config({{"url", "\"imap://127.0.0.1:" + std::to_string(server.port()) + "/INBOX\""},
                     {"user", "\"" + std::string(login::kUser) + "\""},
                     {"password_file", "\"" + (secrets.path() / "imap.secret").string() + "\""}});

  // Everything ispd wrote, each piece with where it was found.
  std::vector<std::pair<std::string, std::string>> written;
  for (const char* now : {"ISPD_NOW=2026-02-13T10:00:00Z", "ISPD_NOW=2026-02-13T10:31:00Z"}) {
    RunOptions options;
    options.env = {now};
    const auto ran = site.run_once(options);
    EXPECT_EQ(ran.exit_code, 3) << ran.err;
    EXPECT_TRUE(has(ran.err, "you sent")) << "the refusal is not printed:\n" << ran.err;
    written.emplace_back(std::string("stderr at ") + now, ran.err);
    written.emplace_back(std::string("stdout at ") + now, ran.out);
  }
  MailStack::get().wait_until_delivered();
  const auto received = server.received();
  EXPECT_TRUE(std::any_of(received.begin(), received.end(), [&](const std::string& l) { return has(l, c.sent); }))
      << "ispd never sent " << c.sent << ", so the server had nothing to echo";

  for (auto& value : every_stored_value(site.database())) written.push_back(std::move(value));
  for (const char* suffix : {"", "-wal"}) {
    const fs::path file = site.database().string() + suffix;
    if (fs::exists(file)) written.emplace_back(file.filename().string() + " as bytes", read_file(file));
  }

  std::vector<std::string> readers = {site.nwadcs()};
  for (const char* key : {"cs1", "cs2", "lado", "qa", "police", "adults", "adults_gm", "schools"}) {
    readers.push_back(site.partner(key));
  }
  int alerts = 0;
  for (const auto& reader : readers) {
    for (const auto& raw : MailStack::get().inbox(reader)) {
      written.emplace_back("a mail to " + reader, raw);
      const auto mail = mail::read_mail(raw);
      ASSERT_TRUE(mail) << mail.error().message;
      written.emplace_back("the subject of a mail to " + reader, mail->subject);
      for (const auto& part : text_parts(raw)) written.emplace_back("a mail to " + reader + " as read", part.text);
      if (reader == site.nwadcs() && mail->subject == "ISP mailbox alert: the mailbox cannot be used") {
        ++alerts;
        const auto text = text_of(raw, "text/plain");
        EXPECT_TRUE(has(text, "you sent")) << "the alert does not give the server's refusal:\n" << text;
        EXPECT_TRUE(has(text, "[redacted]")) << text;
      }
    }
  }
  EXPECT_EQ(alerts, 1);

  for (const auto& [where, text] : written) {
    for (const auto form : login::kEverySecretForm) EXPECT_FALSE(has(text, form)) << form << " in " << where;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryWayToSignIn, EchoedLogin,
                         ::testing::Values(Case{"LoginCommand", "", login::kPasswordQuoted},
                                           Case{"PlainWithInitialResponse", "SASL-IR AUTH=PLAIN", login::kPlain},
                                           Case{"Plain", "AUTH=PLAIN", login::kPlain},
                                           Case{"SaslLogin", "AUTH=LOGIN", login::kPasswordBase64}),
                         name_of);

}  // namespace
}  // namespace ispd::test
