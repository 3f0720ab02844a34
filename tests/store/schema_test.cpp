// Opening the store: WAL, foreign keys, and migrations applied once, in order,
// each whole or not at all; a newer or foreign database is refused.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;

TimePoint at(std::string_view text) { return time_from_text(text); }

using test::TempDir;

std::string text(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement query(db, sql);
  query.executeStep();
  return query.getColumn(0).getString();
}

int number(SQLite::Database& db, const std::string& sql) { return std::stoi(text(db, sql)); }

SQLite::Database raw(const fs::path& path) { return {path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE}; }

TEST(Migrations, AreNumberedOneByOneFromOne) {
  int expected = 1;
  for (const auto& m : migrations()) EXPECT_EQ(m.version, expected++) << m.summary;
  EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(Open, CreatesAnInMemoryStoreAtTheLatestVersion) {
  auto store = Store::open(":memory:");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store.value().schema_version(), latest_schema_version());
}

TEST(Open, AFileDatabaseIsInWriteAheadLogModeAndMarkedAsIspds) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  ASSERT_TRUE(Store::open(path));
  auto db = raw(path);
  EXPECT_EQ(text(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(number(db, "PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(number(db, "PRAGMA user_version"), latest_schema_version());
}

TEST(Open, ReopeningChangesNothing) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  std::string schema_before;
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    store.value().record_inbound({"mail", "<a@x>", {}, {}}, at("2026-03-02T09:00:00Z"));
    auto db = raw(path);
    schema_before = text(db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema ORDER BY name)");
  }
  for (int i = 0; i < 3; ++i) {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(store.value().schema_version(), latest_schema_version());
    EXPECT_EQ(store.value().find_inbound_by_message_id("<a@x>").size(), 1u);
  }
  auto db = raw(path);
  EXPECT_EQ(text(db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema ORDER BY name)"),
            schema_before);
}

TEST(Open, UpgradesAVersionOneDatabaseKeepingItsData) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  {
    auto db = raw(path);
    const auto reached = migrate(db, migrations().first(1));
    ASSERT_TRUE(reached) << reached.error().message;
    ASSERT_EQ(*reached, 1);
    EXPECT_FALSE(db.tableExists("outbox"));
    db.exec(
        "INSERT INTO inbound_messages (message_id, sha256, raw, size, received_at) VALUES ('<old@x>', "
        "'6f1ed002ab5595859014ebf0951522d9ee2a1c1b5c8f5b4b0e1e5f5b1c8e3f42', x'6d61696c', 4, "
        "'2026-01-05T08:00:00Z')");
  }
  auto opened = Store::open(path);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = opened.value();
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  const auto old = store.find_inbound_by_message_id("<old@x>");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(store.inbound_raw(old[0].id), "mail");
  // What version 2 added works on the upgraded database.
  store.intake(old[0].id, at("2026-03-02T09:00:00Z"), [](IntakeTx& tx) {
    const auto decided = tx.settle(InboundState::attention, "no form attached");
    OutboxMail mail;
    mail.kind = OutboxKind::attention;
    mail.recipients = {"placementsnorthwest@stockport.gov.uk"};
    mail.subject = "A mail needs attention";
    tx.queue_mail(decided, mail);
  });
  EXPECT_EQ(store.due_mail(at("2026-03-02T09:00:00Z"), 10).size(), 1u);
}

TEST(Open, RefusesADatabaseNewerThanThisCode) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  ASSERT_TRUE(Store::open(path));
  {
    auto db = raw(path);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  const auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer than this ispd knows"), std::string::npos) << store.error().message;
}

TEST(Open, RefusesADatabaseThatIsNotIspds) {
  TempDir dir;
  const auto path = dir.path() / "other.sqlite";
  {
    auto db = raw(path);
    db.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
  }
  const auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message, "is not an ispd database (it holds other tables)");
  auto db = raw(path);
  EXPECT_FALSE(db.tableExists("notifications"));
}

TEST(Open, SaysWhyAPathCannotBeOpened) {
  const auto store = Store::open("/nonexistent-ispd-folder/ispd.sqlite");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message.rfind("cannot be opened: ", 0), 0u) << store.error().message;
}

TEST(Open, RefusesAMessageIdDomainThatIsNotADomain) {
  StoreOptions options;
  options.message_id_domain = "ispd.local>\r\nBcc: x";
  const auto store = Store::open(":memory:", options);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("message_id_domain"), std::string::npos);
}

TEST(Migrate, AFailingStepLeavesTheDatabaseAtTheVersionBefore) {
  TempDir dir;
  const auto path = dir.path() / "ispd.sqlite";
  const Migration steps[] = {
      {1, "first", "CREATE TABLE first (id INTEGER PRIMARY KEY);"},
      {2, "broken", "CREATE TABLE second (id INTEGER PRIMARY KEY); CREATE TABLE broken (;"},
  };
  auto db = raw(path);
  EXPECT_THROW((void)migrate(db, steps), SQLite::Exception);
  EXPECT_EQ(number(db, "PRAGMA user_version"), 1);
  EXPECT_TRUE(db.tableExists("first"));
  EXPECT_FALSE(db.tableExists("second"));  // the failed step's first statement was rolled back too

  // Fixed, it applies once, and applying again changes nothing.
  const Migration fixed[] = {steps[0], {2, "fixed", "CREATE TABLE second (id INTEGER PRIMARY KEY);"}};
  const auto reached = migrate(db, fixed);
  ASSERT_TRUE(reached) << reached.error().message;
  EXPECT_EQ(*reached, 2);
  const auto again = migrate(db, fixed);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 2);
  EXPECT_TRUE(db.tableExists("second"));
}

}  // namespace
}  // namespace ispd::store
