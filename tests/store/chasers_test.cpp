// Chasers: each (notification, review date, which) recorded once, with the
// event that decided it, and never changed; and erasure, the one change a
// stored mail or a sent mail may undergo.

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <string>

#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

using std::chrono::year;

TimePoint at(std::string_view text) { return time_from_text(text); }

Store open() {
  auto store = Store::open(":memory:");
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

Form form() {
  Form f;
  f.confidentiality = Confidentiality::internal;
  f.issuing_agency.agency = "Bolton Council";
  f.issuing_agency.review_date = year{2026} / 5 / 1;
  f.provider.name = "Brookvale Care Ltd";
  f.details = "what happened";
  return f;
}

std::string logged(Store& store) {
  return store.transaction(at("2026-02-03T09:00:00Z"), [](Tx& tx) {
    return tx
        .log_notification({.form = form(), .agency = "Bolton Council", .actor = "officer@bolton.gov.uk", .detail = {}})
        .notification.reference;
  });
}

TEST(StoreChasers, TheSchemaHasReachedVersionFour) { EXPECT_GE(open().schema_version(), 4); }

TEST(StoreChasers, RecordsEachChaserWithItsEventInOrder) {
  auto store = open();
  const auto ref = logged(store);
  const Date review = year{2026} / 5 / 1;
  std::int64_t event_id = 0;
  store.transaction(at("2026-05-22T09:00:00Z"), [&](Tx& tx) {
    const auto event = tx.append_event({.kind = EventKind::chaser, .reference = ref, .actor = "ispd", .detail = {}});
    event_id = event.value();
    tx.record_chaser(event, {ref, review, "overdue-3", ChaserState::queued});
    tx.record_chaser(event, {ref, review, "overdue-1", ChaserState::skipped});
  });
  const auto chasers = store.chasers_of(ref);
  ASSERT_EQ(chasers.size(), 2U);
  EXPECT_EQ(chasers[0].which, "overdue-3");
  EXPECT_EQ(chasers[0].state, ChaserState::queued);
  EXPECT_EQ(chasers[0].review_date, review);
  EXPECT_EQ(chasers[0].event_id, event_id);
  EXPECT_EQ(chasers[0].at, at("2026-05-22T09:00:00Z"));
  EXPECT_EQ(chasers[1].which, "overdue-1");
  EXPECT_EQ(chasers[1].state, ChaserState::skipped);
  EXPECT_TRUE(store.chasers_of("ISP-2026-0999").empty());
}

TEST(StoreChasers, TheSameChaserTwiceIsRefusedAndNothingOfItsTransactionKept) {
  auto store = open();
  const auto ref = logged(store);
  const Date review = year{2026} / 5 / 1;
  store.transaction(at("2026-05-01T09:00:00Z"), [&](Tx& tx) {
    const auto event = tx.append_event({.kind = EventKind::chaser, .reference = ref, .actor = "ispd", .detail = {}});
    tx.record_chaser(event, {ref, review, "on", ChaserState::queued});
  });
  EXPECT_THROW(store.transaction(at("2026-05-01T10:00:00Z"),
                                 [&](Tx& tx) {
                                   const auto event = tx.append_event(
                                       {.kind = EventKind::chaser, .reference = ref, .actor = "ispd", .detail = {}});
                                   tx.record_chaser(event, {ref, review, "on", ChaserState::skipped});
                                 }),
               SQLite::Exception);
  EXPECT_EQ(store.chasers_of(ref).size(), 1U);
  EXPECT_EQ(store.events_of(ref).size(), 2U);  // logged, and the first chaser
  // Another review date is another schedule.
  store.transaction(at("2026-08-01T09:00:00Z"), [&](Tx& tx) {
    const auto event = tx.append_event({.kind = EventKind::chaser, .reference = ref, .actor = "ispd", .detail = {}});
    tx.record_chaser(event, {ref, year{2026} / 8 / 1, "on", ChaserState::queued});
  });
  EXPECT_EQ(store.chasers_of(ref).size(), 2U);
}

TEST(StoreChasers, AChaserNeedsAnEventOfItsOwnTransaction) {
  auto store = open();
  const auto ref = logged(store);
  std::optional<EventId> old;
  store.transaction(at("2026-05-01T09:00:00Z"), [&](Tx& tx) {
    old = tx.append_event({.kind = EventKind::chaser, .reference = ref, .actor = "ispd", .detail = {}});
  });
  EXPECT_THROW(store.transaction(at("2026-05-01T09:00:01Z"),
                                 [&](Tx& tx) {
                                   tx.record_chaser(*old, {ref, year{2026} / 5 / 1, "on", ChaserState::queued});
                                 }),
               std::logic_error);
}

TEST(StoreChasers, EndedNotificationsAreListedWithTheirEndUntilErased) {
  auto store = open();
  const auto ref = logged(store);
  EXPECT_TRUE(store.ended_not_erased().empty());
  store.transaction(at("2026-06-01T09:00:00Z"), [&](Tx& tx) {
    (void)tx.update_notification(ref, {.kind = EventKind::closed,
                                       .form = std::nullopt,
                                       .status = NotificationStatus::closed,
                                       .actor = "nwadcs",
                                       .detail = {}});
  });
  auto ended = store.ended_not_erased();
  ASSERT_EQ(ended.size(), 1U);
  EXPECT_EQ(ended[0].reference, ref);
  EXPECT_EQ(ended[0].status, NotificationStatus::closed);
  EXPECT_EQ(ended[0].ended_at, at("2026-06-01T09:00:00Z"));

  Form kept = form();
  kept.details.reset();
  const auto erasure =
      store.transaction(at("2032-06-01T09:00:00Z"), [&](Tx& tx) { return tx.erase_notification(ref, kept); });
  EXPECT_EQ(erasure.files, 0);
  EXPECT_TRUE(store.ended_not_erased().empty());
  EXPECT_FALSE(store.find_notification(ref)->form.details.has_value());
  EXPECT_EQ(store.events_of(ref).back().kind, EventKind::erased);
  EXPECT_THROW(store.transaction(at("2032-06-01T09:00:00Z"),
                                 [&](Tx& tx) { (void)tx.erase_notification("ISP-2026-0999", kept); }),
               std::logic_error);
}

TEST(StoreChasers, AStoredMailStillNeverChangesExceptToBeErased) {
  test::TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  {
    auto opened = Store::open(path);
    ASSERT_TRUE(opened);
    (void)opened.value().record_inbound(
        {.bytes = "From: a@bolton.gov.uk\r\n\r\nhello", .message_id = "m.1@x", .uidvalidity = {}, .uid = {}},
        at("2026-02-03T09:00:00Z"));
  }
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(db.exec("UPDATE inbound_messages SET raw = X'00', size = 1"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE inbound_messages SET raw = X'', size = 0"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE inbound_messages SET sha256 = '" + std::string(64, '0') +
                       "', raw = X'', size = 0, erased_at = 'now'"),
               SQLite::Exception);
  EXPECT_EQ(db.exec("UPDATE inbound_messages SET raw = X'', size = 0, erased_at = '2032-06-01T09:00:00Z'"), 1);
  EXPECT_THROW(db.exec("DELETE FROM inbound_messages"), SQLite::Exception);
}

}  // namespace
}  // namespace ispd::store
