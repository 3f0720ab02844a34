// NWADCS's scheduled mails and the health alerts, over a fixed clock: the
// monthly spreadsheet goes once on each first working day to NWADCS and the
// partners, with the workbook attached; the digest goes once a day with the
// day's counts; each alert goes when its condition holds and at most once in
// its period; and none of it twice across restarts or a clock that jumps.

#include "daemon/jobs/reports.hpp"

#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/jobs/send.hpp"
#include "mail/mime.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::reports {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::sys_days;
using store::OutboxKind;
using store::TimePoint;

constexpr const char* kNwadcs = "nwadcs@nwadcs.test";

Date ymd(int y, unsigned m, unsigned d) { return test::ymd(y, m, d); }
Date plus(Date date, int n) { return Date{sys_days{date} + days(n)}; }
TimePoint at(std::string_view text) { return store::time_from_text(text); }

config::Config test_config(const std::filesystem::path& dir) {
  config::Config c;
  c.store.database = (dir / "ispd.sqlite").string();
  c.store.archive_dir = (dir / "archive").string();
  c.mailbox.url = "imaps://mail.example.org/INBOX";
  c.mailbox.user = "isp@example.org";
  c.smtp.url = "smtps://mail.example.org";
  c.smtp.from = "ISP <isp@example.org>";
  c.nwadcs.address = kNwadcs;
  c.authorities.push_back({"Bolton Council", {"bolton.gov.uk"}});
  c.lists.push_back({"partners", "north_west", {"isp@bolton.gov.uk", "ISP@wigan.gov.uk"}});
  c.lists.push_back({"childrens_services", "north_west", {"cs@bolton.gov.uk"}});
  c.lists.push_back({"partners", "national", {"isp@wigan.gov.uk", "partners@ofsted.gov.uk"}});
  return c;
}

struct Queued {
  OutboxKind kind;
  Date on;  // the UTC day it was queued
  std::vector<std::string> to;
  std::string subject;
};

class ReportsTest : public ::testing::Test {
 protected:
  ReportsTest() : config(test_config(dir.path())) {
    std::filesystem::create_directories(dir.path() / "archive");
    open(":memory:");
  }

  void open(const std::filesystem::path& path) {
    db.reset();
    store::StoreOptions options;
    options.archive_dir = dir.path() / "archive";
    auto opened = store::Store::open(path, options);
    if (!opened) throw std::runtime_error(opened.error().message);
    db.emplace(std::move(opened).value());
  }

  ReportsReport run(TimePoint when) {
    now = when;
    return run_reports(
        *db, config, [this] { return now; }, disk, dir.path());
  }

  // Every day from `from` to `to`, at 06:30, 08:30 and 17:00 UTC.
  void walk(Date from, Date to) {
    for (Date d = from; sys_days{d} <= sys_days{to}; d = plus(d, 1)) {
      run(sys_days{d} + 6h + 30min);
      run(sys_days{d} + 8h + 30min);
      run(sys_days{d} + 17h);
    }
  }

  std::string log(const Form& form, TimePoint when) {
    return db->transaction(when, [&](store::Tx& tx) {
      return tx.log_notification({.form = form, .agency = "Bolton Council", .actor = "o@bolton.gov.uk", .detail = {}})
          .notification.reference;
    });
  }

  void receive(const std::string& id, TimePoint when) {
    const std::string raw = "Message-ID: <" + id + ">\r\nSubject: x\r\n\r\nbody\r\n";
    db->record_inbound({.bytes = raw, .message_id = id, .uidvalidity = std::nullopt, .uid = std::nullopt}, when);
  }

  // Every mail queued of `kind`, oldest first.
  std::vector<store::OutboxRow> mails(OutboxKind kind) {
    std::vector<store::OutboxRow> out;
    for (std::int64_t id = 1;; ++id) {
      auto row = db->find_outbox(id);
      if (!row) break;
      if (row->kind == kind) out.push_back(std::move(*row));
    }
    return out;
  }

