// The mailbox's and the SMTP server's settings from the config: a password read from its file, or a token.

#include "daemon/jobs/mail_settings.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class MailSettingsTest : public ::testing::Test {
 protected:
  MailSettingsTest() {
    test::write_secret(dir.path() / "imap.secret", "imap-password\n");
    test::write_secret(dir.path() / "smtp.secret", "smtp-password\r\n");
    test::write_secret(dir.path() / "oauth2.secret", "client-secret\n");
    config.mailbox.url = "imaps://outlook.office365.com/INBOX";
    config.mailbox.user = "placementsnorthwest@stockport.gov.uk";
    config.mailbox.password_file = (dir.path() / "imap.secret").string();
    config.mailbox.ca_file = "/etc/ssl/ca.pem";
    config.mailbox.timeout_seconds = 20;
    config.smtp.url = "smtp://smtp.office365.com:587";
    config.smtp.user = "placementsnorthwest@stockport.gov.uk";
    config.smtp.password_file = (dir.path() / "smtp.secret").string();
    config.smtp.timeout_seconds = 25;
  }

  // Both sections signing in with a token from a token endpoint that is not there.
  void use_xoauth2() {
    config.mailbox.auth = config.smtp.auth = "xoauth2";
    config.mailbox.password_file.clear();
    config.smtp.password_file.clear();
    config::OAuth2 oauth2;
    oauth2.token_url = "http://127.0.0.1:1/token";
    oauth2.client_id = "6f1c2a9e";
    oauth2.client_secret_file = (dir.path() / "oauth2.secret").string();
    oauth2.timeout_seconds = 5;
    config.oauth2 = oauth2;
  }

  test::TempDir dir;
  config::Config config;
  MailTokens tokens;
};

TEST_F(MailSettingsTest, PasswordsAreReadFromTheirFiles) {
  ASSERT_TRUE(check_secrets(config));
  const auto imap = imap_settings(config, tokens);
  ASSERT_TRUE(imap) << imap.error().message;
  EXPECT_EQ(imap->url, config.mailbox.url);
  EXPECT_EQ(imap->user, config.mailbox.user);
  EXPECT_EQ(imap->password, "imap-password");
  EXPECT_TRUE(imap->bearer_token.empty());
  EXPECT_EQ(imap->ca_file, "/etc/ssl/ca.pem");
  EXPECT_EQ(imap->timeout, std::chrono::seconds(20));
  const auto smtp = smtp_settings(config, tokens);
  ASSERT_TRUE(smtp) << smtp.error().message;
  EXPECT_EQ(smtp->password, "smtp-password");
  EXPECT_EQ(smtp->timeout, std::chrono::seconds(25));
  EXPECT_TRUE(smtp->starttls_on_loopback);
}

TEST_F(MailSettingsTest, SmtpWithoutAUserSendsWithoutAuth) {
  config.smtp.user.clear();
  config.smtp.password_file = "/nonexistent";
  ASSERT_TRUE(check_secrets(config));
  const auto smtp = smtp_settings(config, tokens);
  ASSERT_TRUE(smtp) << smtp.error().message;
  EXPECT_TRUE(smtp->password.empty());
  EXPECT_FALSE(smtp->starttls_on_loopback);
}

TEST_F(MailSettingsTest, AnUnreadableSecretNamesItsSection) {
  config.smtp.password_file = (dir.path() / "missing.secret").string();
  const auto checked = check_secrets(config);
  ASSERT_FALSE(checked);
  EXPECT_TRUE(has(checked.error().message, "[smtp] password: cannot read the password file"))
      << checked.error().message;
  use_xoauth2();
  config.oauth2->client_secret_file = (dir.path() / "missing.secret").string();
  const auto client = check_secrets(config);
  ASSERT_FALSE(client);
  EXPECT_TRUE(has(client.error().message, "[oauth2] client secret")) << client.error().message;
}

TEST_F(MailSettingsTest, Xoauth2AsksTheTokenEndpointAndSaysSoWhenItCannot) {
  use_xoauth2();
  ASSERT_TRUE(check_secrets(config));
  const auto imap = imap_settings(config, tokens);
  ASSERT_FALSE(imap);
  EXPECT_TRUE(has(imap.error().message,
                  "no OAuth2 token to sign in to the mailbox: could not reach the token endpoint "
                  "http://127.0.0.1:1/token"))
      << imap.error().message;
  EXPECT_FALSE(has(imap.error().message, "client-secret"));
  const auto smtp = smtp_settings(config, tokens);
  ASSERT_FALSE(smtp);
  EXPECT_TRUE(has(smtp.error().message, "no OAuth2 token to sign in to the SMTP server")) << smtp.error().message;
}

}  // namespace
}  // namespace ispd
