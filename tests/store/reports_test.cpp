// Scheduled mails and alerts: each (kind, period) recorded once with the event
// that decided it; the digest's counts over a window; the files ispd makes,
// kept byte for byte with their mail; and what is failing, since when.

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <string>

#include "store/store.hpp"
#include "store/timestamps.hpp"

namespace ispd::store {
namespace {

using std::chrono::year;

TimePoint at(std::string_view text) { return time_from_text(text); }

Store open() {
  auto store = Store::open(":memory:");
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

EventId report_event(Tx& tx) {
  return tx.append_event({.kind = EventKind::report, .reference = std::nullopt, .actor = "ispd", .detail = {}});
}

TEST(StoreReports, TheSchemaIsAtVersionFive) { EXPECT_EQ(open().schema_version(), 5); }

TEST(StoreReports, RecordsAReportOnceForItsPeriod) {
  auto store = open();
  EXPECT_FALSE(store.last_report("spreadsheet"));
  store.transaction(at("2026-12-01T08:00:00Z"),
                    [](Tx& tx) { tx.record_report(report_event(tx), "spreadsheet", "2026-11"); });
  EXPECT_THROW(store.transaction(at("2026-12-01T08:15:00Z"),
                                 [](Tx& tx) { tx.record_report(report_event(tx), "spreadsheet", "2026-11"); }),
               SQLite::Exception);
  store.transaction(at("2027-01-04T08:00:00Z"),
                    [](Tx& tx) { tx.record_report(report_event(tx), "spreadsheet", "2026-12"); });
  const auto last = store.last_report("spreadsheet");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->period, "2026-12");
  EXPECT_EQ(last->at, at("2027-01-04T08:00:00Z"));
  EXPECT_FALSE(store.last_report("digest"));
}

TEST(StoreReports, AReportNeedsTheEventOfItsOwnTransaction) {
  auto store = open();
  std::optional<EventId> earlier;
  store.transaction(at("2026-12-01T08:00:00Z"), [&](Tx& tx) { earlier = report_event(tx); });
  EXPECT_THROW(store.transaction(at("2026-12-01T08:00:00Z"),
                                 [&](Tx& tx) { tx.record_report(*earlier, "digest", "2026-12-01"); }),
               std::logic_error);
  EXPECT_FALSE(store.last_report("digest"));
}

TEST(StoreReports, ARecordedReportNeverChanges) {
  auto dir = std::filesystem::temp_directory_path() / ("ispd-reports-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "ispd.sqlite";
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store);
    store.value().transaction(at("2026-12-01T08:00:00Z"),
                              [](Tx& tx) { tx.record_report(report_event(tx), "digest", "2026-12-01"); });
  }
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(db.exec("UPDATE reports SET period = '2026-12-02'"), SQLite::Exception);
  EXPECT_THROW(db.exec("DELETE FROM reports"), SQLite::Exception);
  std::filesystem::remove_all(dir);
}

TEST(StoreReports, AMadeFileGoesWithItsMailByteForByte) {
  auto store = open();
  std::string bytes = "PK\x03\x04";
  bytes += std::string("\0\x01\xFF\r\n", 5);
  bytes += std::string(1000, 'x');
  const auto id = store.transaction(at("2026-12-01T08:00:00Z"), [&](Tx& tx) {
    OutboxMail mail;
    mail.kind = OutboxKind::spreadsheet;
    mail.recipients = {"nwadcs@example.org"};
    mail.subject = "ISP spreadsheet";
    mail.files = {{"ISP spreadsheet 2026-11.xlsx", "application/vnd.ms-excel", bytes}};
    return tx.queue_mail(report_event(tx), mail);
  });
  const auto row = store.find_outbox(id);
  ASSERT_TRUE(row);
  ASSERT_EQ(row->files.size(), 1U);
  EXPECT_EQ(row->files[0].file_name, "ISP spreadsheet 2026-11.xlsx");
  EXPECT_EQ(row->files[0].bytes, bytes);
  const auto due = store.due_mail(at("2026-12-01T08:00:00Z"), 10);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].files, row->files);
}