  std::vector<std::string> alerts_sent() {
    std::vector<std::string> out;
    for (const auto& m : mails(OutboxKind::alert)) out.push_back(m.template_data.value("alert", ""));
    return out;
  }

  std::vector<Date> days_of(OutboxKind kind) {
    std::vector<Date> out;
    for (const auto& m : mails(kind)) out.push_back(store::utc_date(m.created_at));
    return out;
  }

  test::TempDir dir;
  config::Config config;
  std::optional<store::Store> db;
  TimePoint now;
  std::optional<DiskSpace> space = DiskSpace{60ULL << 30, 100ULL << 30};
  DiskProbe disk = [this](const std::filesystem::path&) { return space; };
};

std::vector<std::string> recipients(const store::OutboxRow& row) {
  std::vector<std::string> out;
  for (const auto& d : row.deliveries) out.push_back(d.recipient);
  return out;
}

// ---- The monthly spreadsheet ----

// The first working days of 2026-2027 from February: after the bank holidays of
// New Year (Friday 1 January 2027) and the weekends.
const std::vector<Date> kFirstWorkingDays = {ymd(2026, 3, 2),  ymd(2026, 4, 1),  ymd(2026, 5, 1), ymd(2026, 6, 1),
                                             ymd(2026, 7, 1),  ymd(2026, 8, 3),  ymd(2026, 9, 1), ymd(2026, 10, 1),
                                             ymd(2026, 11, 2), ymd(2026, 12, 1), ymd(2027, 1, 4), ymd(2027, 2, 1)};

// Installed on 3 February, ispd sends no sheet for January: NWADCS may have sent it by hand.
TEST_F(ReportsTest, TheSpreadsheetGoesOnceOnEachFirstWorkingDay) {
  log(test::complete_issue_form(), at("2026-02-03T09:00:00Z"));
  walk(ymd(2026, 2, 3), ymd(2027, 2, 10));
  EXPECT_EQ(days_of(OutboxKind::spreadsheet), kFirstWorkingDays);
}

TEST_F(ReportsTest, TheSpreadsheetGoesToNwadcsAndEveryPartnerOnceWithTheWorkbook) {
  log(test::complete_issue_form(), at("2026-02-03T09:00:00Z"));
  const auto report = run(at("2026-03-02T08:00:00Z"));
  ASSERT_TRUE(report.spreadsheet);
  EXPECT_EQ(protocol::month_text(*report.spreadsheet), "2026-02");
  EXPECT_EQ(report.spreadsheet_rows, 1U);
  const auto sent = mails(OutboxKind::spreadsheet);
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(recipients(sent[0]),
            (std::vector<std::string>{kNwadcs, "isp@bolton.gov.uk", "ISP@wigan.gov.uk", "partners@ofsted.gov.uk"}));
  EXPECT_EQ(sent[0].subject, "OFFICIAL-SENSITIVE: ISP spreadsheet for February 2026");
  ASSERT_EQ(sent[0].files.size(), 1U);
  EXPECT_EQ(sent[0].files[0].file_name, "ISP notifications 2026-02.xlsx");
  EXPECT_TRUE(sent[0].files[0].bytes.starts_with("PK\x03\x04"));
  // The mail as it goes out carries the workbook, byte for byte.
  const auto raw = outbox::build_mail(sent[0], config);
  ASSERT_TRUE(raw) << raw.error().message;
  const auto read = mail::read_mail(*raw);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->attachments.size(), 1U);
  EXPECT_EQ(read->attachments[0].name, "ISP notifications 2026-02.xlsx");
  EXPECT_EQ(read->attachments[0].bytes, sent[0].files[0].bytes);
  // The event says what was sent.
  const auto last = db->last_report("spreadsheet");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->period, "2026-02");
}

TEST_F(ReportsTest, TheSpreadsheetWaitsForItsHour) {
  config.schedule.spreadsheet_hour = 9;
  EXPECT_FALSE(run(at("2026-03-02T08:59:00Z")).spreadsheet);
  EXPECT_TRUE(run(at("2026-03-02T09:00:00Z")).spreadsheet);
}

