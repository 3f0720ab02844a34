// `ispd reprocess`: a person asking again gets a fresh try, whatever the mail's earlier attempts.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "daemon/config/config.hpp"
#include "daemon/jobs/intake.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMessageId = "DB9PR01MB5FE9D0300644D158D91C3B9F@DB9PR01MB5FE9.eurprd01.prod.exchangelabs.com";

TEST(ReprocessCommand, TriesAfreshAMailWhoseAttemptsRanOut) {
  test::TempDir dir;
  const auto database = dir.path() / "ispd.sqlite";
  const auto config_path = dir.path() / "ispd.toml";
  std::ofstream(config_path) << "[mailbox]\n"
                                "url = \"imaps://imap.example.gov.uk/INBOX\"\n"
                                "user = \"isp@example.gov.uk\"\n"
                                "password_env = \"ISPD_TEST_UNUSED\"\n"
                                "[smtp]\n"
                                "url = \"smtps://smtp.example.gov.uk\"\n"
                                "from = \"Placements North West <isp@example.gov.uk>\"\n"
                                "[store]\n"
                                "database = \""
                             << database.string() << "\"\n"
                             << "archive_dir = \"" << (dir.path() / "archive").string() << "\"\n"
                             << "[nwadcs]\n"
                                "address = \"nwadcs@example.gov.uk\"\n"
                                "[[authority]]\n"
                                "name = \"Bolton Council\"\n"
                                "domains = [\"bolton.gov.uk\"]\n"
                                "[[list]]\n"
                                "audience = \"childrens_services\"\n"
                                "scope = \"north_west\"\n"
                                "members = [\"isp@bolton.gov.uk\"]\n";
  const auto loaded = config::load(config_path.string());
  ASSERT_TRUE(loaded.ok());
  const auto raw = test::read_file(test::data_path("mail/internal-new-notification.eml"));
  const auto now = store::time_from_text("2026-02-13T10:00:00Z");
  {
    store::StoreOptions options;
    options.archive_dir = dir.path() / "archive";
    auto store = store::Store::open(database, options);
    ASSERT_TRUE(store) << store.error().message;
    const auto record =
        store.value().record_inbound({.bytes = raw, .message_id = kMessageId, .uidvalidity = 1, .uid = 1}, now);
    // Started as many times as a mail may be without finishing (ispd killed on it each time): it goes to a person.
    for (int attempt = 0; attempt < intake::kMaxIntakeAttempts; ++attempt) store.value().begin_intake(record.id);
    const auto given_up = intake::process_inbound(store.value(), record.id, raw, loaded.config, now);
    ASSERT_EQ(given_up.state, store::InboundState::attention) << given_up.reason;
  }

  test::RunOptions options;
  options.env = {"ISPD_NOW=2026-02-13T11:00:00Z"};
  const auto again = test::run_ispd({"reprocess", "--config", config_path.string(), kMessageId}, options);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("processed"), std::string::npos) << again.out;
  auto store = store::Store::open(database);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store.value().inbound_in_state(store::InboundState::processed).size(), 1U);
  EXPECT_EQ(store.value().list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13}).size(), 1U);
}

}  // namespace
}  // namespace ispd
