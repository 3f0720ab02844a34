// The outbox: a stable Message-ID per mail, one delivery row per recipient,
// retries with backoff, a sent mail final, an interrupted send tried again.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>

#include "store/store.hpp"
#include "tests/support/temp_dir.hpp"
#include "util/message_id.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using test::TempDir;

Store open(const fs::path& path, StoreOptions options = {}) {
  auto store = Store::open(path, std::move(options));
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

OutboxMail log_mail(std::vector<std::string> recipients) {
  OutboxMail mail;
  mail.kind = OutboxKind::log;
  mail.recipients = std::move(recipients);
  mail.subject = "ISP log";
  mail.template_data = {{"handled", 1}};
  return mail;
}

// Queues one mail, decided by an event, and returns its outbox id.
std::int64_t queue(Store& store, TimePoint now, const OutboxMail& mail) {
  return store.transaction(now, [&](Tx& tx) {
    const auto decided = tx.append_event({EventKind::attention, std::nullopt, "ispd", {}});
    return tx.queue_mail(decided, mail);
  });
}

// 2026-03-02T09:00:00Z, as a constant that cannot throw.
constexpr TimePoint kNow{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{9}};

TEST(Outbox, AQueuedMailIsDueAtOnceWithItsOwnStableMessageId) {
  TempDir dir;
  StoreOptions options;
  options.message_id_domain = "ispd.stockport.gov.uk";
  std::string message_id;
  {
    auto store = open(dir.path() / "ispd.sqlite", options);
    const auto id = queue(store, kNow, log_mail({"placementsnorthwest@stockport.gov.uk"}));
    const auto other = queue(store, kNow, log_mail({"placementsnorthwest@stockport.gov.uk"}));
    const auto due = store.due_mail(kNow, 10);
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].id, id);
    message_id = due[0].message_id;
    // <32 hex digits@domain>: unguessable, and unique without asking anyone.
    ASSERT_EQ(message_id.size(), 1 + 32 + 1 + std::string("ispd.stockport.gov.uk").size() + 1) << message_id;
    EXPECT_EQ(message_id.find_first_not_of("0123456789abcdef", 1), 33u) << message_id;
    EXPECT_EQ(message_id.substr(33), "@ispd.stockport.gov.uk>");
    EXPECT_NE(due[1].message_id, message_id);
    EXPECT_EQ(store.find_outbox(other)->message_id, due[1].message_id);
    EXPECT_EQ(due[0].template_data["handled"], 1);
    EXPECT_EQ(due[0].state, OutboxState::pending);
    EXPECT_EQ(due[0].attempts, 0);
  }
  // Written once: the same Message-ID after reopening, so a resend is recognisable as the same mail.
  auto store = open(dir.path() / "ispd.sqlite", options);
  EXPECT_EQ(store.due_mail(kNow, 10)[0].message_id, message_id);
  EXPECT_EQ(store.find_outbox_by_message_id(message_id)->subject, "ISP log");
}

TEST(Outbox, NothingIsDueBeforeItsTime) {
  auto store = open(":memory:");
  queue(store, kNow, log_mail({"a@x.gov.uk"}));
  EXPECT_TRUE(store.due_mail(kNow - 1s, 10).empty());
  EXPECT_EQ(store.due_mail(kNow, 10).size(), 1u);
  EXPECT_EQ(store.due_mail(kNow, 0).size(), 0u);
}

TEST(Outbox, FindsAMailByItsMessageIdWithOrWithoutAngleBrackets) {
  auto store = open(":memory:");
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk"}));
  const std::string stored = store.find_outbox(id)->message_id;
  ASSERT_TRUE(stored.starts_with("<") && stored.ends_with(">")) << stored;
  const std::string bare = stored.substr(1, stored.size() - 2);
  EXPECT_EQ(message_id::bare(stored), bare);
  EXPECT_EQ(message_id::wire(bare), stored);
  for (const std::string& given : {stored, bare, " " + stored + "\r\n", "\t" + bare + " "}) {
    const auto found = store.find_outbox_by_message_id(given);
    ASSERT_TRUE(found) << given;
    EXPECT_EQ(found->id, id) << given;
  }
  EXPECT_FALSE(store.find_outbox_by_message_id("<" + bare));
}