TEST_F(ReportsTest, AnExtraHolidayMovesTheSpreadsheetToTheNextWorkingDay) {
  config.schedule.extra_holidays = {ymd(2026, 6, 1)};
  walk(ymd(2026, 5, 29), ymd(2026, 6, 5));
  EXPECT_EQ(days_of(OutboxKind::spreadsheet), (std::vector<Date>{ymd(2026, 6, 2)}));
}

TEST_F(ReportsTest, TheSpreadsheetGoesOnceWithRestartsAndAClockThatJumps) {
  const auto path = dir.path() / "ispd.sqlite";
  open(path);
  log(test::complete_issue_form(), at("2026-02-03T09:00:00Z"));
  std::mt19937 random(20261203);
  Date d = ymd(2026, 2, 3);
  while (sys_days{d} <= sys_days{ymd(2027, 2, 10)}) {
    if (random() % 4 == 0) open(path);
    run(sys_days{d} + 9h);
    // Now and then, once the first sheet has gone, the clock goes back a week for a run, and comes back.
    if (sys_days{d} > sys_days{ymd(2026, 3, 9)} && random() % 9 == 0) run(sys_days{d} - days{7} + 9h);
    d = plus(d, 1);
  }
  open(path);
  EXPECT_EQ(days_of(OutboxKind::spreadsheet), kFirstWorkingDays);
}

TEST_F(ReportsTest, AfterALongPauseOnlyTheLastMonthsSpreadsheetGoes) {
  run(at("2026-03-02T09:00:00Z"));
  // Switched off from March to July.
  run(at("2026-07-15T09:00:00Z"));
  const auto sent = mails(OutboxKind::spreadsheet);
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[1].template_data.value("month", ""), "2026-06");
}

TEST_F(ReportsTest, ASpreadsheetThatCannotBeMadeIsTriedAgainLater) {
  const auto report = run_reports(
      *db, config, [] { return at("2026-03-02T09:00:00Z"); }, disk, dir.path() / "no such folder");
  EXPECT_FALSE(report.spreadsheet);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.problems[0].find("February 2026"), std::string::npos);
  EXPECT_TRUE(run(at("2026-03-02T09:15:00Z")).spreadsheet);
}

// ---- The daily digest ----

TEST_F(ReportsTest, TheDigestGoesOnceADayFromItsHour) {
  walk(ymd(2026, 12, 1), ymd(2026, 12, 10));
  std::vector<Date> expected;
  for (Date d = ymd(2026, 12, 1); sys_days{d} <= sys_days{ymd(2026, 12, 10)}; d = plus(d, 1)) expected.push_back(d);
  EXPECT_EQ(days_of(OutboxKind::digest), expected);
  for (const auto& m : mails(OutboxKind::digest)) EXPECT_EQ(recipients(m), (std::vector<std::string>{kNwadcs}));
  // 06:30 UTC in winter is before 07:00 in England: the digest went at 08:30.
  EXPECT_EQ(mails(OutboxKind::digest).front().created_at, at("2026-12-01T08:30:00Z"));
}

TEST_F(ReportsTest, TheDigestCountsTheDayBefore) {
  receive("a@bolton.gov.uk", at("2026-12-01T23:59:59Z"));  // 1 December
  receive("b@bolton.gov.uk", at("2026-12-02T09:00:00Z"));
  receive("c@bolton.gov.uk", at("2026-12-02T10:00:00Z"));
  log(test::complete_issue_form(), at("2026-12-02T10:00:00Z"));
  receive("d@bolton.gov.uk", at("2026-12-03T06:00:00Z"));  // today, for tomorrow's digest
  const auto report = run(at("2026-12-03T08:00:00Z"));
  ASSERT_TRUE(report.digest);
  const auto digests = mails(OutboxKind::digest);
  ASSERT_EQ(digests.size(), 1U);
  const auto& data = digests[0].template_data;
  EXPECT_EQ(data["period"]["from"], "2026-12-02");
  EXPECT_EQ(data["period"]["last"], "2026-12-02");
  EXPECT_EQ(data["one_day"], true);
  EXPECT_EQ(data["counts"]["received"], 2);
  EXPECT_EQ(data["counts"]["logged"], 1);
  EXPECT_EQ(data["counts"]["open"], 1);
  EXPECT_EQ(digests[0].subject, "OFFICIAL-SENSITIVE: ISP mailbox digest for 2 December 2026");
}