TEST(StoreReports, CountsWhatHappenedInTheWindowOnly) {
  auto store = open();
  const auto event = [&](const char* when, EventKind kind) {
    store.transaction(at(when), [&](Tx& tx) {
      tx.append_event({.kind = kind, .reference = std::nullopt, .actor = "ispd", .detail = {}});
    });
  };
  event("2026-12-01T23:59:59Z", EventKind::received);  // the day before
  event("2026-12-02T00:00:00Z", EventKind::received);
  event("2026-12-02T09:00:00Z", EventKind::received);
  event("2026-12-02T09:00:01Z", EventKind::returned);
  event("2026-12-02T10:00:00Z", EventKind::attention);
  event("2026-12-02T11:00:00Z", EventKind::mail_failed);
  event("2026-12-02T12:00:00Z", EventKind::bounced);
  event("2026-12-02T13:00:00Z", EventKind::extended);
  event("2026-12-03T00:00:00Z", EventKind::received);  // the day after
  const auto a = store.activity(at("2026-12-02T00:00:00Z"), at("2026-12-03T00:00:00Z"));
  EXPECT_EQ(a.received, 2);
  EXPECT_EQ(a.returned, 1);
  EXPECT_EQ(a.attention, 1);
  EXPECT_EQ(a.failures, 2);
  EXPECT_EQ(a.updated, 1);
  EXPECT_EQ(a.logged, 0);
  const auto failed =
      store.events_between(EventKind::mail_failed, at("2026-12-02T00:00:00Z"), at("2026-12-03T00:00:00Z"), 10);
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].at, at("2026-12-02T11:00:00Z"));
}

TEST(StoreReports, RemembersSinceWhenSomethingHasBeenFailing) {
  auto store = open();
  EXPECT_FALSE(store.failing("mailbox"));
  const auto first =
      store.transaction(at("2026-12-02T09:00:00Z"), [](Tx& tx) { return tx.note_failing("mailbox", "login refused"); });
  const auto again =
      store.transaction(at("2026-12-02T09:05:00Z"), [](Tx& tx) { return tx.note_failing("mailbox", "timed out"); });
  EXPECT_EQ(first, at("2026-12-02T09:00:00Z"));
  EXPECT_EQ(again, at("2026-12-02T09:00:00Z"));
  const auto failing = store.failing("mailbox");
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->last, at("2026-12-02T09:05:00Z"));
  EXPECT_EQ(failing->error, "timed out");
  store.transaction(at("2026-12-02T09:10:00Z"), [](Tx& tx) { tx.note_working("mailbox"); });
  EXPECT_FALSE(store.failing("mailbox"));
  const auto anew =
      store.transaction(at("2026-12-02T10:00:00Z"), [](Tx& tx) { return tx.note_failing("mailbox", "refused"); });
  EXPECT_EQ(anew, at("2026-12-02T10:00:00Z"));
}

TEST(StoreReports, FindsMailStuckOrGivenUp) {
  auto store = open();
  const auto queue = [&](const char* when) {
    return store.transaction(at(when), [&](Tx& tx) {
      OutboxMail mail;
      mail.kind = OutboxKind::log;
      mail.recipients = {"nwadcs@example.org"};
      mail.subject = "log";
      return tx.queue_mail(report_event(tx), mail);
    });
  };
  const auto old_tried = queue("2026-12-01T08:00:00Z");
  const auto old_untried = queue("2026-12-01T08:00:00Z");
  const auto recent = queue("2026-12-02T08:00:00Z");
  const auto given_up = queue("2026-12-01T08:00:00Z");
  store.transaction(at("2026-12-01T09:00:00Z"), [&](Tx& tx) {
    for (const auto id : {old_tried, recent, given_up}) {
      ASSERT_TRUE(tx.begin_attempt(id));
    }
    tx.mark_failed(old_tried, "451 try later");
    tx.mark_failed(recent, "451 try later");
    tx.mark_failed(given_up, "no such host", Failure::permanent);
  });
  (void)old_untried;  // never tried: the sender has not had its chance yet
  const auto stuck = store.stuck_mail(at("2026-12-02T00:00:00Z"), at("2026-12-01T00:00:00Z"), 10);
  ASSERT_EQ(stuck.size(), 2U);
  EXPECT_EQ(stuck[0].id, old_tried);
  EXPECT_EQ(stuck[1].id, given_up);
  EXPECT_TRUE(store.stuck_mail(at("2026-12-02T00:00:00Z"), at("2026-12-01T10:00:00Z"), 10).size() == 1U);
}

}  // namespace
}  // namespace ispd::store