TEST(Outbox, RecipientsGetOneCopyWhateverTheirCase) {
  auto store = open(":memory:");
  const auto id = queue(store, kNow, log_mail({"isp@bolton.gov.uk", "lado@wigan.gov.uk", "ISP@Bolton.gov.uk"}));
  const auto mail = store.find_outbox(id);
  ASSERT_EQ(mail->deliveries.size(), 2u);
  EXPECT_EQ(mail->deliveries[0].recipient, "isp@bolton.gov.uk");
  EXPECT_EQ(mail->deliveries[1].recipient, "lado@wigan.gov.uk");
  EXPECT_EQ(mail->undelivered(), (std::vector<std::string>{"isp@bolton.gov.uk", "lado@wigan.gov.uk"}));
}

TEST(Outbox, RefusesARecipientThatIsNotAPlainAddressAndKeepsNothing) {
  auto store = open(":memory:");
  for (const char* bad :
       {"isp@bolton.gov.uk\r\nBcc: all@everyone.org", "no-at-sign", "two@@x", "a b@x.org", "\"Name\" <a@x.org>", ""}) {
    EXPECT_THROW(queue(store, kNow, log_mail({"ok@x.gov.uk", bad})), std::invalid_argument) << bad;
  }
  EXPECT_THROW(queue(store, kNow, log_mail({})), std::logic_error);
  EXPECT_TRUE(store.due_mail(kNow, 10).empty());
}

TEST(Outbox, ASubjectIsOneLine) {
  auto store = open(":memory:");
  OutboxMail mail = log_mail({"a@x.gov.uk"});
  mail.subject = "OFFICIAL [ISP-2026-0001] Evil Ltd\r\nBcc: all@everyone.org";
  const auto id = queue(store, kNow, mail);
  EXPECT_EQ(store.find_outbox(id)->subject, "OFFICIAL [ISP-2026-0001] Evil Ltd  Bcc: all@everyone.org");
}

TEST(Outbox, RetriesWithDoublingBackoffUpToTheCapThenGivesUp) {
  StoreOptions options;
  options.retry_base = 60s;
  options.retry_cap = 10min;
  options.max_attempts = 6;
  auto store = open(":memory:", options);
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk"}));
  TimePoint now = kNow;
  const std::vector<std::chrono::seconds> waits = {1min, 2min, 4min, 8min, 10min};
  for (auto wait : waits) {
    ASSERT_EQ(store.due_mail(now, 10).size(), 1u);
    const auto decision = store.transaction(now, [&](Tx& tx) {
      EXPECT_TRUE(tx.begin_attempt(id));
      return tx.mark_failed(id, "421 try again later");
    });
    ASSERT_FALSE(decision.gave_up);
    EXPECT_EQ(*decision.next_attempt_at, now + wait);
    EXPECT_TRUE(store.due_mail(now + wait - 1s, 10).empty());
    now += wait;
  }
  const auto last = store.transaction(now, [&](Tx& tx) {
    EXPECT_TRUE(tx.begin_attempt(id));
    return tx.mark_failed(id, "421 still down");
  });
  EXPECT_TRUE(last.gave_up);
  const auto mail = store.find_outbox(id);
  EXPECT_EQ(mail->state, OutboxState::failed);
  EXPECT_EQ(mail->attempts, 6);
  EXPECT_EQ(mail->last_error, "421 still down");
  EXPECT_TRUE(store.due_mail(now + 24h, 10).empty());
}

TEST(Outbox, APermanentFailureGivesUpAtOnce) {
  auto store = open(":memory:");
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk"}));
  const auto decision = store.transaction(kNow, [&](Tx& tx) {
    (void)tx.begin_attempt(id);
    return tx.mark_failed(id, "554 rejected", Failure::permanent);
  });
  EXPECT_TRUE(decision.gave_up);
  EXPECT_EQ(store.find_outbox(id)->state, OutboxState::failed);
}