TEST_F(ReportsTest, TheDigestDaysAreUkDays) {
  // 23:30 UTC on 1 July is 00:30 on 2 July in England.
  receive("late@bolton.gov.uk", at("2026-07-01T23:30:00Z"));
  run(at("2026-07-03T08:00:00Z"));
  const auto digests = mails(OutboxKind::digest);
  ASSERT_EQ(digests.size(), 1U);
  EXPECT_EQ(digests[0].template_data["period"]["from"], "2026-07-02");
  EXPECT_EQ(digests[0].template_data["counts"]["received"], 1);
}

TEST_F(ReportsTest, AfterAPauseOneDigestCoversTheDaysMissed) {
  run(at("2026-12-01T09:00:00Z"));
  receive("a@bolton.gov.uk", at("2026-12-02T09:00:00Z"));
  receive("b@bolton.gov.uk", at("2026-12-04T09:00:00Z"));
  run(at("2026-12-07T09:00:00Z"));
  const auto digests = mails(OutboxKind::digest);
  ASSERT_EQ(digests.size(), 2U);
  const auto& data = digests[1].template_data;
  EXPECT_EQ(data["period"]["from"], "2026-12-01");
  EXPECT_EQ(data["period"]["last"], "2026-12-06");
  EXPECT_EQ(data["one_day"], false);
  EXPECT_EQ(data["counts"]["received"], 2);
  EXPECT_EQ(digests[1].subject, "OFFICIAL-SENSITIVE: ISP mailbox digest for 1 December 2026 to 6 December 2026");
}

TEST_F(ReportsTest, TheDigestListsWhatIsOverdueWaitingAndUndelivered) {
  auto form = test::complete_issue_form();
  form.issuing_agency.review_date = ymd(2026, 11, 20);
  const auto ref = log(form, at("2026-10-01T09:00:00Z"));
  receive("odd@bolton.gov.uk", at("2026-12-02T09:00:00Z"));
  const auto inbound = db->find_inbound_by_message_id("odd@bolton.gov.uk").at(0);
  db->intake(inbound.id, at("2026-12-02T09:00:00Z"), [](store::IntakeTx& tx) {
    tx.settle(store::InboundState::attention, "the sender's domain is not an authority");
  });
  const auto id = db->transaction(at("2026-12-02T09:00:00Z"), [&](store::Tx& tx) {
    const auto e = tx.append_event({.kind = store::EventKind::logged, .reference = std::nullopt, .actor = "x"});
    store::OutboxMail m;
    m.kind = OutboxKind::circulation;
    m.recipients = {"gone@wigan.gov.uk"};
    m.subject = "OFFICIAL [" + ref + "] circulation";
    return tx.queue_mail(e, m);
  });
  const auto row = db->find_outbox(id);
  db->transaction(at("2026-12-02T10:00:00Z"), [&](store::Tx& tx) {
    tx.append_event(
        {.kind = store::EventKind::mail_failed,
         .reference = ref,
         .actor = "ispd",
         .detail = {
             {"message_id", row->message_id}, {"recipients", {"gone@wigan.gov.uk"}}, {"reply", "550 no such user"}}});
  });
  run(at("2026-12-03T08:00:00Z"));
  const auto digests = mails(OutboxKind::digest);
  ASSERT_EQ(digests.size(), 1U);
  const auto& data = digests[0].template_data;
  EXPECT_EQ(data["counts"]["overdue"], 1);
  EXPECT_EQ(data["counts"]["waiting"], 1);
  EXPECT_EQ(data["counts"]["failures"], 1);
  EXPECT_EQ(data["counts"]["circulated"], 1);
  ASSERT_EQ(data["overdue"].size(), 1U);
  EXPECT_EQ(data["overdue"][0]["reference"], ref);
  EXPECT_EQ(data["overdue"][0]["review_date"], "2026-11-20");
  ASSERT_EQ(data["waiting"].size(), 1U);
  EXPECT_EQ(data["waiting"][0]["message_id"], "odd@bolton.gov.uk");
  EXPECT_EQ(data["waiting"][0]["received"], "2 December 2026 at 09:00");
  ASSERT_EQ(data["failed_mails"].size(), 1U);
  EXPECT_EQ(data["failed_mails"][0]["recipients"], "gone@wigan.gov.uk");
  EXPECT_EQ(data["failed_mails"][0]["reply"], "550 no such user");
  EXPECT_EQ(data["failed_mails"][0]["subject"], "OFFICIAL [" + ref + "] circulation");
  // And it renders.
  EXPECT_TRUE(outbox::build_mail(digests[0], config));
}

