#include "daemon/jobs/mail_settings.hpp"

#include <chrono>
#include <utility>

#include "daemon/config/secrets.hpp"

namespace ispd {
namespace {

Result<std::string> mailbox_password(const config::Config& config) {
  return read_secret(config.mailbox.password_file, config.mailbox.password_env, "[mailbox] password");
}

Result<std::string> smtp_password(const config::Config& config) {
  return read_secret(config.smtp.password_file, config.smtp.password_env, "[smtp] password");
}

Result<std::string> client_secret(const config::OAuth2& section) {
  return read_secret(section.client_secret_file, section.client_secret_env, "[oauth2] client secret");
}

bool uses_oauth2(const config::Config& config) {
  return config.mailbox.auth == "xoauth2" || (!config.smtp.user.empty() && config.smtp.auth == "xoauth2");
}

}  // namespace

MailTokens::MailTokens(Clock clock) : clock_(std::move(clock)) {}

MailTokens::~MailTokens() = default;

Result<std::string> MailTokens::token(const config::Config& config) {
  if (!config.oauth2) return Error{"auth = \"xoauth2\" needs an [oauth2] section"};
  if (!client_ || section_ != config.oauth2) {
    auto secret = client_secret(*config.oauth2);
    if (!secret) return secret.error();
    mail::OAuth2Settings settings;
    settings.token_url = config.oauth2->token_url;
    settings.client_id = config.oauth2->client_id;
    settings.client_secret = std::move(secret).value();
    settings.scope = config.oauth2->scope;
    settings.ca_file = config.oauth2->ca_file;
    settings.timeout = std::chrono::seconds(config.oauth2->timeout_seconds);
    client_ = std::make_unique<mail::OAuth2Client>(std::move(settings));
    section_ = config.oauth2;
  }
  return client_->token(clock_());
}

void MailTokens::forget() {
  if (client_) client_->forget();
}

Result<Done> check_secrets(const config::Config& config) {
  if (config.mailbox.auth != "xoauth2") {
    if (auto password = mailbox_password(config); !password) return password.error();
  }
  if (!config.smtp.user.empty() && config.smtp.auth != "xoauth2") {
    if (auto password = smtp_password(config); !password) return password.error();
  }
  if (uses_oauth2(config)) {
    if (!config.oauth2) return Error{"auth = \"xoauth2\" needs an [oauth2] section"};
    if (auto secret = client_secret(*config.oauth2); !secret) return secret.error();
  }
  return Done{};
}

Result<mail::ImapSettings> imap_settings(const config::Config& config, MailTokens& tokens) {
  mail::ImapSettings settings;
  settings.url = config.mailbox.url;
  settings.user = config.mailbox.user;
  settings.ca_file = config.mailbox.ca_file;
  settings.timeout = std::chrono::seconds(config.mailbox.timeout_seconds);
  if (config.mailbox.auth == "xoauth2") {
    auto token = tokens.token(config);
    if (!token) return Error{"no OAuth2 token to sign in to the mailbox: " + token.error().message};
    settings.bearer_token = std::move(token).value();
  } else {
    auto password = mailbox_password(config);
    if (!password) return password.error();
    settings.password = std::move(password).value();
  }
  return settings;
}

Result<mail::SmtpSettings> smtp_settings(const config::Config& config, MailTokens& tokens) {
  mail::SmtpSettings settings;
  settings.url = config.smtp.url;
  settings.user = config.smtp.user;
  settings.ca_file = config.smtp.ca_file;
  settings.timeout = std::chrono::seconds(config.smtp.timeout_seconds);
  // A password or a token is sent only over TLS, even to this machine.
  settings.starttls_on_loopback = !config.smtp.user.empty();
  if (config.smtp.user.empty()) return settings;
  if (config.smtp.auth == "xoauth2") {
    auto token = tokens.token(config);
    if (!token) return Error{"no OAuth2 token to sign in to the SMTP server: " + token.error().message};
    settings.bearer_token = std::move(token).value();
  } else {
    auto password = smtp_password(config);
    if (!password) return password.error();
    settings.password = std::move(password).value();
  }
  return settings;
}

}  // namespace ispd
