// SmtpTransport against the real Postfix of the loopback mail stack, and
// against a small local server that offers no STARTTLS.

#include "mail/smtp.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mail/imap.hpp"
#include "tests/integration/mail_stack.hpp"
#include "tests/mail/login_secrets.hpp"

namespace ispd::mail {
namespace {

using test::non_loopback_address;

using test::MailStack;

std::string notice(const std::string& subject, const std::string& to) {
  return "From: nwadcs@nwadcs.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject +
         "@nwadcs.test>\r\n\r\nA notice.\r\n.\r\nThe line above is a lone dot.\r\n";
}

std::unique_ptr<SmtpTransport> connect_ok(const SmtpSettings& settings) {
  auto transport = SmtpTransport::connect(settings);
  if (!transport) {
    ADD_FAILURE() << "connect: " << transport.error().message;
    return nullptr;
  }
  return std::move(transport).value();
}

std::string error_of(const Result<std::unique_ptr<SmtpTransport>>& result) {
  return result.ok() ? std::string("(connected)") : result.error().message;
}

void expect_accepted(const Result<DeliveryResult>& result) {
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->outcome, Delivery::accepted) << result->code << " " << result->reply;
  EXPECT_EQ(result->code, 250) << result->reply;
}

// Waits for Postfix to hand the mail to Dovecot, and returns the first message in the user's inbox;
// nullopt if nothing came within a generous while.
std::optional<std::string> wait_for_mail(const std::string& user) {
  auto mailbox = ImapMailbox::connect(MailStack::get().imap(user));
  if (!mailbox) {
    ADD_FAILURE() << "imap connect: " << mailbox.error().message;
    return std::nullopt;
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    auto listed = (*mailbox)->list_inbox();
    if (!listed) {
      ADD_FAILURE() << "list_inbox: " << listed.error().message;
      return std::nullopt;
    }
    if (!listed->empty()) {
      auto fetched = (*mailbox)->fetch(listed->front().uid, 1 << 20);
      if (!fetched) {
        ADD_FAILURE() << "fetch: " << fetched.error().message;
        return std::nullopt;
      }
      return std::move(fetched).value();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return std::nullopt;
}

// Waits for a line holding every one of the words in Postfix's log.
bool wait_for_log_line(const std::vector<std::string>& words) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream log(MailStack::get().dir / "log" / "postfix.log");
    for (std::string line; std::getline(log, line);) {
      bool all = true;
      for (const auto& word : words) all = all && line.find(word) != std::string::npos;
      if (all) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// A listening TCP socket on an ephemeral port, closed on destruction.
class Listener {
 public:
  explicit Listener(const char* address = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, address, &addr.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0) {
      ADD_FAILURE() << "could not listen on " << address;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// An SMTP server on one connection that greets, answers each line with what its answer function returns
// for it ("" says nothing) and keeps every line it received.
class ScriptedSmtpServer {
 public:
  using Answer = std::function<std::string(const std::string& line)>;

  ScriptedSmtpServer(const char* address, Answer answer)
      : listener_(address), answer_(std::move(answer)), thread_([this] { serve(); }) {}
  ~ScriptedSmtpServer() { thread_.join(); }
  ScriptedSmtpServer(const ScriptedSmtpServer&) = delete;
  ScriptedSmtpServer& operator=(const ScriptedSmtpServer&) = delete;

  [[nodiscard]] int port() const { return listener_.port(); }
  std::vector<std::string> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  // Offers AUTH but no STARTTLS, and nothing else.
  static std::string no_starttls(const std::string& line) {
    if (line.rfind("EHLO", 0) == 0) return "250-fake\r\n250 AUTH PLAIN LOGIN\r\n";
    if (line.rfind("QUIT", 0) == 0) return "221 bye\r\n";
    return "502 not here\r\n";
  }

 private:
  void serve() {
    pollfd waiting{.fd = listener_.fd(), .events = POLLIN, .revents = 0};
    if (::poll(&waiting, 1, 10'000) <= 0) return;
    const int fd = ::accept(listener_.fd(), nullptr, nullptr);
    if (fd < 0) return;
    const auto say = [fd](std::string_view text) { (void)!::write(fd, text.data(), text.size()); };
    say("220 fake ESMTP\r\n");
    std::string pending;
    char buffer[1024];
    while (true) {
      pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
      if (::poll(&readable, 1, 10'000) <= 0) break;
      const auto n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      pending.append(buffer, static_cast<std::size_t>(n));
      bool quit = false;
      for (auto end = pending.find("\r\n"); end != std::string::npos; end = pending.find("\r\n")) {
        const std::string line = pending.substr(0, end);
        pending.erase(0, end + 2);
        {
          std::lock_guard lock(mutex_);
          received_.push_back(line);
        }
        say(answer_(line));
        if (line.rfind("QUIT", 0) == 0) quit = true;
      }
      if (quit) break;
    }
    ::close(fd);
  }

  Listener listener_;
  Answer answer_;
  std::mutex mutex_;
  std::vector<std::string> received_;
  std::thread thread_;
};

TEST(SmtpTransport, SendsThroughSubmissionWithStartTlsAndAuth) {
  const MailStack& stack = MailStack::get();
  const std::string sender = stack.unique_user("smtp-sender");
  const std::string recipient = stack.unique_user("smtp-submission");
  // The submission port refuses AUTH before STARTTLS and any mail before AUTH, so acceptance proves both.
  auto transport = connect_ok(stack.submission(sender));
  ASSERT_TRUE(transport);
  expect_accepted(transport->send(sender, recipient, notice("submission-" + recipient, recipient)));

  const auto arrived = wait_for_mail(recipient);
  ASSERT_TRUE(arrived) << "no mail arrived for " << recipient;
  EXPECT_NE(arrived->find("Subject: submission-" + recipient), std::string::npos) << *arrived;
  EXPECT_NE(arrived->find("\r\n.\r\nThe line above is a lone dot."), std::string::npos) << *arrived;
}

TEST(SmtpTransport, SendsOverPlainSmtpOnLoopbackWithoutAuth) {
  const MailStack& stack = MailStack::get();
  const std::string recipient = stack.unique_user("smtp-plain");
  auto transport = connect_ok(stack.smtp());
  ASSERT_TRUE(transport);
  expect_accepted(transport->send("nwadcs@nwadcs.test", recipient, notice("plain-" + recipient, recipient)));

  const auto arrived = wait_for_mail(recipient);
  ASSERT_TRUE(arrived) << "no mail arrived for " << recipient;
  EXPECT_NE(arrived->find("Subject: plain-" + recipient), std::string::npos) << *arrived;
}

TEST(SmtpTransport, EmptySenderIsTheNullSender) {
  const MailStack& stack = MailStack::get();
  const std::string recipient = stack.unique_user("smtp-null-sender");
  auto transport = connect_ok(stack.smtp());
  ASSERT_TRUE(transport);
  expect_accepted(transport->send("", recipient, notice("null-" + recipient, recipient)));

  const auto arrived = wait_for_mail(recipient);
  ASSERT_TRUE(arrived) << "no mail arrived for " << recipient;
  EXPECT_NE(arrived->find("Return-Path: <>"), std::string::npos) << *arrived;
}

TEST(SmtpTransport, ReusesOneConnectionAndLoginForEveryMessage) {
  const MailStack& stack = MailStack::get();
  const std::string sender = stack.unique_user("smtp-reuse");
  std::vector<std::string> recipients;
  for (int i = 0; i < 3; ++i) recipients.push_back(stack.unique_user("smtp-reuse-to"));
  {
    auto transport = connect_ok(stack.submission(sender));
    ASSERT_TRUE(transport);
    for (const auto& to : recipients) expect_accepted(transport->send(sender, to, notice("reuse-" + to, to)));
  }
  for (const auto& to : recipients) EXPECT_TRUE(wait_for_mail(to)) << "no mail arrived for " << to;
  // Postfix sums up each connection when it ends: one login, three envelopes.
  EXPECT_TRUE(
      wait_for_log_line({"postfix/submission/smtpd", "disconnect from", "starttls=1 auth=1 mail=3 rcpt=3 data=3"}));
}

TEST(SmtpTransport, RecipientThePostfixRefusesIsPermanent) {
  const MailStack& stack = MailStack::get();
  auto transport = connect_ok(stack.smtp());
  ASSERT_TRUE(transport);
  // An address literal that is no IP address: Postfix answers RCPT with 501 5.1.3, and libcurl fails with a
  // send error.
  auto refused = transport->send("nwadcs@nwadcs.test", "user@[999.1.1.1]", notice("refused", "user@[999.1.1.1]"));
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_EQ(refused->outcome, Delivery::permanent);
  EXPECT_EQ(refused->code, 501);
  EXPECT_NE(refused->reply.find("Bad recipient address syntax"), std::string::npos) << refused->reply;

  // The session goes on after a refusal.
  const std::string recipient = stack.unique_user("smtp-after-refusal");
  expect_accepted(transport->send("nwadcs@nwadcs.test", recipient, notice("after-" + recipient, recipient)));
  EXPECT_TRUE(wait_for_mail(recipient)) << "no mail arrived for " << recipient;
}

TEST(SmtpTransport, RefusesAddressesThatWouldInjectCommands) {
  const MailStack& stack = MailStack::get();
  auto transport = connect_ok(stack.smtp());
  ASSERT_TRUE(transport);
  const std::string recipient = stack.unique_user("smtp-injection");
  for (const std::string& bad : {recipient + "\r\nRCPT TO:<catchall@local>", recipient + "\nDATA",
                                 recipient + "> NOTIFY=NEVER", "<" + recipient, std::string()}) {
    auto result = transport->send("nwadcs@nwadcs.test", bad, notice("injected", recipient));
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->outcome, Delivery::permanent) << bad;
    EXPECT_EQ(result->code, 0) << bad;
    EXPECT_EQ(result->reply.rfind("the recipient address ", 0), 0U) << result->reply;
  }
  auto bad_sender = transport->send("nwadcs@nwadcs.test\r\nRSET", recipient, notice("injected", recipient));
  ASSERT_TRUE(bad_sender.ok()) << bad_sender.error().message;
  EXPECT_EQ(bad_sender->outcome, Delivery::permanent);
  EXPECT_NE(bad_sender->reply.find("sender address holds a line break"), std::string::npos) << bad_sender->reply;

  // Nothing reached the mailbox; a clean mail afterwards does, alone.
  expect_accepted(transport->send("nwadcs@nwadcs.test", recipient, notice("clean-" + recipient, recipient)));
  const auto arrived = wait_for_mail(recipient);
  ASSERT_TRUE(arrived);
  EXPECT_NE(arrived->find("Subject: clean-" + recipient), std::string::npos) << *arrived;
  auto mailbox = ImapMailbox::connect(stack.imap(recipient));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  auto listed = (*mailbox)->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1U);
}

TEST(SmtpTransport, RefusedLoginSaysSoWithoutThePassword) {
  const MailStack& stack = MailStack::get();
  auto settings = stack.submission(stack.unique_user("smtp-refused"));
  settings.password = "Wrong-Secret-4711";
  auto transport = SmtpTransport::connect(settings);
  ASSERT_FALSE(transport);
  const std::string message = error_of(transport);
  EXPECT_NE(message.find("refused the login for " + settings.user), std::string::npos) << message;
  EXPECT_NE(message.find("535"), std::string::npos) << message;
  EXPECT_EQ(message.find("Wrong-Secret-4711"), std::string::npos) << message;
}

// Offers the mechanisms given and refuses every login with a 535 that echoes what it was sent, through
// every step of the AUTH exchange.
ScriptedSmtpServer::Answer echoing_every_login(std::string mechanisms) {
  auto step = std::make_shared<std::string>();  // what the exchange under way asks next; empty when none is
  return [mechanisms = std::move(mechanisms), step](const std::string& line) -> std::string {
    const auto refuse = [](const std::string& sent) { return "535 5.7.8 you sent " + sent + "\r\n"; };
    if (*step == "user") {
      *step = "password";
      return "334 UGFzc3dvcmQ6\r\n";
    }
    if (!step->empty()) {
      step->clear();
      return refuse(line);
    }
    if (line.rfind("EHLO", 0) == 0) return "250-fake\r\n250 AUTH " + mechanisms + "\r\n";
    if (line.rfind("QUIT", 0) == 0) return "221 bye\r\n";
    if (line.rfind("AUTH ", 0) == 0) {
      std::istringstream words(line);
      std::string verb, mechanism, initial;
      words >> verb >> mechanism >> initial;
      if (mechanism == "LOGIN") {
        *step = initial.empty() ? "user" : "password";
        return initial.empty() ? "334 VXNlcm5hbWU6\r\n" : "334 UGFzc3dvcmQ6\r\n";
      }
      if (!initial.empty()) return refuse(line);
      *step = "answer";
      return "334 \r\n";
    }
    return "502 not here\r\n";
  };
}

TEST(SmtpTransport, ServerEchoingTheLoginGetsNoSecretIntoTheMessage) {
  namespace login = ispd::test::login;
  struct Case {
    std::string mechanisms;
    bool token;
    std::string_view sent;  // what the client must have sent, so that the server had it to echo
  };
  const std::vector<Case> cases = {
      {"PLAIN LOGIN", false, login::kPlain},
      {"LOGIN", false, login::kPasswordBase64},
      {"PLAIN LOGIN XOAUTH2", true, login::kXoauth2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("offering \"" + c.mechanisms + "\"");
    ScriptedSmtpServer server("127.0.0.1", echoing_every_login(c.mechanisms));
    SmtpSettings settings;
    settings.url = "smtp://127.0.0.1:" + std::to_string(server.port());
    settings.starttls_on_loopback = false;
    settings.user = std::string(login::kUser);
    settings.password = c.token ? std::string() : std::string(login::kPassword);
    settings.bearer_token = c.token ? std::string(login::kToken) : std::string();
    settings.timeout = std::chrono::seconds(10);
    auto transport = SmtpTransport::connect(settings);
    ASSERT_FALSE(transport);
    const auto received = server.received();
    EXPECT_TRUE(std::any_of(received.begin(), received.end(),
                            [&](const std::string& line) { return line.find(c.sent) != std::string::npos; }))
        << "the client never sent " << c.sent;
    const std::string message = error_of(transport);
    EXPECT_NE(message.find("you sent"), std::string::npos) << message;
    EXPECT_NE(message.find("[redacted]"), std::string::npos) << message;
    for (auto form : login::kEverySecretForm) EXPECT_EQ(message.find(form), std::string::npos) << message;
  }
}

TEST(SmtpTransport, ServerWantingALoginIsAnErrorNotARefusedMail) {
  const MailStack& stack = MailStack::get();
  // The submission port without a user: on loopback there is no STARTTLS either, and Postfix answers MAIL with 530.
  auto settings = stack.submission("");
  settings.password.clear();
  settings.starttls_on_loopback = false;
  auto transport = connect_ok(settings);
  ASSERT_TRUE(transport);
  const std::string recipient = stack.unique_user("smtp-no-login");
  auto result = transport->send("nwadcs@nwadcs.test", recipient, notice("no-login", recipient));
  ASSERT_FALSE(result.ok()) << result->code << " " << result->reply;
  EXPECT_NE(result.error().message.find("takes no mail without a login or TLS"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("530"), std::string::npos) << result.error().message;
}

TEST(SmtpTransport, SilentServerTimesOut) {
  // The kernel completes the connection, but nobody ever greets.
  Listener silent;
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(silent.port());
  settings.timeout = std::chrono::seconds(1);
  auto transport = SmtpTransport::connect(settings);
  ASSERT_FALSE(transport);
  EXPECT_EQ(error_of(transport), "smtp://127.0.0.1:" + std::to_string(silent.port()) +
                                     " did not answer within 1 s while connecting (timed out)");
}

TEST(SmtpTransport, UnreachableServerIsAClearError) {
  int port = 0;
  {
    Listener free_port;
    port = free_port.port();
  }
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(port);
  settings.timeout = std::chrono::seconds(5);
  auto transport = SmtpTransport::connect(settings);
  ASSERT_FALSE(transport);
  EXPECT_EQ(error_of(transport), "could not reach smtp://127.0.0.1:" + std::to_string(port) + " (connection refused)");
}

TEST(SmtpTransport, PlainSmtpToNonLoopbackHostIsRefused) {
  const auto address = non_loopback_address();
  if (!address) {
    GTEST_SKIP() << "this machine has no address but loopback";
  }
  // A server that offers no STARTTLS: neither the password nor any mail may be sent to it.
  ScriptedSmtpServer server("0.0.0.0", &ScriptedSmtpServer::no_starttls);
  SmtpSettings settings;
  settings.url = "smtp://" + *address + ":" + std::to_string(server.port());
  settings.user = "isp@nwadcs.test";
  settings.password = "Secret-4711";
  settings.timeout = std::chrono::seconds(10);
  auto transport = SmtpTransport::connect(settings);
  ASSERT_FALSE(transport);
  EXPECT_NE(error_of(transport).find("does not offer STARTTLS"), std::string::npos) << error_of(transport);
  for (const auto& line : server.received()) {
    EXPECT_EQ(line.find("AUTH"), std::string::npos) << line;
    EXPECT_EQ(line.find("MAIL"), std::string::npos) << line;
  }
}

TEST(SmtpTransport, RefusesUrlsItCannotUse) {
  SmtpSettings settings;
  for (const std::string url : {"http://127.0.0.1", "smtp://user:secret@127.0.0.1", "smtp://127.0.0.1/?x=1",
                                "imap://127.0.0.1/INBOX", "not a url"}) {
    settings.url = url;
    auto transport = SmtpTransport::connect(settings);
    ASSERT_FALSE(transport) << url;
    EXPECT_EQ(error_of(transport).rfind("the SMTP URL", 0), 0U) << error_of(transport);
    EXPECT_EQ(error_of(transport).find("secret"), std::string::npos) << error_of(transport);
  }
}

}  // namespace
}  // namespace ispd::mail
