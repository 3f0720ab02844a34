// Signing in with XOAUTH2, as Microsoft 365 asks, against the loopback stack's
// Dovecot and Postfix ports that offer XOAUTH2 alone, each token checked by
// Dovecot's oauth2 passdb through token introspection at the stack's OAuth2
// server; and `ispd run --once` with auth = "xoauth2", its token fetched from
// that server with the client-credentials grant.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "mail/imap.hpp"
#include "mail/oauth2.hpp"
#include "mail/smtp.hpp"
#include "tests/integration/mail_stack.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The words after "AUTH=" in an IMAP capability line, or after "AUTH" in an EHLO line.
std::vector<std::string> mechanisms(const std::string& line, bool imap) {
  std::vector<std::string> out;
  std::istringstream words(line);
  std::string word;
  bool after_auth = false;
  while (words >> word) {
    while (!word.empty() && word.back() == ']') word.pop_back();
    if (imap && word.starts_with("AUTH=")) out.push_back(word.substr(5));
    if (!imap && after_auth) out.push_back(word);
    if (!imap && (word == "250-AUTH" || word == "250 AUTH")) after_auth = true;
  }
  return out;
}

// What an IMAP port says to CAPABILITY before any login, over a plain socket.
std::string imap_capability(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    return {};
  }
  const std::string command = "a1 CAPABILITY\r\n";
  ::send(fd, command.data(), command.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[4096];
  while (!has(reply, "a1 OK") && !has(reply, "a1 BAD") && reply.size() < 65536) {
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, 10000) <= 0) break;
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  std::istringstream lines(reply);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("* CAPABILITY")) return line;
  }
  return {};
}

std::size_t keep_line(char* data, std::size_t size, std::size_t count, void* lines) {
  static_cast<std::vector<std::string>*>(lines)->emplace_back(data, size * count);
  return size * count;
}

// Every line an SMTP port says up to a NOOP, with STARTTLS but no login.
std::vector<std::string> smtp_conversation(int port) {
  std::vector<std::string> lines;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  const std::string url = "smtp://127.0.0.1:" + std::to_string(port);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(curl.get(), CURLOPT_CAINFO, MailStack::get().ca_file.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "NOOP");
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, &keep_line);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &lines);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  const CURLcode code = curl_easy_perform(curl.get());
  EXPECT_EQ(code, CURLE_OK) << curl_easy_strerror(code);
  return lines;
}

// The mechanisms of the last EHLO reply: the one after STARTTLS.
std::vector<std::string> smtp_mechanisms_after_starttls(int port) {
  std::vector<std::string> found;
  bool after_tls = false;
  for (const auto& line : smtp_conversation(port)) {
    if (line.starts_with("220 2.0.0")) after_tls = true;
    if (after_tls && (line.starts_with("250-AUTH ") || line.starts_with("250 AUTH "))) found = mechanisms(line, false);
  }
  return found;
}

std::string notice(const std::string& subject, const std::string& to) {
  return "From: nwadcs@nwadcs.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject +
         "@nwadcs.test>\r\n\r\nA notice.\r\n";
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Oauth2SignIn, XoauthPortsOfferXoauth2AndNothingElse) {
  const auto& stack = MailStack::get();
  ASSERT_NE(stack.xoauth2_imap_port, 0) << "the mail stack was started without its XOAUTH2 ports";
  // libcurl would take OAUTHBEARER, or PLAIN, if they were offered as well.
  const std::string imap = imap_capability(stack.xoauth2_imap_port);
  EXPECT_EQ(mechanisms(imap, true), std::vector<std::string>{"XOAUTH2"}) << imap;
  EXPECT_EQ(smtp_mechanisms_after_starttls(stack.xoauth2_submission_port), std::vector<std::string>{"XOAUTH2"});
  // The password ports stay as they were.
  const std::string plain = imap_capability(stack.imap_port);
  EXPECT_EQ(mechanisms(plain, true), (std::vector<std::string>{"PLAIN", "LOGIN"})) << plain;
  EXPECT_EQ(smtp_mechanisms_after_starttls(stack.submission_port), (std::vector<std::string>{"PLAIN", "LOGIN"}));
}

TEST(Oauth2SignIn, ImapLoginWithXoauth2ListsTheInbox) {
  const auto& stack = MailStack::get();
  const std::string user = stack.unique_user("isp");
  {
    auto mailbox = mail::ImapMailbox::connect(stack.imap(user));
    ASSERT_TRUE(mailbox) << mailbox.error().message;
    ASSERT_TRUE((*mailbox)->append("INBOX", notice("oauth2-imap", user)));
  }
  auto mailbox = mail::ImapMailbox::connect(stack.imap_xoauth2(user, stack.add_token(user)));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  const auto listed = (*mailbox)->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1U);
  const auto raw = (*mailbox)->fetch(listed->front().uid, 1 << 20);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_TRUE(has(*raw, "Subject: oauth2-imap"));
  // Dovecot says how it let the user in.
  EXPECT_TRUE(has(file_text(stack.dir / "log" / "dovecot-oauth2.log"), "Login: user=<" + user + ">, method=XOAUTH2"));
}

