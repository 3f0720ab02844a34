// The config is checked whole at start, every problem named with its line.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "daemon/config/config.hpp"
#include "util/host.hpp"

namespace ispd::config {
namespace {

const std::string kValid = R"(
[mailbox]
url = "imaps://outlook.office365.com/INBOX"
user = "placementsnorthwest@stockport.gov.uk"
password_file = "/etc/ispd/imap.secret"
processed_folder = "ISP/Processed"
attention_folder = "ISP/Needs attention"
poll_seconds = 60

[smtp]
url = "smtp://smtp.office365.com:587"
user = "placementsnorthwest@stockport.gov.uk"
password_file = "/etc/ispd/smtp.secret"
from = "Placements North West <placementsnorthwest@stockport.gov.uk>"

[store]
database = "/var/lib/ispd/ispd.sqlite"
archive_dir = "/var/lib/ispd/archive"

[nwadcs]
address = "placementsnorthwest@stockport.gov.uk"

[[authority]]
name = "Bolton Council"
domains = ["bolton.gov.uk"]

[[list]]
audience = "childrens_services"
scope = "north_west"
members = ["isp@bolton.gov.uk", "commissioning@manchester.gov.uk"]
)";

bool mentions(const std::vector<std::string>& messages, const std::string& text) {
  return std::any_of(messages.begin(), messages.end(),
                     [&](const std::string& m) { return m.find(text) != std::string::npos; });
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the config: " + from);
  return text.replace(at, from.size(), to);
}

TEST(Config, TheDesignExampleIsValid) {
  const auto loaded = parse(kValid, "ispd.toml");
  EXPECT_TRUE(loaded.ok()) << loaded.errors.front();
  // Its NWADCS address is the ISP mailbox itself: valid, but worth a word.
  ASSERT_EQ(loaded.warnings.size(), 1U);
  EXPECT_TRUE(mentions(loaded.warnings, "[nwadcs] address is the ISP mailbox itself")) << loaded.warnings.front();
  EXPECT_TRUE(
      parse(replaced(kValid, "address = \"placementsnorthwest@", "address = \"nwadcs.staff@"), "c").warnings.empty());
  EXPECT_EQ(loaded.config.mailbox.poll_seconds, 60);
  EXPECT_EQ(loaded.config.authorities.at(0).domains.at(0), "bolton.gov.uk");
  EXPECT_EQ(loaded.config.lists.at(0).members.size(), 2u);
}

TEST(Config, UnknownKeyIsAnErrorNamingFileLineAndKey) {
  const auto loaded = parse(replaced(kValid, "poll_seconds = 60", "pol_seconds = 60"), "ispd.toml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.errors.at(0), "ispd.toml:8: unknown key \"pol_seconds\" in [mailbox]");
}

TEST(Config, EveryProblemIsReportedNotJustTheFirst) {
  std::string text = replaced(kValid, "poll_seconds = 60", "poll_seconds = 1");
  text = replaced(text, "scope = \"north_west\"", "scope = \"north_east\"");
  text = replaced(text, "audience = \"childrens_services\"", "audience = \"parents\"");
  const auto loaded = parse(text, "ispd.toml");
  EXPECT_TRUE(mentions(loaded.errors, "\"poll_seconds\" in [mailbox] must be a whole number from 5"));
  EXPECT_TRUE(mentions(loaded.errors, "unknown scope \"north_east\""));
  EXPECT_TRUE(mentions(loaded.errors, "unknown audience \"parents\""));
}

TEST(Config, PlainImapIsRefusedForARemoteServerButAllowedOnLoopback) {
  auto loaded =
      parse(replaced(kValid, "imaps://outlook.office365.com/INBOX", "imap://outlook.office365.com/INBOX"), "c");
  EXPECT_TRUE(mentions(loaded.errors, "must use imaps://")) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  loaded = parse(replaced(kValid, "imaps://outlook.office365.com/INBOX", "imap://127.0.0.1:14143/INBOX"), "c");
  EXPECT_TRUE(loaded.ok());
}

TEST(Config, PasswordsAreNeverInTheConfigOnlyWhereToReadThem) {
  const auto loaded =
      parse(replaced(kValid, "password_file = \"/etc/ispd/imap.secret\"", "password = \"hunter2\""), "c");
  EXPECT_TRUE(mentions(loaded.errors, "unknown key \"password\""));
  EXPECT_TRUE(mentions(loaded.errors, "[mailbox] needs \"password_file\" or \"password_env\""));
  for (const auto& e : loaded.errors) EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
}

TEST(Config, MissingSectionsAndKeysAreNamed) {
  const auto loaded = parse("[mailbox]\nurl = \"imaps://x.example/INBOX\"\n", "c");
  EXPECT_TRUE(mentions(loaded.errors, "[mailbox] needs \"user\""));
  EXPECT_TRUE(mentions(loaded.errors, "the [smtp] section is missing"));
  EXPECT_TRUE(mentions(loaded.errors, "no [[authority]] is configured"));
}

TEST(Config, BadTomlIsAnErrorWithItsLine) {
  const auto loaded = parse("[mailbox\nurl = 1\n", "ispd.toml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.errors.at(0).rfind("ispd.toml:1: ", 0), 0u) << loaded.errors.at(0);
}

TEST(Config, AnAuthorityWithNoContactOnAnyListIsAWarning) {
  const auto loaded = parse(kValid + "\n[[authority]]\nname = \"Wigan Council\"\ndomains = [\"wigan.gov.uk\"]\n", "c");
  EXPECT_TRUE(loaded.ok());
  EXPECT_TRUE(mentions(loaded.warnings, "Wigan Council has no contact on any [[list]]"));
}

TEST(Config, LoopbackHostsAreRecognised) {
  EXPECT_TRUE(is_loopback_host(url_host("imap://127.0.0.1:14143/INBOX")));
  EXPECT_TRUE(is_loopback_host(url_host("imap://user@localhost/INBOX")));
  EXPECT_TRUE(is_loopback_host(url_host("smtp://[::1]:25")));
  EXPECT_FALSE(is_loopback_host(url_host("imap://127.example.com/INBOX")));
  EXPECT_FALSE(is_loopback_host(url_host("imaps://outlook.office365.com/INBOX")));
}

// Microsoft 365: both sections sign in with the [oauth2] client's token.
std::string with_xoauth2(const std::string& oauth2) {
  std::string text = replaced(kValid, "password_file = \"/etc/ispd/imap.secret\"", "auth = \"xoauth2\"");
  text = replaced(text, "password_file = \"/etc/ispd/smtp.secret\"", "auth = \"xoauth2\"");
  return text + "\n[oauth2]\n" + oauth2;
}

TEST(Config, Xoauth2SignsInWithTheOAuth2ClientOfTheTenant) {
  const auto loaded = parse(with_xoauth2("tenant = \"stockport.gov.uk\"\nclient_id = \"6f1c2a9e\"\n"
                                         "client_secret_file = \"/etc/ispd/oauth2.secret\"\n"),
                            "ispd.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
  ASSERT_TRUE(loaded.config.oauth2.has_value());
  EXPECT_EQ(loaded.config.mailbox.auth, "xoauth2");
  EXPECT_EQ(loaded.config.smtp.auth, "xoauth2");
  EXPECT_EQ(loaded.config.oauth2->token_url, "https://login.microsoftonline.com/stockport.gov.uk/oauth2/v2.0/token");
  EXPECT_EQ(loaded.config.oauth2->scope, "https://outlook.office365.com/.default");
  EXPECT_EQ(loaded.config.oauth2->timeout_seconds, 30);
}

TEST(Config, Xoauth2NeedsAnOAuth2Section) {
  const auto loaded = parse(replaced(kValid, "password_file = \"/etc/ispd/imap.secret\"", "auth = \"xoauth2\""), "c");
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(mentions(loaded.errors,
                       "c:5: [mailbox] signs in with an OAuth2 token (auth = \"xoauth2\"), which needs an "
                       "[oauth2] section"))
      << loaded.errors.front();
}

TEST(Config, OAuth2SectionIsCheckedKeyByKey) {
  const auto loaded = parse(with_xoauth2("token_url = \"http://login.example.org/token\"\nclient_secret_env = \"S\"\n"
                                         "client_secret_file = \"/s\"\nscope = \"\"\ntenant_id = \"x\"\n"),
                            "c");
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(mentions(loaded.errors, "unknown key \"tenant_id\" in [oauth2]"));
  EXPECT_TRUE(mentions(loaded.errors, "[oauth2] needs \"client_id\""));
  EXPECT_TRUE(mentions(loaded.errors, "must use https:// for a server that is not on this machine"));
  EXPECT_TRUE(mentions(loaded.errors, "[oauth2] has both \"client_secret_file\" and \"client_secret_env\""));
  EXPECT_TRUE(mentions(loaded.errors, "\"scope\" in [oauth2] is empty"));
  const auto neither = parse(with_xoauth2("client_id = \"a\"\n"), "c");
  EXPECT_TRUE(mentions(neither.errors, "[oauth2] needs \"tenant\""));
  EXPECT_TRUE(mentions(neither.errors, "[oauth2] needs \"client_secret_file\" or \"client_secret_env\""));
  const auto loopback = parse(with_xoauth2("token_url = \"http://127.0.0.1:8080/token\"\nclient_id = \"a\"\n"
                                           "client_secret_env = \"S\"\n"),
                              "c");
  EXPECT_TRUE(loopback.ok()) << loopback.errors.front();
}

TEST(Config, Xoauth2HasNoPasswordAndSmtpNeedsItsUser) {
  auto text = with_xoauth2("tenant = \"t\"\nclient_id = \"a\"\nclient_secret_env = \"S\"\n");
  const auto with_password = parse(replaced(text, "[smtp]\n", "[smtp]\npassword_env = \"P\"\n"), "c");
  EXPECT_TRUE(mentions(with_password.errors,
                       "[smtp] signs in with an OAuth2 token (auth = \"xoauth2\"), so it has no "
                       "password; remove \"password_env\""));
  const auto without_user =
      parse(replaced(text, "user = \"placementsnorthwest@stockport.gov.uk\"\nauth = \"xoauth2\"\nfrom",
                     "auth = \"xoauth2\"\nfrom"),
            "c");
  EXPECT_TRUE(mentions(without_user.errors, "so it needs \"user\", the mailbox that sends"));
}

TEST(Config, AnUnusedOAuth2SectionIsAWarning) {
  const auto loaded = parse(kValid + "\n[oauth2]\ntenant = \"t\"\nclient_id = \"a\"\nclient_secret_env = \"S\"\n", "c");
  EXPECT_TRUE(loaded.ok()) << loaded.errors.front();
  EXPECT_TRUE(mentions(loaded.warnings, "[oauth2] is not used"));
}

TEST(Config, ScheduleAndHealthHaveDefaultsAndAreChecked) {
  const auto defaults = parse(kValid, "c").config;
  EXPECT_EQ(defaults.schedule.digest_hour, 7);
  EXPECT_EQ(defaults.schedule.spreadsheet_hour, 7);
  EXPECT_TRUE(defaults.schedule.extra_holidays.empty());
  EXPECT_EQ(defaults.health.mailbox_failing_minutes, 30);
  EXPECT_EQ(defaults.health.quiet_working_days, 3);
  EXPECT_EQ(defaults.health.stuck_hours, 24);
  EXPECT_EQ(defaults.health.disk_free_percent, 10);
  EXPECT_EQ(defaults.health.alert_every_hours, 24);

  const auto set = parse(kValid +
                             "\n[schedule]\ndigest_hour = 8\nspreadsheet_hour = 10\n"
                             "extra_holidays = [\"2027-05-03\"]\n[health]\nquiet_working_days = 0\n"
                             "disk_free_percent = 5\n",
                         "c");
  ASSERT_TRUE(set.ok()) << set.errors.front();
  EXPECT_EQ(set.config.schedule.digest_hour, 8);
  EXPECT_EQ(set.config.schedule.spreadsheet_hour, 10);
  EXPECT_EQ(set.config.schedule.extra_holidays, (std::vector<Date>{std::chrono::year{2027} / 5 / 3}));
  EXPECT_EQ(set.config.health.quiet_working_days, 0);
  EXPECT_EQ(set.config.health.disk_free_percent, 5);

  const auto bad = parse(kValid +
                             "\n[schedule]\ndigest_hour = 24\nextra_holidays = [\"3 May 2027\"]\n"
                             "[health]\nalert_every_hours = 0\nstuck = 1\n",
                         "c");
  EXPECT_TRUE(mentions(bad.errors, "\"digest_hour\" in [schedule] must be a whole number from 0 to 23"));
  EXPECT_TRUE(mentions(bad.errors, "\"3 May 2027\" in [schedule] extra_holidays is not a date such as 2027-05-03"));
  EXPECT_TRUE(mentions(bad.errors, "\"alert_every_hours\" in [health] must be a whole number from 1 to 720"));
  EXPECT_TRUE(mentions(bad.errors, "unknown key \"stuck\" in [health]"));
}

}  // namespace
}  // namespace ispd::config
