// A secret file others can read is refused, as OpenSSH refuses an unprotected private key: unless root owns it and
// ispd runs as another user, which is root granting ispd's user alone (root:ispd 0640, systemd's credentials).

#include "daemon/config/secrets.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr uid_t kRoot = 0;
constexpr uid_t kIspd = 998;
constexpr uid_t kSomeoneElse = 1000;

TEST(SecretFileMode, OnlyItsOwnerMayReadAFileIspdsOwnUserOwns) {
  for (const mode_t mode : {0600, 0400, 0700, 0200}) EXPECT_FALSE(open_to_others(mode, kIspd, kIspd)) << mode;
  for (const mode_t mode : {0640, 0604, 0644, 0660, 0620, 0602, 0610, 0601, 0666}) {
    EXPECT_TRUE(open_to_others(mode, kIspd, kIspd)) << mode;
    // The same for root's own file when ispd runs as root, and for a third user's file.
    EXPECT_TRUE(open_to_others(mode, kRoot, kRoot)) << mode;
    EXPECT_TRUE(open_to_others(mode, kSomeoneElse, kIspd)) << mode;
  }
}

TEST(SecretFileMode, RootMayGrantIspdsGroupButNotEveryone) {
  for (const mode_t mode : {0600, 0640, 0440, 0400, 0660}) EXPECT_FALSE(open_to_others(mode, kRoot, kIspd)) << mode;
  for (const mode_t mode : {0644, 0604, 0606, 0601}) EXPECT_TRUE(open_to_others(mode, kRoot, kIspd)) << mode;
}

class SecretFileTest : public ::testing::Test {
 protected:
  std::string secret_file(mode_t mode) {
    const auto path = dir.path() / "imap.secret";
    test::write_secret(path, "hunter2\n");
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path.string();
  }
  test::TempDir dir;
};

TEST_F(SecretFileTest, AFileOthersCanReadIsNamedWithItsModeAndNotRead) {
  const auto file = secret_file(0644);
  const auto problem = unprotected_secret_file(file, "[mailbox] password");
  ASSERT_TRUE(problem);
  EXPECT_TRUE(has(*problem, "[mailbox] password: the file " + file + " is open to others (mode 0644)")) << *problem;
  EXPECT_TRUE(has(*problem, "chmod 600 " + file)) << *problem;
  const auto read = read_secret(file, "", "[mailbox] password");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, *problem);
  EXPECT_FALSE(has(read.error().message, "hunter2"));
}

TEST_F(SecretFileTest, AFileOnlyItsOwnerCanReadIsRead) {
  for (const mode_t mode : {0600, 0400}) {
    const auto file = secret_file(mode);
    EXPECT_FALSE(unprotected_secret_file(file, "[mailbox] password")) << mode;
    const auto read = read_secret(file, "", "[mailbox] password");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(*read, "hunter2");
  }
}

TEST_F(SecretFileTest, EverySecretFileTheConfigNamesIsChecked) {
  config::Config config;
  config.mailbox.password_file = secret_file(0640);
  config.smtp.user = "isp@stockport.gov.uk";
  config.smtp.password_file = config.mailbox.password_file;
  config::OAuth2 oauth2;
  oauth2.client_secret_file = config.mailbox.password_file;
  config.oauth2 = oauth2;
  const auto problems = unprotected_secret_files(config);
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_TRUE(has(problems[0], "[mailbox] password: the file"));
  EXPECT_TRUE(has(problems[1], "[smtp] password: the file"));
  EXPECT_TRUE(has(problems[2], "[oauth2] client secret: the file"));
  ASSERT_EQ(::chmod(config.mailbox.password_file.c_str(), 0600), 0);
  EXPECT_TRUE(unprotected_secret_files(config).empty());
}

}  // namespace
}  // namespace ispd
