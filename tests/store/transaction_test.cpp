// The intake's one transaction: everything it writes is kept together or not
// at all, a mail is settled once, and a mail is only queued with its decision.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TimePoint at(std::string_view text) { return time_from_text(text); }

using test::TempDir;

Form sample_form() {
  Form form;
  form.confidentiality = Confidentiality::internal;
  form.issuing_agency.agency = "Bolton Council";
  form.issuing_agency.officer_email = "officer@bolton.gov.uk";
  form.issuing_agency.review_date = std::chrono::year{2026} / 6 / 1;
  form.provider.name = "Sunrise Care Ltd";
  form.provider.company_number = "01234567";
  form.circulation = {{"childrens_services", Scope::north_west, std::nullopt}};
  form.service_types = {"residential"};
  form.concerns = {"safeguarding"};
  form.details = "Concerns about night staffing.";
  form.data_minimisation_issuer = true;
  return form;
}

OutboxMail circulation(const std::string& reference) {
  OutboxMail mail;
  mail.kind = OutboxKind::circulation;
  mail.reference = reference;
  mail.recipients = {"isp@manchester.gov.uk", "lado@wigan.gov.uk"};
  mail.subject = "OFFICIAL [" + reference + "] ISP notification: Sunrise Care Ltd";
  return mail;
}

// Everything the store holds, counted through a second connection.
struct Counts {
  int notifications, events, outbox, deliveries, sequences;
  bool operator==(const Counts&) const = default;
};

Counts counts(const fs::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  const auto one = [&](const char* sql) {
    SQLite::Statement query(db, sql);
    query.executeStep();
    return query.getColumn(0).getInt();
  };
  return {one("SELECT count(*) FROM notifications"), one("SELECT count(*) FROM events"),
          one("SELECT count(*) FROM outbox"), one("SELECT count(*) FROM deliveries"),
          one("SELECT coalesce(sum(last_number), 0) FROM reference_sequences")};
}

class IntakeTransaction : public testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(dir_.path() / "ispd.sqlite");
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(opened).value());
    inbound_ = store_->record_inbound({"From: officer@bolton.gov.uk\r\n\r\nform", "<m1@bolton.gov.uk>", 1, 1}, now_).id;
  }
  Store& store() { return *store_; }
  Counts stored() { return counts(dir_.path() / "ispd.sqlite"); }

  TempDir dir_;
  std::optional<Store> store_;
  std::int64_t inbound_ = 0;
  TimePoint now_ = at("2026-03-02T09:00:00Z");
};

TEST_F(IntakeTransaction, KeepsTheDecisionTheNotificationTheEventsAndTheMailTogether) {
  const auto reference = store().intake(inbound_, now_ + 1s, [&](IntakeTx& tx) {
    const auto logged = tx.log_notification({sample_form(), "Bolton Council", "officer@bolton.gov.uk"});
    tx.queue_mail(logged.event, circulation(logged.notification.reference));
    (void)tx.settle(InboundState::processed, "logged", logged.notification.reference);
    return logged.notification.reference;
  });
  EXPECT_EQ(reference, "ISP-2026-0001");
  EXPECT_EQ(store().find_inbound(inbound_)->state, InboundState::processed);
  const auto history = store().show(reference);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->events.size(), 2u);
  EXPECT_EQ(history->events[0].kind, EventKind::logged);
  EXPECT_EQ(history->events[0].inbound_id, inbound_);  // from which message
  EXPECT_EQ(history->events[0].actor, "officer@bolton.gov.uk");
  EXPECT_EQ(history->events[1].kind, EventKind::processed);
  ASSERT_EQ(history->mails.size(), 1u);
  EXPECT_EQ(history->mails[0].event_id, history->events[0].id);  // the mail names its decision
  EXPECT_EQ(history->notification.origin_inbound_id, inbound_);
}

TEST_F(IntakeTransaction, AThrowMidwayLeavesNothingBehind) {
  const Counts before = stored();
  EXPECT_THROW(
      store().intake(
          inbound_, now_ + 1s,
          [&](IntakeTx& tx) {
            const auto logged = tx.log_notification({sample_form(), "Bolton Council", "officer@bolton.gov.uk"});
            tx.queue_mail(logged.event, circulation(logged.notification.reference));
            (void)tx.append_event({EventKind::duplicate_suspected, logged.notification.reference, "ispd", {}});
            (void)tx.settle(InboundState::processed, "logged", logged.notification.reference);
            throw std::runtime_error("the disk filled up");
          }),
      std::runtime_error);
  EXPECT_EQ(stored(), before);  // no notification, event, mail, delivery, nor a used reference
  EXPECT_EQ(store().find_inbound(inbound_)->state, InboundState::received);
  EXPECT_FALSE(store().find_notification("ISP-2026-0001"));
  EXPECT_TRUE(store().due_mail(now_ + 1h, 10).empty());

  // The retry gets the reference the failed attempt would have had: none was lost.
  store().intake(inbound_, now_ + 2s, [&](IntakeTx& tx) {
    const auto logged = tx.log_notification({sample_form(), "Bolton Council", "officer@bolton.gov.uk"});
    EXPECT_EQ(logged.notification.reference, "ISP-2026-0001");
    (void)tx.settle(InboundState::processed, "logged", logged.notification.reference);
  });
}

