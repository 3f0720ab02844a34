// `ispd export`: a config with a real database file, end to end.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/spreadsheet_support.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

namespace fs = std::filesystem;

// A site: its config, and a database file holding the five notifications of log_five().
class ExportCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = dir_.path() / "ispd.sqlite";
    config_ = dir_.path() / "ispd.toml";
    std::ofstream(config_) << "[mailbox]\n"
                              "url = \"imaps://imap.example.gov.uk/INBOX\"\n"
                              "user = \"isp@example.gov.uk\"\n"
                              "password_env = \"ISPD_TEST_UNUSED\"\n"
                              "[smtp]\n"
                              "url = \"smtps://smtp.example.gov.uk\"\n"
                              "from = \"Placements North West <isp@example.gov.uk>\"\n"
                              "[store]\n"
                              "database = \""
                           << database_.string() << "\"\n"
                           << "archive_dir = \"" << (dir_.path() / "archive").string() << "\"\n"
                           << "[nwadcs]\n"
                              "address = \"nwadcs@example.gov.uk\"\n"
                              "[[authority]]\n"
                              "name = \"Bolton Council\"\n"
                              "domains = [\"bolton.gov.uk\"]\n";
    auto store = store::Store::open(database_);
    ASSERT_TRUE(store) << store.error().message;
    test::log_five(store.value());
  }

  std::string out(const std::string& name) const { return (dir_.path() / name).string(); }

  test::TempDir dir_;
  fs::path database_;
  fs::path config_;
};

TEST_F(ExportCommand, WritesTheMonthAndSaysWhereAndHowManyRows) {
  const auto path = out("isp-2026-05.xlsx");
  const auto result = test::run_ispd({"export", "--config", config_.string(), "--month", "2026-05", "--out", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, path + ": 3 notifications for May 2026\n");
  EXPECT_TRUE(fs::is_regular_file(path));
}

TEST_F(ExportCommand, DefaultsToTheMonthBeforeToday) {
  const auto path = out("last-month.xlsx");
  test::RunOptions on_the_first;
  on_the_first.env = {"ISPD_NOW=2026-06-01T08:00:00Z"};
  const auto result = test::run_ispd({"export", "--config", config_.string(), "--out", path}, on_the_first);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, path + ": 3 notifications for May 2026\n");
  // And the sheet opens, with its heading and those three rows.
  std::string why;
  const auto csv = test::libreoffice_csv(path, why);
  ASSERT_FALSE(csv.empty()) << why;
  const auto table = test::parse_csv(csv);
  ASSERT_EQ(table.size(), 4u) << csv;
  EXPECT_EQ(table[0][0], "Reference");
  EXPECT_EQ(table[1][0], "ISP-2026-0002");
  EXPECT_EQ(table[3][0], "ISP-2026-0004");
}

TEST_F(ExportCommand, AMonthWithNothingOpenIsAnEmptySheet) {
  const auto path = out("isp-2025-12.xlsx");
  const auto result = test::run_ispd({"export", "--config", config_.string(), "--month", "2025-12", "--out", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, path + ": 0 notifications for December 2025\n");
}

TEST_F(ExportCommand, RefusesABadMonthWithExitTwoAndWritesNothing) {
  for (const char* month : {"2026-13", "May", "2026-5", "2026-05-01"}) {
    const auto path = out("bad.xlsx");
    const auto result = test::run_ispd({"export", "--config", config_.string(), "--month", month, "--out", path});
    EXPECT_EQ(result.exit_code, 2) << month;
    EXPECT_NE(result.err.find(std::string("--month \"") + month + "\" is not a month"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("2026-05"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(path));
  }
}

TEST_F(ExportCommand, RefusesAMissingDatabaseRatherThanMakeAnEmptyOne) {
  fs::remove(database_);
  const auto result =
      test::run_ispd({"export", "--config", config_.string(), "--month", "2026-05", "--out", out("x.xlsx")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("does not exist"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(database_));
}

TEST_F(ExportCommand, RefusesAnOutputFolderThatIsNotThere) {
  const auto result =
      test::run_ispd({"export", "--config", config_.string(), "--month", "2026-05", "--out", out("nowhere/x.xlsx")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot write"), std::string::npos) << result.err;
}

TEST_F(ExportCommand, NeedsConfigAndOut) {
  EXPECT_NE(test::run_ispd({"export", "--out", out("x.xlsx")}).exit_code, 0);
  EXPECT_NE(test::run_ispd({"export", "--config", config_.string()}).exit_code, 0);
  const auto help = test::run_ispd({"export", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--month"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace ispd