TEST(Outbox, ASentMailIsNeverDueOrSendableAgain) {
  TempDir dir;
  auto store = open(dir.path() / "ispd.sqlite");
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk"}));
  store.transaction(kNow, [&](Tx& tx) { ASSERT_TRUE(tx.begin_attempt(id)); });
  store.transaction(kNow + 1s, [&](Tx& tx) {
    tx.record_delivery(id, "a@x.gov.uk", DeliveryState::accepted, "250 2.0.0 Ok: queued");
    tx.mark_sent(id);
  });
  const auto mail = store.find_outbox(id);
  EXPECT_EQ(mail->state, OutboxState::sent);
  EXPECT_EQ(mail->sent_at, kNow + 1s);
  EXPECT_EQ(mail->deliveries[0].smtp_reply, "250 2.0.0 Ok: queued");
  EXPECT_TRUE(mail->undelivered().empty());
  EXPECT_TRUE(store.due_mail(kNow + 48h, 10).empty());
  store.transaction(kNow + 2s, [&](Tx& tx) {
    EXPECT_FALSE(tx.begin_attempt(id));
    EXPECT_EQ(tx.requeue_interrupted(), 0);
  });
  EXPECT_THROW(store.transaction(kNow, [&](Tx& tx) { tx.mark_sent(id); }), std::logic_error);
  // Nor by hand: the schema refuses to take a sent mail back.
  SQLite::Database db((dir.path() / "ispd.sqlite").string(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(db.exec("UPDATE outbox SET state = 'pending'"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE outbox SET subject = 'changed'"), SQLite::Exception);
  EXPECT_THROW(db.exec("DELETE FROM outbox"), SQLite::Exception);
}

TEST(Outbox, AnAttemptCutShortByACrashIsTriedAgainWithTheSameMessageId) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  std::int64_t id = 0;
  std::string message_id;
  {
    auto store = open(path);
    id = queue(store, kNow, log_mail({"a@x.gov.uk", "b@y.gov.uk"}));
    message_id = store.find_outbox(id)->message_id;
    store.transaction(kNow, [&](Tx& tx) { ASSERT_TRUE(tx.begin_attempt(id)); });
    store.transaction(kNow, [&](Tx& tx) { tx.record_delivery(id, "a@x.gov.uk", DeliveryState::accepted, "250 ok"); });
    // The process dies here, before mark_sent.
  }
  auto store = open(path);
  EXPECT_TRUE(store.due_mail(kNow + 1h, 10).empty());  // sending, not pending
  EXPECT_EQ(store.transaction(kNow + 1h, [](Tx& tx) { return tx.requeue_interrupted(); }), 1);
  const auto due = store.due_mail(kNow + 1h, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message_id, message_id);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "interrupted while sending");
  // Only the recipient whose copy was not yet accepted is left to send to.
  EXPECT_EQ(due[0].undelivered(), std::vector<std::string>{"b@y.gov.uk"});
}

TEST(Outbox, RecordsEachRecipientsFateAndFindsABouncedMailByItsMessageId) {
  auto store = open(":memory:");
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk", "gone@y.gov.uk", "later@z.gov.uk"}));
  store.transaction(kNow, [&](Tx& tx) {
    ASSERT_TRUE(tx.begin_attempt(id));
    tx.record_delivery(id, "a@x.gov.uk", DeliveryState::accepted, "250 ok");
    tx.record_delivery(id, "GONE@y.gov.uk", DeliveryState::rejected, "550 5.1.1 no such user");
    tx.record_delivery(id, "later@z.gov.uk", DeliveryState::deferred, "451 4.7.1 greylisted");
    (void)tx.mark_failed(id, "451 for later@z.gov.uk");
  });
  auto mail = store.find_outbox(id);
  EXPECT_EQ(mail->undelivered(), std::vector<std::string>{"later@z.gov.uk"});
  EXPECT_EQ(mail->deliveries[1].state, DeliveryState::rejected);
  EXPECT_EQ(mail->deliveries[1].at, kNow);
  EXPECT_THROW(store.transaction(
                   kNow, [&](Tx& tx) { tx.record_delivery(id, "stranger@x.gov.uk", DeliveryState::accepted, ""); }),
               std::logic_error);

  // A delivery status report names the Message-ID; the bounce is recorded against that recipient.
  const auto bounced = store.find_outbox_by_message_id(mail->message_id);
  ASSERT_TRUE(bounced);
  store.transaction(kNow + 1h, [&](Tx& tx) {
    tx.record_delivery(bounced->id, "a@x.gov.uk", DeliveryState::bounced, "5.2.2 mailbox full");
  });
  EXPECT_EQ(store.find_outbox(id)->deliveries[0].state, DeliveryState::bounced);
  EXPECT_FALSE(store.find_outbox_by_message_id("<unknown@x>"));
}

TEST(Outbox, MarkingWithoutAnAttemptIsRefused) {
  auto store = open(":memory:");
  const auto id = queue(store, kNow, log_mail({"a@x.gov.uk"}));
  EXPECT_THROW(store.transaction(kNow, [&](Tx& tx) { tx.mark_sent(id); }), std::logic_error);
  EXPECT_THROW(store.transaction(kNow, [&](Tx& tx) { (void)tx.mark_failed(id, "x"); }), std::logic_error);
}

}  // namespace
}  // namespace ispd::store