// ---- Health alerts ----

TEST_F(ReportsTest, AMailboxThatCannotBeUsedIsAlertedAfterItsTimeAndAtMostDaily) {
  note_mailbox(*db, at("2026-12-03T09:00:00Z"), "Login denied");
  note_mailbox(*db, at("2026-12-03T09:20:00Z"), "Login denied");
  EXPECT_TRUE(run(at("2026-12-03T09:20:00Z")).alerts.empty());
  EXPECT_EQ(run(at("2026-12-03T09:30:00Z")).alerts, (std::vector<std::string>{"mailbox"}));
  EXPECT_TRUE(run(at("2026-12-03T15:00:00Z")).alerts.empty());
  EXPECT_EQ(run(at("2026-12-04T09:30:00Z")).alerts, (std::vector<std::string>{"mailbox"}));
  const auto sent = mails(OutboxKind::alert);
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(recipients(sent[0]), (std::vector<std::string>{kNwadcs}));
  EXPECT_EQ(sent[0].subject, "ISP mailbox alert: the mailbox cannot be used");
  const std::string reason = sent[0].template_data.value("reason", "");
  EXPECT_NE(reason.find("3 December 2026 at 09:00"), std::string::npos) << reason;
  EXPECT_NE(reason.find("imaps://mail.example.org/INBOX"), std::string::npos);
  EXPECT_NE(sent[0].template_data["alert_lines"][0].get<std::string>().find("Login denied"), std::string::npos);
  // It works again: no more alerts, and a new failure counts from its own start.
  note_mailbox(*db, at("2026-12-04T10:00:00Z"), std::nullopt);
  EXPECT_TRUE(run(at("2026-12-05T10:00:00Z")).alerts.empty());
  note_mailbox(*db, at("2026-12-05T10:00:00Z"), "timed out");
  EXPECT_TRUE(run(at("2026-12-05T10:15:00Z")).alerts.empty());
  EXPECT_EQ(run(at("2026-12-05T10:30:00Z")).alerts, (std::vector<std::string>{"mailbox"}));
}

TEST_F(ReportsTest, NoMailForSomeWorkingDaysIsAlerted) {
  receive("friday@bolton.gov.uk", at("2026-12-04T15:00:00Z"));  // Friday
  walk(ymd(2026, 12, 4), ymd(2026, 12, 9));                     // Monday to Wednesday pass with nothing
  EXPECT_TRUE(alerts_sent().empty());
  walk(ymd(2026, 12, 10), ymd(2026, 12, 10));
  EXPECT_EQ(alerts_sent(), (std::vector<std::string>{"quiet"}));
  EXPECT_EQ(mails(OutboxKind::alert)[0].subject, "ISP mailbox alert: no mail for 3 working days");
  receive("at-last@bolton.gov.uk", at("2026-12-11T09:00:00Z"));
  walk(ymd(2026, 12, 11), ymd(2026, 12, 15));
  EXPECT_EQ(alerts_sent().size(), 1U);
}

