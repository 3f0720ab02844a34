// `ispd list` and `ispd show` read the log as of the day in England, as the chasers do.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

class LogCommandsTest : public ::testing::Test {
 protected:
  LogCommandsTest() {
    std::string toml = test::read_file(std::filesystem::path(ISPD_SOURCE_DIR) / "deploy/ispd.example.toml");
    const auto replace = [&](const std::string& from, const std::string& to) {
      const auto at = toml.find(from);
      if (at == std::string::npos) throw std::runtime_error("the example config no longer holds " + from);
      toml.replace(at, from.size(), to);
    };
    replace("/var/lib/ispd/ispd.sqlite", (dir.path() / "ispd.sqlite").string());
    replace("/var/lib/ispd/archive", (dir.path() / "archive").string());
    std::ofstream(config) << toml;
  }

  // One notification logged on 1 April 2026 with this review date.
  void log_reviewed_on(Date review) {
    auto opened = store::Store::open(dir.path() / "ispd.sqlite");
    if (!opened) throw std::runtime_error(opened.error().message);
    Form form = test::complete_issue_form();
    form.issuing_agency.review_date = review;
    opened.value().transaction(store::time_from_text("2026-04-01T09:00:00Z"), [&](store::Tx& tx) {
      (void)tx.log_notification(
          {.form = form, .agency = "Bolton Council", .actor = "commissioning.qa@bolton.gov.uk", .detail = {}});
    });
  }

  // The status `ispd list --json` and `ispd show --json` give the notification at `now`.
  std::pair<std::string, std::string> statuses_at(const std::string& now) const {
    test::RunOptions options;
    options.env = {"ISPD_NOW=" + now};
    const auto listed = test::run_ispd({"list", "--config", config.string(), "--json"}, options);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    const auto shown = test::run_ispd({"show", "--config", config.string(), "--json", "ISP-2026-0001"}, options);
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    const auto list = nlohmann::json::parse(listed.out);
    if (list.size() != 1) throw std::runtime_error("expected one notification: " + listed.out);
    return {list.at(0).at("status").get<std::string>(),
            nlohmann::json::parse(shown.out).at("status").get<std::string>()};
  }

  test::TempDir dir;
  std::filesystem::path config = dir.path() / "ispd.toml";
};

// A review date of 30 June is overdue from 1 July in England, which begins at 23:00 UTC on 30 June (BST).
TEST_F(LogCommandsTest, ANotificationIsOverdueFromTheDayAfterItsReviewDateInEngland) {
  log_reviewed_on(test::ymd(2026, 6, 30));
  using Statuses = std::pair<std::string, std::string>;
  EXPECT_EQ(statuses_at("2026-06-30T22:30:00Z"), Statuses("open", "open"));
  EXPECT_EQ(statuses_at("2026-06-30T23:30:00Z"), Statuses("overdue", "overdue"));
}

}  // namespace
}  // namespace ispd
