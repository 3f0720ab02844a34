// The Redactor keeps a login's secrets out of a message in every form a server may echo them.

#include "mail/curl_session.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/mail/login_secrets.hpp"

namespace ispd::mail::detail {
namespace {

namespace login = ispd::test::login;

Redactor password_login() { return Redactor::for_login(login::kUser, login::kPassword, {}); }
Redactor token_login() { return Redactor::for_login(login::kUser, {}, login::kToken); }

void expect_no_secret(const std::string& text) {
  for (auto form : login::kEverySecretForm) {
    EXPECT_EQ(text.find(form), std::string::npos) << "\"" << form << "\" is in: " << text;
  }
}

TEST(Redactor, HidesThePasswordAsItselfAndAsAnImapQuotedString) {
  const auto redacted = password_login();
  const std::string said = "NO LOGIN " + std::string(login::kUser) + " \"" + std::string(login::kPasswordQuoted) +
                           "\" refused; you sent " + std::string(login::kPassword);
  const auto out = redacted(said);
  expect_no_secret(out);
  EXPECT_EQ(out, "NO LOGIN isp-user \"[redacted]\" refused; you sent [redacted]");
}

TEST(Redactor, HidesEverySaslEncodingOfThePasswordPaddedOrNot) {
  const auto redacted = password_login();
  for (auto form : {login::kPlain, login::kPlainWithAuthzid, login::kPasswordBase64, login::kPasswordBase64Unpadded}) {
    const std::string said = "NO [AUTHENTICATIONFAILED] AUTHENTICATE PLAIN " + std::string(form) + " failed";
    const auto out = redacted(said);
    expect_no_secret(out);
    EXPECT_EQ(out, "NO [AUTHENTICATIONFAILED] AUTHENTICATE PLAIN [redacted] failed") << form;
  }
}

TEST(Redactor, LeavesTheUserAndOrdinaryWordsAlone) {
  const auto redacted = password_login();
  const std::string said = "NO [AUTHENTICATIONFAILED] Authentication failed for " + std::string(login::kUser) + " (" +
                           std::string(login::kUserBase64) + ") at imap://127.0.0.1:143/INBOX";
  EXPECT_EQ(redacted(said), said);
}

TEST(Redactor, HidesTheTokenAndItsXoauth2StringEvenCutShort) {
  const auto redacted = token_login();
  for (auto form : {login::kToken, login::kXoauth2, login::kXoauth2Unpadded, login::kXoauth2TokenPart}) {
    const std::string said = "535 5.7.8 Invalid credentials: " + std::string(form);
    const auto out = redacted(said);
    expect_no_secret(out);
    EXPECT_EQ(out, "535 5.7.8 Invalid credentials: [redacted]") << form;
  }
}

TEST(Redactor, WithNoSecretChangesNothing) {
  const auto redacted = Redactor::for_login(login::kUser, {}, {});
  const std::string said = std::string("NO ") + std::string(login::kPlain);
  EXPECT_EQ(redacted(said), said);
}

}  // namespace
}  // namespace ispd::mail::detail
