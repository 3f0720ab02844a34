// NWADCS's scheduled mails through the real Postfix and Dovecot: on the first
// working day of a month the partners and NWADCS each get the month's
// spreadsheet once, with the workbook attached; NWADCS gets one digest a day;
// and when the mailbox cannot be signed in to, NWADCS is alerted, once.

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mail/mime.hpp"
#include "tests/integration/mail_parts.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

constexpr const char* kAlertsOff =
    "mailbox_failing_minutes = 0\nquiet_working_days = 0\nstuck_hours = 0\ndisk_free_percent = 0\n";

std::vector<mail::MailMessage> inbox(const std::string& user) {
  std::vector<mail::MailMessage> out;
  for (const auto& raw : MailStack::get().inbox(user)) {
    auto read = mail::read_mail(raw);
    if (!read) throw std::runtime_error("unreadable mail for " + user + ": " + read.error().message);
    out.push_back(std::move(read).value());
  }
  return out;
}

std::vector<std::string> subjects(const std::string& user) {
  std::vector<std::string> out;
  for (const auto& m : inbox(user)) out.push_back(m.subject);
  return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandResult run_at(const Site& site, const std::string& now) {
  RunOptions options;
  options.env = {"ISPD_NOW=" + now};
  auto ran = site.run_once(options);
  MailStack::get().wait_until_delivered();
  return ran;
}

TEST(ScheduledMail, TheMonthsSpreadsheetGoesToNwadcsAndThePartnersOnceAndTheDigestDaily) {
  Site site;
  site.use_own_partners();
  const std::string partner = MailStack::get().unique_user("partner", "wigan.gov.uk");
  site.add_to_list("partners", "north_west", partner);
  site.set_schedule("digest_hour = 7\nspreadsheet_hour = 7\n", kAlertsOff);
  const auto officer = MailStack::get().unique_user("officer", "bolton.gov.uk");
  site.deliver({council_mail(officer, "ISP notification", "feb-form@bolton.gov.uk",
                             read_file(data_path("forms/internal-new-notification.docx")))});

  // 13 February: the form is logged, and the first digest covers the 12th.
  const auto february = run_at(site, "2026-02-13T10:00:00Z");
  ASSERT_EQ(february.exit_code, 0) << february.err;
  ASSERT_EQ(site.list().size(), 1U);
  EXPECT_EQ(subjects(site.nwadcs()).size(), 2U);  // the log mail and the digest
  EXPECT_TRUE(subjects(partner).empty());

  // Monday 2 March, the first working day: February's sheet, and one digest for the days since.
  const auto march = run_at(site, "2026-03-02T09:00:00Z");
  ASSERT_EQ(march.exit_code, 0) << march.err;
  EXPECT_TRUE(has(march.out, "the spreadsheet for February 2026 (1 notifications) queued")) << march.out;
  const auto again = run_at(site, "2026-03-02T11:00:00Z");
  ASSERT_EQ(again.exit_code, 0) << again.err;

  const auto partner_mail = inbox(partner);
  ASSERT_EQ(partner_mail.size(), 1U);
  EXPECT_EQ(partner_mail[0].subject, "OFFICIAL-SENSITIVE: ISP spreadsheet for February 2026");
  EXPECT_EQ(partner_mail[0].auto_submitted, "auto-generated");
  ASSERT_EQ(partner_mail[0].attachments.size(), 1U);
  EXPECT_EQ(partner_mail[0].attachments[0].name, "ISP notifications 2026-02.xlsx");
  EXPECT_EQ(partner_mail[0].attachments[0].content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_TRUE(partner_mail[0].attachments[0].bytes.starts_with("PK\x03\x04"));
  // Nobody on the circulation lists gets the sheet unless they are a partner.
  EXPECT_TRUE(subjects(site.partner("cs1")).size() == 1U);  // only the circulated notification

  const auto nwadcs = subjects(site.nwadcs());
  ASSERT_EQ(nwadcs.size(), 4U);
  EXPECT_EQ(std::count(nwadcs.begin(), nwadcs.end(), "OFFICIAL-SENSITIVE: ISP spreadsheet for February 2026"), 1);
  EXPECT_EQ(std::count(nwadcs.begin(), nwadcs.end(), "OFFICIAL-SENSITIVE: ISP mailbox digest for 12 February 2026"), 1);
  EXPECT_EQ(std::count(nwadcs.begin(), nwadcs.end(),
                       "OFFICIAL-SENSITIVE: ISP mailbox digest for 13 February 2026 to 1 March 2026"),
            1);
  for (const auto& raw : MailStack::get().inbox(site.nwadcs())) {
    if (!has(raw, "13 February 2026 to 1 March 2026")) continue;
    const auto text = text_of(raw, "text/plain");
    EXPECT_TRUE(has(text, "Mails received:              1")) << text;
    EXPECT_TRUE(has(text, "Notifications logged:        1")) << text;
    EXPECT_TRUE(has(text, "Open notifications:          1")) << text;
  }
}

TEST(ScheduledMail, AMailboxThatCannotBeSignedIntoIsAlertedToNwadcsOnce) {
  Site site;
  site.use_own_partners();
  TempDir dir;
  const auto wrong = dir.path() / "wrong.secret";
  write_secret(wrong, "not-the-password\n");
  site.set_schedule("digest_hour = 23\nspreadsheet_hour = 23\n",
                    "mailbox_failing_minutes = 30\nquiet_working_days = 0\nstuck_hours = 0\ndisk_free_percent = 0\n");
  site.write_config({{"password_file", "\"" + wrong.string() + "\""}});

  const auto first = run_at(site, "2026-02-13T10:00:00Z");
  EXPECT_EQ(first.exit_code, 3) << first.err;
  EXPECT_TRUE(subjects(site.nwadcs()).empty());
  // Still failing half an hour later: NWADCS hears, over the SMTP server that still works.
  const auto later = run_at(site, "2026-02-13T10:31:00Z");
  EXPECT_EQ(later.exit_code, 3) << later.err;
  EXPECT_TRUE(has(later.out, "health alert queued to NWADCS: mailbox")) << later.out;
  run_at(site, "2026-02-13T12:00:00Z");
  const auto raw = MailStack::get().inbox(site.nwadcs());
  ASSERT_EQ(raw.size(), 1U);
  const auto alert = mail::read_mail(raw[0]);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->subject, "ISP mailbox alert: the mailbox cannot be used");
  const auto text = text_of(raw[0], "text/plain");
  EXPECT_TRUE(has(text, "Since 13 February 2026 at 10:00")) << text;
  EXPECT_TRUE(has(text, site.mailbox_user())) << text;
  EXPECT_FALSE(has(raw[0], "not-the-password"));

  // Signed in again: the mail is read, and no more alerts.
  site.write_config({});
  const auto fixed = run_at(site, "2026-02-14T12:00:00Z");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  run_at(site, "2026-02-15T12:00:00Z");
  EXPECT_EQ(MailStack::get().inbox(site.nwadcs()).size(), 1U);
}

}  // namespace
}  // namespace ispd::test
