// The command line is a contract: exit codes and what goes to stdout/stderr.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/docx_builder.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

std::filesystem::path temp_file(const std::string& name, const std::string& bytes) {
  const auto dir = std::filesystem::temp_directory_path() / ("ispd-cli-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Cli, ParsePrintsJsonAndExitsZero) {
  const auto path = test::data_path("forms/internal-new-notification.docx");
  const auto result = test::run_ispd({"parse", path.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json, nlohmann::json::parse(test::read_file(test::data_path("forms/internal-new-notification.json"))));
}

TEST(Cli, CheckOnACompleteFormExitsZero) {
  const auto result = test::run_ispd({"check", test::data_path("forms/internal-new-notification.docx").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(Cli, CheckOnTheBlankFormListsProblemsAndExitsOne) {
  const auto result = test::run_ispd({"check", test::data_path("forms/blank-2026.docx").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("Section 2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Section 12"), std::string::npos) << result.out;
}

// 23:30 UTC on 30 June is 00:30 on 1 July in England (BST): a form checked then was received on 1 July, so a
// review date of 1 October is within three months; an hour earlier it is still 30 June and 1 October is too late.
TEST(Cli, CheckCountsTheReviewDateFromTheDayInEngland) {
  const auto path = temp_file("undated.docx", test::undated_example_docx(test::ymd(2026, 10, 1)));
  test::RunOptions first_of_july;
  first_of_july.env = {"ISPD_NOW=2026-06-30T23:30:00Z"};
  const auto in_time = test::run_ispd({"check", path.string()}, first_of_july);
  EXPECT_EQ(in_time.exit_code, 0) << in_time.out << in_time.err;

  test::RunOptions thirtieth_of_june;
  thirtieth_of_june.env = {"ISPD_NOW=2026-06-30T22:30:00Z"};
  const auto too_late = test::run_ispd({"check", path.string()}, thirtieth_of_june);
  EXPECT_EQ(too_late.exit_code, 1) << too_late.out << too_late.err;
  EXPECT_NE(too_late.out.find("the review date 01/10/2026 is more than 3 months after the date the form was "
                              "received, 30/06/2026"),
            std::string::npos)
      << too_late.out;
}

TEST(Cli, UnreadableFileExitsTwoWithOneLineNamingTheFile) {
  const auto path = temp_file("notes.pdf", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
  for (const char* command : {"parse", "check"}) {
    const auto result = test::run_ispd({command, path.string()});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_TRUE(result.out.empty()) << result.out;
    ASSERT_FALSE(result.err.empty());
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
    EXPECT_EQ(result.err.rfind(path.string() + ": ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find("PDF"), std::string::npos) << result.err;
  }
}

TEST(Cli, MissingFileExitsTwo) {
  const auto result = test::run_ispd({"parse", "/nonexistent/form.docx"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("/nonexistent/form.docx: "), std::string::npos) << result.err;
}

TEST(Cli, WordFileThatIsNotAnIspFormExitsTwo) {
  const auto path = temp_file(
      "letter.docx", test::make_docx("<w:p><w:r><w:t>Dear colleague, please find attached.</w:t></w:r></w:p>"));
  const auto result = test::run_ispd({"parse", path.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("ISP notification form"), std::string::npos) << result.err;
}

TEST(Cli, CommandLineItCannotTakeExitsTwo) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"bogus"}, {"run"}, {"parse"}, {"parse", "a.docx", "b.docx"}, {"list", "--config", "x", "--zzz"}}) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    const auto result = test::run_ispd(args);
    EXPECT_EQ(result.exit_code, 2) << line << result.err;
    EXPECT_FALSE(result.err.empty()) << line;
  }
  EXPECT_EQ(test::run_ispd({"--help"}).exit_code, 0);
  EXPECT_EQ(test::run_ispd({"run", "--help"}).exit_code, 0);
}

TEST(Cli, CheckConfigAcceptsTheExampleConfig) {
  const auto result =
      test::run_ispd({"check-config", "--config", std::string(ISPD_SOURCE_DIR) + "/deploy/ispd.example.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(Cli, CheckConfigNamesEachBadLineAndExitsOne) {
  const auto path = temp_file("ispd.toml", "[mailbox]\npol_seconds = 3\n");
  const auto result = test::run_ispd({"check-config", "--config", path.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path.string() + ":2: unknown key \"pol_seconds\" in [mailbox]"), std::string::npos)
      << result.err;
}

// The example config with its [mailbox] password in a file of this mode, its database and archive in `dir`.
std::filesystem::path config_with_password_file(const std::filesystem::path& dir, std::filesystem::perms mode) {
  std::filesystem::create_directories(dir);
  const auto secret = dir / "imap.secret";
  test::write_secret(secret, "hunter2\n");
  std::filesystem::permissions(secret, mode);
  std::string toml = test::read_file(std::string(ISPD_SOURCE_DIR) + "/deploy/ispd.example.toml");
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"/etc/ispd/imap.secret", secret.string()},
                                                        {"/etc/ispd/smtp.secret", secret.string()},
                                                        {"/var/lib/ispd/ispd.sqlite", (dir / "ispd.sqlite").string()},
                                                        {"/var/lib/ispd/archive", (dir / "archive").string()}}) {
    const auto at = toml.find(from);
    if (at == std::string::npos) throw std::runtime_error("the example config no longer holds " + from);
    toml.replace(at, from.size(), to);
  }
  auto config = dir / "ispd.toml";
  std::ofstream(config) << toml;
  return config;
}

// As OpenSSH says of an unprotected private key: the file, its mode, and what to do.
TEST(Cli, CheckConfigWarnsOfAPasswordFileOthersCanReadAndRunRefusesIt) {
  using std::filesystem::perms;
  const auto dir = temp_file("unprotected/x", "").parent_path();
  const auto config =
      config_with_password_file(dir, perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
  const std::string secret = (dir / "imap.secret").string();
  const std::string warning = "[mailbox] password: the file " + secret + " is open to others (mode 0644)";

  const auto checked = test::run_ispd({"check-config", "--config", config.string()});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.err.find("warning: " + warning), std::string::npos) << checked.err;
  EXPECT_NE(checked.err.find("chmod 600 " + secret), std::string::npos) << checked.err;

  const auto run = test::run_ispd({"run", "--once", "--config", config.string()});
  EXPECT_EQ(run.exit_code, 78) << run.err;
  EXPECT_NE(run.err.find(warning), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("hunter2"), std::string::npos) << run.err;
  // Refused before anything was opened.
  EXPECT_FALSE(std::filesystem::exists(dir / "ispd.sqlite"));

  std::filesystem::permissions(dir / "imap.secret", perms::owner_read | perms::owner_write);
  const auto fixed = test::run_ispd({"check-config", "--config", config.string()});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(fixed.err.find("open to others"), std::string::npos) << fixed.err;
}

TEST(Cli, HelpIsOfferedOnEveryCommand) {
  for (const char* command : {"parse", "check"}) {
    const auto result = test::run_ispd({command, "--help"});
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_NE(result.out.find("FORM"), std::string::npos) << result.out;
  }
}

}  // namespace
}  // namespace ispd