TEST_F(IntakeTransaction, AnIntakeThatDoesNotSettleItsMailKeepsNothing) {
  const Counts before = stored();
  EXPECT_THROW(
      store().intake(
          inbound_, now_,
          [&](IntakeTx& tx) {
            const auto logged = tx.log_notification({sample_form(), "Bolton Council", "officer@bolton.gov.uk"});
            tx.queue_mail(logged.event, circulation(logged.notification.reference));
          }),
      std::logic_error);
  EXPECT_EQ(stored(), before);
}

TEST_F(IntakeTransaction, AMailIsNeverProcessedTwice) {
  const auto once = [&](IntakeTx& tx) {
    const auto logged = tx.log_notification({sample_form(), "Bolton Council", "officer@bolton.gov.uk"});
    tx.queue_mail(logged.event, circulation(logged.notification.reference));
    (void)tx.settle(InboundState::processed, "logged", logged.notification.reference);
  };
  store().intake(inbound_, now_, once);
  const Counts after_first = stored();
  EXPECT_THROW(store().intake(inbound_, now_ + 1min, once), std::logic_error);
  EXPECT_EQ(stored(), after_first);
  EXPECT_EQ(store().list_notifications(std::nullopt, std::chrono::year{2026} / 3 / 2).size(), 1u);
}

TEST_F(IntakeTransaction, AnAttentionItemCanBeSettledAgainOnceFixed) {
  store().intake(inbound_, now_, [](IntakeTx& tx) { (void)tx.settle(InboundState::attention, "unknown sender"); });
  EXPECT_EQ(store().inbound_in_state(InboundState::attention).size(), 1u);
  store().intake(inbound_, now_ + 1h, [](IntakeTx& tx) { (void)tx.settle(InboundState::returned, "incomplete"); });
  EXPECT_EQ(store().find_inbound(inbound_)->state, InboundState::returned);
  EXPECT_EQ(store().find_inbound(inbound_)->reason, "incomplete");
  EXPECT_TRUE(store().inbound_in_state(InboundState::attention).empty());
}

TEST_F(IntakeTransaction, SettlingTwiceInOneIntakeIsRefused) {
  EXPECT_THROW(store().intake(inbound_, now_,
                              [](IntakeTx& tx) {
                                (void)tx.settle(InboundState::attention, "a");
                                (void)tx.settle(InboundState::processed, "b");
                              }),
               std::logic_error);
  EXPECT_EQ(store().find_inbound(inbound_)->state, InboundState::received);
}

TEST_F(IntakeTransaction, AReturnedMailHangsOffTheSettlingEvent) {
  store().intake(inbound_, now_, [](IntakeTx& tx) {
    const auto returned = tx.settle(InboundState::returned, "review date missing");
    OutboxMail reply;
    reply.kind = OutboxKind::returned;
    reply.recipients = {"officer@bolton.gov.uk"};
    reply.subject = "Your ISP form needs changes";
    reply.in_reply_to = "<m1@bolton.gov.uk>";
    tx.queue_mail(returned, reply);
  });
  const auto due = store().due_mail(now_, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, OutboxKind::returned);
  EXPECT_EQ(due[0].in_reply_to, "<m1@bolton.gov.uk>");
}

TEST_F(IntakeTransaction, AnIntakeOfAMailNeverStoredIsRefused) {
  EXPECT_THROW(
      store().intake(inbound_ + 100, now_, [](IntakeTx& tx) { (void)tx.settle(InboundState::processed, "x"); }),
      std::logic_error);
}

TEST_F(IntakeTransaction, AMailCannotBeQueuedAgainstAnEventFromAnotherTransaction) {
  std::optional<EventId> earlier;
  store().transaction(now_, [&](Tx& tx) {
    earlier = tx.append_event({EventKind::attention, std::nullopt, "ispd", {}});
  });
  const Counts before = stored();
  EXPECT_THROW(store().transaction(now_,
                                   [&](Tx& tx) {
                                     OutboxMail mail;
                                     mail.kind = OutboxKind::attention;
                                     mail.recipients = {"placementsnorthwest@stockport.gov.uk"};
                                     mail.subject = "Needs attention";
                                     tx.queue_mail(*earlier, mail);
                                   }),
               std::logic_error);
  EXPECT_EQ(stored(), before);
}

TEST_F(IntakeTransaction, EventsCanNeitherBeUpdatedNorDeleted) {
  store().transaction(now_, [](Tx& tx) { (void)tx.append_event({EventKind::attention, std::nullopt, "ispd", {}}); });
  SQLite::Database db((dir_.path() / "ispd.sqlite").string(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(db.exec("UPDATE events SET kind = 'logged'"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE events SET detail = '{}' WHERE id = 1"), SQLite::Exception);
  EXPECT_THROW(db.exec("DELETE FROM events"), SQLite::Exception);
  SQLite::Statement kinds(db, "SELECT group_concat(kind) FROM (SELECT kind FROM events ORDER BY id)");
  kinds.executeStep();
  EXPECT_EQ(kinds.getColumn(0).getString(), "received,attention");
}

TEST_F(IntakeTransaction, AnEventAboutAnUnknownNotificationIsRefused) {
  // Foreign keys are on: an event cannot name a reference that was never logged.
  EXPECT_THROW(store().transaction(now_,
                                   [](Tx& tx) {
                                     (void)tx.append_event({EventKind::chaser, "ISP-2026-0999", "ispd", {}});
                                   }),
               SQLite::Exception);
}

TEST_F(IntakeTransaction, ATransactionInsideATransactionIsRefused) {
  EXPECT_ANY_THROW(store().transaction(now_, [&](Tx&) { store().transaction(now_, [](Tx&) {}); }));
}

}  // namespace
}  // namespace ispd::store
