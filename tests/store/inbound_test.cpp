// The raw mail is stored before anything else, and a repeat is recognised by
// its Message-ID and content, never by its IMAP UID.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/digest.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;

TimePoint at(std::string_view text) { return time_from_text(text); }

Store open_memory() {
  auto store = Store::open(":memory:");
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

using test::TempDir;

int count(const SQLite::Database& db, const std::string& sql) {
  SQLite::Statement query(db, sql);
  query.executeStep();
  return query.getColumn(0).getInt();
}

constexpr std::string_view kMail =
    "From: officer@bolton.gov.uk\r\nMessage-ID: <a@bolton.gov.uk>\r\n\r\nForm attached.\r\n";

TEST(RecordInbound, StoresANewMailWithItsHashAndReceivedEvent) {
  auto store = open_memory();
  const auto now = at("2026-03-02T09:00:00Z");
  const auto record = store.record_inbound({kMail, "<a@bolton.gov.uk>", 7, 42}, now);
  EXPECT_FALSE(record.already_known);
  EXPECT_EQ(record.state, InboundState::received);

  const auto stored = store.find_inbound(record.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->message_id, "<a@bolton.gov.uk>");
  EXPECT_EQ(stored->sha256, sha256_hex(kMail));
  EXPECT_EQ(stored->size, static_cast<std::int64_t>(kMail.size()));
  EXPECT_EQ(stored->received_at, now);
  EXPECT_EQ(stored->uidvalidity, 7u);
  EXPECT_EQ(stored->uid, 42u);
  EXPECT_EQ(store.inbound_raw(record.id), kMail);
  EXPECT_EQ(store.inbound_in_state(InboundState::received).size(), 1u);
}

TEST(RecordInbound, KnowsTheSha256OfTheEmptyString) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RecordInbound, KeepsEveryByteIncludingNulsAndAnEmptyMail) {
  auto store = open_memory();
  const std::string binary("a\0b\r\n\xff\x00z", 8);
  const auto with_nul = store.record_inbound({binary, "<bin@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
  EXPECT_EQ(store.inbound_raw(with_nul.id), binary);
  const auto empty = store.record_inbound({"", "", {}, {}}, at("2026-03-02T09:00:00Z"));
  EXPECT_EQ(store.inbound_raw(empty.id), std::string());
}

TEST(RecordInbound, RecognisesARepeatBySameMessageIdAndContent) {
  auto store = open_memory();
  const auto first = store.record_inbound({kMail, "<a@bolton.gov.uk>", 7, 42}, at("2026-03-02T09:00:00Z"));
  const auto again = store.record_inbound({kMail, "<a@bolton.gov.uk>", 7, 42}, at("2026-03-02T09:05:00Z"));
  EXPECT_TRUE(again.already_known);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(store.find_inbound_by_message_id("<a@bolton.gov.uk>").size(), 1u);
}

TEST(RecordInbound, DoesNotTrustUidsAsIdentity) {
  auto store = open_memory();
  // Microsoft 365 renumbers: the same mail under a new UIDVALIDITY and UID is still the same mail.
  const auto first = store.record_inbound({kMail, "<a@bolton.gov.uk>", 7, 42}, at("2026-03-02T09:00:00Z"));
  const auto renumbered = store.record_inbound({kMail, "<a@bolton.gov.uk>", 8, 1}, at("2026-03-02T09:05:00Z"));
  EXPECT_TRUE(renumbered.already_known);
  EXPECT_EQ(renumbered.id, first.id);
  // And two different mails under the same UID are two mails.
  const auto other =
      store.record_inbound({std::string(kMail) + "x", "<b@bolton.gov.uk>", 7, 42}, at("2026-03-02T09:06:00Z"));
  EXPECT_FALSE(other.already_known);
  EXPECT_NE(other.id, first.id);
}

TEST(RecordInbound, SameMessageIdWithDifferentContentIsADifferentMail) {
  auto store = open_memory();
  const auto first = store.record_inbound({kMail, "<a@bolton.gov.uk>", {}, {}}, at("2026-03-02T09:00:00Z"));
  const auto changed =
      store.record_inbound({std::string(kMail) + "PS.\r\n", "<a@bolton.gov.uk>", {}, {}}, at("2026-03-02T09:01:00Z"));
  EXPECT_FALSE(changed.already_known);
  EXPECT_NE(changed.id, first.id);
  EXPECT_EQ(store.find_inbound_by_message_id("<a@bolton.gov.uk>").size(), 2u);
}

TEST(RecordInbound, SameContentWithoutMessageIdIsTheSameMail) {
  auto store = open_memory();
  const auto first = store.record_inbound({kMail, "", {}, {}}, at("2026-03-02T09:00:00Z"));
  const auto again = store.record_inbound({kMail, "", {}, {}}, at("2026-03-02T09:01:00Z"));
  EXPECT_TRUE(again.already_known);
  EXPECT_EQ(again.id, first.id);
  const auto different = store.record_inbound({std::string(kMail) + "x", "", {}, {}}, at("2026-03-02T09:02:00Z"));
  EXPECT_FALSE(different.already_known);
}

TEST(RecordInbound, SameContentUnderAnotherMessageIdIsADifferentMail) {
  auto store = open_memory();
  const auto first = store.record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
  const auto other = store.record_inbound({kMail, "<b@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
  EXPECT_FALSE(other.already_known);
  EXPECT_NE(other.id, first.id);
}

TEST(RecordInbound, ARepeatReportsHowTheMailWasSettled) {
  auto store = open_memory();
  const auto first = store.record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
  store.intake(first.id, at("2026-03-02T09:00:01Z"),
               [](IntakeTx& tx) { (void)tx.settle(InboundState::ignored, "automatic reply"); });
  const auto again = store.record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T10:00:00Z"));
  EXPECT_TRUE(again.already_known);
  EXPECT_EQ(again.state, InboundState::ignored);
}

TEST(RecordInbound, RecognisesARepeatAfterReopening) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  std::int64_t id = 0;
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    id = store.value().record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T09:00:00Z")).id;
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  const auto again = store.value().record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T09:30:00Z"));
  EXPECT_TRUE(again.already_known);
  EXPECT_EQ(again.id, id);
}

TEST(RecordInbound, AStoredMailCanNeitherChangeNorBeDeleted) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    store.value().record_inbound({kMail, "<a@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
  }
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(db.exec("UPDATE inbound_messages SET raw = x'00'"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE inbound_messages SET sha256 = sha256"), SQLite::Exception);
  EXPECT_THROW(db.exec("DELETE FROM inbound_messages"), SQLite::Exception);
  EXPECT_EQ(count(db, "SELECT count(*) FROM inbound_messages"), 1);
}

}  // namespace
}  // namespace ispd::store

namespace ispd::store {
namespace {

TEST(InboundAttempts, CountsEveryIntakeStartedAndKeepsTheCountAcrossReopening) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  std::int64_t id = 0;
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    RawMail mail;
    mail.bytes = kMail;
    mail.message_id = "a@bolton.gov.uk";
    id = store.value().record_inbound(mail, at("2026-02-03T10:00:00Z")).id;
    EXPECT_EQ(store.value().find_inbound(id)->attempts, 0);
    EXPECT_EQ(store.value().begin_intake(id), 1);
    EXPECT_EQ(store.value().begin_intake(id), 2);
  }
  auto reopened = Store::open(path);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened.value().begin_intake(id), 3);
  EXPECT_EQ(reopened.value().find_inbound(id)->attempts, 3);
}

TEST(InboundAttempts, AnAttemptCutShortByStorageIsTakenBackAndAFreshTryStartsAtNought) {
  auto store = open_memory();
  RawMail mail;
  mail.bytes = kMail;
  mail.message_id = "b@bolton.gov.uk";
  const auto id = store.record_inbound(mail, at("2026-02-03T10:00:00Z")).id;
  EXPECT_EQ(store.begin_intake(id), 1);
  EXPECT_EQ(store.begin_intake(id), 2);
  EXPECT_EQ(store.undo_intake(id), 1);
  EXPECT_EQ(store.find_inbound(id)->attempts, 1);
  EXPECT_EQ(store.reset_intake(id), 0);
  EXPECT_EQ(store.undo_intake(id), 0);  // never below nought
  EXPECT_EQ(store.begin_intake(id), 1);
}

TEST(InboundAttempts, UnknownMailIsAMisuse) {
  auto store = open_memory();
  EXPECT_THROW((void)store.begin_intake(42), std::logic_error);
}

}  // namespace
}  // namespace ispd::store
