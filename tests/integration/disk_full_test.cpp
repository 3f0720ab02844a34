// ispd's own disk full, against the real Dovecot and Postfix: the archive, then
// the database, on a small tmpfs that the forms fill. A full disk is a
// temporary failure of ispd, not of the mail: every run exits 3, the forms stay
// in the inbox, none goes to a person however often ispd tries, NWADCS is told
// once, and once there is room again every form is logged exactly once.

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mail/mime.hpp"
#include "store/store.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/test_data.hpp"
#include "tests/support/tmpfs.hpp"

namespace ispd::test {
namespace {

constexpr const char* kAlertSubject = "ISP mailbox alert: ispd cannot write to its storage";

std::string provider(int i) { return "Full Disk Provider " + std::to_string(i) + " Ltd"; }

void deliver_forms(const Site& site, int count) {
  std::vector<std::string> mails;
  for (int i = 0; i < count; ++i) {
    mails.push_back(council_mail("\"Team Manager\" <commissioning.qa@bolton.gov.uk>",
                                 "ISP notification - " + provider(i), "full-" + std::to_string(i) + "@bolton.gov.uk",
                                 example_form_about(provider(i), i)));
  }
  site.deliver(mails);
}

// The storage alerts NWADCS holds.
std::vector<mail::MailMessage> storage_alerts(const Site& site) {
  MailStack::get().wait_until_delivered();
  std::vector<mail::MailMessage> out;
  for (const auto& raw : MailStack::get().inbox(site.nwadcs())) {
    auto read = mail::read_mail(raw);
    if (read && read->subject == kAlertSubject) out.push_back(std::move(read).value());
  }
  return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs while the disk is full: exit 3 naming the cause, nothing filed for a person, nothing more logged.
void run_while_full(const Site& site, int forms, std::size_t logged_before, const std::string& run) {
  SCOPED_TRACE(run);
  const auto ran = site.run_once();
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_TRUE(has(ran.err, "No space left on device") || has(ran.err, "database or disk is full")) << ran.err;
  EXPECT_TRUE(has(ran.err, "the forms stay in the inbox")) << ran.err;
  EXPECT_EQ(site.count("ISP/Needs attention"), 0U);
  EXPECT_EQ(site.count("INBOX") + site.count("ISP/Processed"), static_cast<std::size_t>(forms));
  EXPECT_GE(site.count("INBOX"), 1U);
  EXPECT_EQ(site.list().size(), logged_before);
}

// Every form logged exactly once, filed in Processed, none for a person.
void expect_each_logged_once(const Site& site, int forms) {
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.count("ISP/Processed"), static_cast<std::size_t>(forms));
  EXPECT_EQ(site.count("ISP/Needs attention"), 0U);
  const auto listed = site.list();
  ASSERT_EQ(listed.size(), static_cast<std::size_t>(forms));
  std::set<std::string> providers;
  for (const auto& n : listed) providers.insert(n["provider_name"].get<std::string>());
  EXPECT_EQ(providers.size(), static_cast<std::size_t>(forms));
  auto db = store::Store::open(site.database());
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db.value().inbound_in_state(store::InboundState::processed).size(), static_cast<std::size_t>(forms));
  EXPECT_TRUE(db.value().inbound_in_state(store::InboundState::attention).empty());
  for (const auto& n : listed) {
    const auto history = db.value().show(n["reference"].get<std::string>());
    ASSERT_TRUE(history);
    int logged = 0;
    for (const auto& e : history->events) logged += e.kind == store::EventKind::logged ? 1 : 0;
    EXPECT_EQ(logged, 1) << n["reference"];
  }
}

TEST(DiskFull, FullArchiveKeepsTheFormsInTheInboxAndTellsNwadcsOnceUntilThereIsRoom) {
  Tmpfs disk(std::size_t{256} * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.why();
  Site site;
  site.use_own_partners();
  site.set_store(site.database(), disk.path() / "archive");
  constexpr int kForms = 8;
  deliver_forms(site, kForms);
  // Room for two or three filed forms: the forms fill the rest.
  ASSERT_TRUE(disk.fill(std::size_t{48} * 1024));

  const auto first = site.run_once();
  ASSERT_EQ(first.exit_code, 3) << first.out << first.err;
  EXPECT_TRUE(has(first.err, (disk.path() / "archive").string())) << first.err;
  EXPECT_TRUE(has(first.err, "No space left on device")) << first.err;
  const std::size_t logged = site.list().size();
  EXPECT_GE(logged, 1U) << "the archive should have filled during the run";
  EXPECT_EQ(site.count("ISP/Processed"), logged);
  EXPECT_EQ(site.count("INBOX"), kForms - logged);
  EXPECT_EQ(site.count("ISP/Needs attention"), 0U);
  const auto alerts = storage_alerts(site);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_TRUE(has(alerts[0].text, (disk.path() / "archive").string())) << alerts[0].text;
  EXPECT_TRUE(has(alerts[0].text, "No space left on device")) << alerts[0].text;
  EXPECT_TRUE(has(alerts[0].text, "the forms stay in the inbox")) << alerts[0].text;

  // More runs than the attempts a mail that crashes ispd is allowed: still nothing for a person, no more alerts.
  for (int run = 2; run <= 5; ++run) run_while_full(site, kForms, logged, "run " + std::to_string(run));
  EXPECT_EQ(storage_alerts(site).size(), 1U);

  ASSERT_TRUE(disk.resize(16 << 20));
  const auto fixed = site.run_once();
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  expect_each_logged_once(site, kForms);
  EXPECT_EQ(storage_alerts(site).size(), 1U);
}

TEST(DiskFull, FullDatabaseDiskExitsThreeAndTellsNwadcsDirectlyOnceUntilThereIsRoom) {
  Tmpfs disk(std::size_t{1024} * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.why();
  Site site;
  site.use_own_partners();
  const auto archive = site.database().parent_path() / "archive";
  site.set_store(disk.path() / "ispd.sqlite", archive);
  constexpr int kForms = 40;
  deliver_forms(site, kForms);

  // Forty stored mails and what follows from them are more than the disk holds.
  const auto first = site.run_once();
  ASSERT_EQ(first.exit_code, 3) << first.out << first.err;
  EXPECT_TRUE(has(first.err, (disk.path() / "ispd.sqlite").string())) << first.err;
  EXPECT_TRUE(has(first.err, "database or disk is full (No space left on device)")) << first.err;
  EXPECT_TRUE(has(first.out, "sent to NWADCS directly")) << first.out;
  EXPECT_EQ(site.count("ISP/Needs attention"), 0U);
  EXPECT_GE(site.count("INBOX"), 1U);
  const auto alerts = storage_alerts(site);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_TRUE(has(alerts[0].text, (disk.path() / "ispd.sqlite").string())) << alerts[0].text;
  EXPECT_TRUE(has(alerts[0].text, "database or disk is full (No space left on device)")) << alerts[0].text;
  EXPECT_TRUE(has(alerts[0].text, "the forms stay in the inbox")) << alerts[0].text;
  const std::size_t logged = site.list().size();

  for (int run = 2; run <= 5; ++run) run_while_full(site, kForms, logged, "run " + std::to_string(run));
  EXPECT_EQ(storage_alerts(site).size(), 1U);

  ASSERT_TRUE(disk.resize(64 << 20));
  const auto fixed = site.run_once();
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  expect_each_logged_once(site, kForms);
  EXPECT_EQ(storage_alerts(site).size(), 1U);
}

}  // namespace
}  // namespace ispd::test