TEST(Oauth2SignIn, WrongTokenIsRefusedWithAClearErrorWithoutTheToken) {
  const auto& stack = MailStack::get();
  const std::string user = stack.unique_user("isp");
  const std::string other = stack.unique_user("isp");
  const std::string wrong = "not-a-token-the-server-knows-4711";
  const std::string base = "imap://127.0.0.1:" + std::to_string(stack.xoauth2_imap_port);
  const std::string refused_words = "the server " + base + " refused the OAuth2 token for " + user;
  // A token no one issued, and one issued for another mailbox.
  for (const auto& token : {wrong, stack.add_token(other)}) {
    const auto refused = mail::ImapMailbox::connect(stack.imap_xoauth2(user, token));
    ASSERT_FALSE(refused);
    const auto& message = refused.error().message;
    EXPECT_TRUE(has(message, refused_words)) << message;
    EXPECT_FALSE(has(message, token)) << message;
  }
  const auto smtp = mail::SmtpTransport::connect(stack.submission_xoauth2(user, wrong));
  ASSERT_FALSE(smtp);
  EXPECT_TRUE(has(smtp.error().message, "refused the OAuth2 token for " + user)) << smtp.error().message;
  EXPECT_FALSE(has(smtp.error().message, wrong)) << smtp.error().message;
}

TEST(Oauth2SignIn, ServersThatDoNotOfferTheOtherWayAreClearErrors) {
  const auto& stack = MailStack::get();
  const std::string user = stack.unique_user("isp");
  const std::string token = stack.add_token(user);
  // A token where only passwords are taken.
  auto password_port = stack.imap(user);
  password_port.password.clear();
  password_port.bearer_token = token;
  const auto no_xoauth2 = mail::ImapMailbox::connect(password_port);
  ASSERT_FALSE(no_xoauth2);
  EXPECT_TRUE(has(no_xoauth2.error().message, "does not offer XOAUTH2")) << no_xoauth2.error().message;
  auto submission = stack.submission(user);
  submission.password.clear();
  submission.bearer_token = token;
  const auto no_smtp_xoauth2 = mail::SmtpTransport::connect(submission);
  ASSERT_FALSE(no_smtp_xoauth2);
  EXPECT_TRUE(has(no_smtp_xoauth2.error().message, "does not offer XOAUTH2")) << no_smtp_xoauth2.error().message;
  // A password where only tokens are taken.
  auto token_port = stack.imap_xoauth2(user, "");
  token_port.password = stack.password;
  const auto no_password = mail::ImapMailbox::connect(token_port);
  ASSERT_FALSE(no_password);
  EXPECT_TRUE(has(no_password.error().message, "refused the login for " + user)) << no_password.error().message;
}

TEST(Oauth2SignIn, SmtpWithXoauth2DeliversAMail) {
  const auto& stack = MailStack::get();
  const std::string sender = stack.unique_user("isp");
  const std::string recipient = stack.unique_user("partner", "bolton.gov.uk");
  auto transport = mail::SmtpTransport::connect(stack.submission_xoauth2(sender, stack.add_token(sender)));
  ASSERT_TRUE(transport) << transport.error().message;
  const auto sent = (*transport)->send(sender, recipient, notice("oauth2-smtp", recipient));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->outcome, mail::Delivery::accepted) << sent->code << " " << sent->reply;
  stack.wait_until_delivered();
  const auto mails = stack.inbox(recipient);
  ASSERT_EQ(mails.size(), 1U);
  EXPECT_TRUE(has(mails.front(), "Subject: oauth2-smtp"));
  EXPECT_TRUE(has(file_text(stack.dir / "log" / "postfix.log"), "sasl_method=XOAUTH2, sasl_username=" + sender));
}

TEST(Oauth2SignIn, TokenFromTheClientCredentialsGrantSignsIn) {
  const auto& stack = MailStack::get();
  const std::string user = stack.unique_user("isp");
  const std::string client = "client-" + user;
  stack.add_client(client, "the-client-secret", user);
  mail::OAuth2Settings settings;
  settings.token_url = stack.token_url();
  settings.client_id = client;
  settings.client_secret = "the-client-secret";
  mail::OAuth2Client tokens(settings);
  const auto token = tokens.token(mail::TokenClock::now());
  ASSERT_TRUE(token) << token.error().message;
  auto mailbox = mail::ImapMailbox::connect(stack.imap_xoauth2(user, *token));
  ASSERT_TRUE(mailbox) << mailbox.error().message;

  settings.client_secret = "a-wrong-secret";
  const auto refused = mail::fetch_token(settings, mail::TokenClock::now());
  ASSERT_FALSE(refused);
  EXPECT_TRUE(has(refused.error().message,
                  "the token endpoint " + stack.token_url() + " refused OAuth2 client " + client + ": invalid_client"))
      << refused.error().message;
  EXPECT_FALSE(has(refused.error().message, "a-wrong-secret")) << refused.error().message;
}