TEST_F(ReportsTest, AMailboxThatNeverHadMailIsNotCalledQuiet) {
  walk(ymd(2026, 12, 1), ymd(2026, 12, 20));
  EXPECT_TRUE(alerts_sent().empty());
}

TEST_F(ReportsTest, MailStuckInTheOutboxIsAlerted) {
  const auto queue = [&](const char* when) {
    return db->transaction(at(when), [&](store::Tx& tx) {
      const auto e = tx.append_event({.kind = store::EventKind::logged, .reference = std::nullopt, .actor = "x"});
      store::OutboxMail m;
      m.kind = OutboxKind::log;
      m.recipients = {kNwadcs};
      m.subject = "a log mail";
      return tx.queue_mail(e, m);
    });
  };
  const auto id = queue("2026-12-02T08:00:00Z");
  db->transaction(at("2026-12-02T08:01:00Z"), [&](store::Tx& tx) {
    tx.begin_attempt(id);
    tx.mark_failed(id, "the SMTP session failed: could not connect");
  });
  EXPECT_TRUE(run(at("2026-12-03T07:59:00Z")).alerts.empty());
  EXPECT_EQ(run(at("2026-12-03T08:01:00Z")).alerts, (std::vector<std::string>{"outbox"}));
  const auto sent = mails(OutboxKind::alert);
  ASSERT_EQ(sent.size(), 1U);
  const std::string line = sent[0].template_data["alert_lines"][0];
  EXPECT_NE(line.find("\"a log mail\""), std::string::npos) << line;
  EXPECT_NE(line.find("could not connect"), std::string::npos) << line;
  EXPECT_TRUE(outbox::build_mail(sent[0], config));
}

TEST_F(ReportsTest, ANearlyFullDiskIsAlerted) {
  space = DiskSpace{5ULL << 30, 100ULL << 30};
  EXPECT_EQ(run(at("2026-12-03T09:00:00Z")).alerts, (std::vector<std::string>{"disk"}));
  const auto lines = mails(OutboxKind::alert)[0].template_data["alert_lines"];
  ASSERT_EQ(lines.size(), 2U);  // the database's folder and the archive
  EXPECT_NE(lines[0].get<std::string>().find("5120 MiB free of 102400 MiB"), std::string::npos);
  space.reset();  // a disk that cannot be read is not called full
  EXPECT_TRUE(run(at("2026-12-05T09:00:00Z")).alerts.empty());
}

TEST_F(ReportsTest, AnAlertSetToZeroNeverGoes) {
  config.health = {.mailbox_failing_minutes = 0,
                   .quiet_working_days = 0,
                   .stuck_hours = 0,
                   .disk_free_percent = 0,
                   .alert_every_hours = 24};
  space = DiskSpace{0, 100ULL << 30};
  note_mailbox(*db, at("2026-11-01T09:00:00Z"), "Login denied");
  receive("old@bolton.gov.uk", at("2026-11-01T09:00:00Z"));
  EXPECT_TRUE(run(at("2026-12-03T09:00:00Z")).alerts.empty());
}

TEST_F(ReportsTest, EveryScheduledMailRenders) {
  log(test::complete_issue_form(), at("2026-02-03T09:00:00Z"));
  space = DiskSpace{1ULL << 30, 100ULL << 30};
  note_mailbox(*db, at("2026-02-28T09:00:00Z"), "Login denied");
  run(at("2026-03-02T09:00:00Z"));
  for (const auto kind : {OutboxKind::spreadsheet, OutboxKind::digest, OutboxKind::alert}) {
    for (const auto& m : mails(kind)) {
      const auto raw = outbox::build_mail(m, config);
      EXPECT_TRUE(raw) << store::to_string(kind) << ": " << (raw ? "" : raw.error().message);
    }
  }
  EXPECT_EQ(mails(OutboxKind::alert).size(), 2U);
}

}  // namespace
}  // namespace ispd::reports