// ispd signs in to both servers with one token of its [oauth2] client, and reads and answers a council's form.
TEST(Oauth2SignIn, RunOnceWithXoauth2ReadsTheMailboxAndSendsItsMails) {
  const auto& stack = MailStack::get();
  Site site;
  TempDir secrets;
  const std::string client = "ispd-" + site.mailbox_user();
  const std::string secret = "client-secret-" + std::to_string(::getpid());
  stack.add_client(client, secret, site.mailbox_user());
  write_secret(secrets.path() / "oauth2.secret", secret + "\n");
  const std::string xoauth2_imap = "\"imap://127.0.0.1:" + std::to_string(stack.xoauth2_imap_port) + "/INBOX\"";
  const std::string xoauth2_smtp = "\"smtp://127.0.0.1:" + std::to_string(stack.xoauth2_submission_port) + "\"";
  site.set_smtp({{"url", xoauth2_smtp},
                 {"user", "\"" + site.mailbox_user() + "\""},
                 {"auth", "\"xoauth2\""},
                 {"password_file", ""},
                 {"ca_file", "\"" + stack.ca_file + "\""},
                 {"from", "\"Placements North West <" + site.mailbox_user() + ">\""},
                 {"timeout_seconds", "10"}});
  site.write_config({{"url", xoauth2_imap}, {"auth", "\"xoauth2\""}, {"password_file", ""}});
  std::ofstream(site.config(), std::ios::app)
      << "[oauth2]\ntoken_url = \"" << stack.token_url() << "\"\nclient_id = \"" << client
      << "\"\nclient_secret_file = \"" << (secrets.path() / "oauth2.secret").string() << "\"\n";
  const auto checked = site.ispd({"check-config"});
  ASSERT_EQ(checked.exit_code, 0) << checked.out << checked.err;

  const std::string sender = stack.unique_user("officer", "bolton.gov.uk");
  site.deliver({council_mail(sender, "ISP notification - Brookvale Care Ltd", "oauth2-run-1@bolton.gov.uk",
                             read_file(data_path("forms/internal-new-notification.docx")))});
  const auto ran = site.run_once();
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_TRUE(has(ran.out, "1 mail in the inbox: 1 processed")) << ran.out;
  EXPECT_TRUE(has(ran.out, "3 mails sent")) << ran.out;
  EXPECT_FALSE(has(ran.out + ran.err, secret));
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.count("ISP/Processed"), 1U);
  stack.wait_until_delivered();
  const auto acknowledged = stack.inbox(sender);
  ASSERT_EQ(acknowledged.size(), 1U);
  EXPECT_TRUE(has(acknowledged.front(), "[ISP-2026-0001]"));

  // One token for both servers, asked for once, and each server let ispd in with XOAUTH2.
  const auto oauth2_log = file_text(stack.dir / "log" / "oauth2.log");
  std::size_t issued = 0;
  for (auto at = oauth2_log.find("token: issued to client '" + client + "'"); at != std::string::npos;
       at = oauth2_log.find("token: issued to client '" + client + "'", at + 1)) {
    ++issued;
  }
  EXPECT_EQ(issued, 1U) << oauth2_log;
  EXPECT_TRUE(has(file_text(stack.dir / "log" / "dovecot-oauth2.log"),
                  "Login: user=<" + site.mailbox_user() + ">, method=XOAUTH2"));
  EXPECT_TRUE(
      has(file_text(stack.dir / "log" / "postfix.log"), "sasl_method=XOAUTH2, sasl_username=" + site.mailbox_user()));

  // A client whose secret is wrong cannot sign in, and nothing is lost: the mailbox is said to be unusable.
  write_secret(secrets.path() / "oauth2.secret", "a-wrong-secret\n");
  site.deliver({council_mail(sender, "ISP notification - Brookvale Care Ltd", "oauth2-run-2@bolton.gov.uk",
                             read_file(data_path("forms/internal-new-notification.docx")))});
  const auto refused = site.run_once();
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_TRUE(has(refused.err, "refused OAuth2 client " + client + ": invalid_client")) << refused.err;
  EXPECT_FALSE(has(refused.out + refused.err, "a-wrong-secret"));
  EXPECT_EQ(site.count("INBOX"), 1U);
}

}  // namespace
}  // namespace ispd::test
