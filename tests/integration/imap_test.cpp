// ImapMailbox against the real Dovecot of the loopback mail stack, and against
// small local servers that misbehave on purpose (silent, no STARTTLS, hostile).

#include "mail/imap.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tests/integration/fake_imap_server.hpp"
#include "tests/integration/mail_stack.hpp"
#include "tests/mail/login_secrets.hpp"

namespace ispd::mail {
namespace {

using test::non_loopback_address;

using test::echoing_every_login;
using test::FakeImapServer;
using test::Listener;
using test::MailStack;

std::string mail_with_body(const std::string& subject, const std::string& body) {
  return "From: isp@bolton.gov.uk\r\nTo: nwadcs@nwadcs.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject +
         "@bolton.gov.uk>\r\n\r\n" + body + "\r\n";
}

std::unique_ptr<ImapMailbox> connect_ok(const ImapSettings& settings) {
  auto mailbox = ImapMailbox::connect(settings);
  if (!mailbox) {
    ADD_FAILURE() << "connect: " << mailbox.error().message;
    return nullptr;
  }
  return std::move(mailbox).value();
}

template <class T>
void expect_ok(const Result<T>& result, std::string_view what) {
  EXPECT_TRUE(result.ok()) << what << ": " << (result.ok() ? "" : result.error().message);
}

std::string error_of(const Result<std::unique_ptr<ImapMailbox>>& result) {
  return result.ok() ? std::string("(connected)") : result.error().message;
}

// A fresh user's mailbox, connected over plain IMAP on loopback.
struct FreshMailbox {
  std::string user;
  std::unique_ptr<ImapMailbox> mailbox;
};

FreshMailbox fresh_mailbox(const std::string& stem, bool never_move = false) {
  const MailStack& stack = MailStack::get();
  FreshMailbox fresh;
  fresh.user = stack.unique_user(stem);
  auto settings = stack.imap(fresh.user);
  settings.never_move = never_move;
  fresh.mailbox = connect_ok(settings);
  return fresh;
}

// Where Dovecot keeps a user's Maildir in the stack (home=DIR/mail/DOMAIN/NAME).
std::filesystem::path maildir_of(const std::string& user) {
  const auto at = user.find('@');
  return MailStack::get().dir / "mail" / user.substr(at + 1) / user.substr(0, at) / "Maildir";
}

ImapSettings fake_settings(const std::string& host, int port, std::chrono::seconds timeout = std::chrono::seconds(5)) {
  ImapSettings settings;
  settings.url = "imap://" + host + ":" + std::to_string(port) + "/INBOX";
  settings.user = "someone@example.org";
  settings.password = "fake-server-password";
  settings.timeout = timeout;
  return settings;
}

TEST(ImapMailbox, ListsAppendedMessagesByUidWithSizes) {
  auto fresh = fresh_mailbox("list");
  ASSERT_TRUE(fresh.mailbox);
  const std::vector<std::string> mails = {mail_with_body("one", "short"), mail_with_body("two", std::string(5000, 'x')),
                                          mail_with_body("three", "a little longer than the first")};
  for (const auto& raw : mails) expect_ok(fresh.mailbox->append("INBOX", raw), "append");

  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*listed)[i].size, mails[i].size()) << "message " << i;
    if (i > 0) {
      EXPECT_LT((*listed)[i - 1].uid, (*listed)[i].uid);
    }
  }
}

TEST(ImapMailbox, EmptyInboxIsAnEmptyList) {
  auto fresh = fresh_mailbox("empty");
  ASSERT_TRUE(fresh.mailbox);
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_TRUE(listed->empty());
  auto status = fresh.mailbox->select_inbox();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->messages, 0U);
}

TEST(ImapMailbox, UidValidityIsReported) {
  auto fresh = fresh_mailbox("uidvalidity");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("a", "a")), "append");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("b", "b")), "append");

  auto status = fresh.mailbox->select_inbox();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_NE(status->uidvalidity, 0U);
  EXPECT_EQ(status->messages, 2U);

  // A second session sees the same UIDVALIDITY: it belongs to the folder, not the connection.
  auto again = connect_ok(MailStack::get().imap(fresh.user));
  ASSERT_TRUE(again);
  auto second = again->select_inbox();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->uidvalidity, status->uidvalidity);
}

TEST(ImapMailbox, SelectsTheFolderTheUrlNames) {
  const MailStack& stack = MailStack::get();
  auto fresh = fresh_mailbox("urlfolder");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->ensure_folder("ISP/Forms in"), "ensure_folder");
  expect_ok(fresh.mailbox->append("ISP/Forms in", mail_with_body("form", "form")), "append");

  auto forms = connect_ok(stack.imap(fresh.user, "ISP/Forms in"));
  ASSERT_TRUE(forms);
  auto status = forms->select_inbox();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->messages, 1U);
  auto listed = forms->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1U);
}

TEST(ImapMailbox, FetchReturnsTheRawMessage) {
  auto fresh = fresh_mailbox("fetch");
  ASSERT_TRUE(fresh.mailbox);
  const std::string raw =
      mail_with_body("fetch", "line one\r\nline two\r\n* 1 FETCH (looks like IMAP)\r\nA005 OK fake");
  expect_ok(fresh.mailbox->append("INBOX", raw), "append");
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed && listed->size() == 1);

  auto fetched = fresh.mailbox->fetch(listed->front().uid, 1 << 20);
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(*fetched, raw);
}

TEST(ImapMailbox, FetchRefusesMessageLargerThanLimit) {
  auto fresh = fresh_mailbox("toolarge");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("big", std::string(200'000, 'b'))), "append");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("small", "small")), "append");
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed && listed->size() == 2);

  auto fetched = fresh.mailbox->fetch((*listed)[0].uid, 100'000);
  ASSERT_FALSE(fetched);
  EXPECT_NE(fetched.error().message.find("limit of 100000 bytes"), std::string::npos) << fetched.error().message;

  // The session carries on after the cut-off transfer.
  auto small = fresh.mailbox->fetch((*listed)[1].uid, 100'000);
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(*small, mail_with_body("small", "small"));
}

TEST(ImapMailbox, FetchOfMissingUidSaysItIsGone) {
  auto fresh = fresh_mailbox("gone");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("x", "x")), "append");
  auto fetched = fresh.mailbox->fetch(4242, 1 << 20);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().message, "message UID 4242 is no longer in the inbox");
}

TEST(ImapMailbox, MovesWithMoveWhenOffered) {
  auto fresh = fresh_mailbox("move");
  ASSERT_TRUE(fresh.mailbox);
  EXPECT_TRUE(fresh.mailbox->offers_move());
  expect_ok(fresh.mailbox->ensure_folder("ISP/Processed"), "ensure_folder");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("keep", "keep")), "append");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("move", "move")), "append");
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed && listed->size() == 2);

  expect_ok(fresh.mailbox->move((*listed)[1].uid, "ISP/Processed"), "move");

  auto left = fresh.mailbox->list_inbox();
  ASSERT_TRUE(left) << left.error().message;
  ASSERT_EQ(left->size(), 1U);
  EXPECT_EQ(left->front().uid, (*listed)[0].uid);
  auto processed = fresh.mailbox->list_folder("ISP/Processed");
  ASSERT_TRUE(processed) << processed.error().message;
  EXPECT_EQ(processed->size(), 1U);
}

TEST(ImapMailbox, MovesWithCopyAndExpungeWhenMoveIsNotUsed) {
  auto fresh = fresh_mailbox("copymove", /*never_move=*/true);
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->ensure_folder("ISP/Needs attention"), "ensure_folder");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("first", "first")), "append");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("second", "second")), "append");
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("third", "third")), "append");
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed && listed->size() == 3);

  expect_ok(fresh.mailbox->move((*listed)[1].uid, "ISP/Needs attention"), "move");

  auto left = fresh.mailbox->list_inbox();
  ASSERT_TRUE(left) << left.error().message;
  ASSERT_EQ(left->size(), 2U);
  EXPECT_EQ((*left)[0].uid, (*listed)[0].uid);
  EXPECT_EQ((*left)[1].uid, (*listed)[2].uid);
  auto attention = fresh.mailbox->list_folder("ISP/Needs attention");
  ASSERT_TRUE(attention) << attention.error().message;
  ASSERT_EQ(attention->size(), 1U);

  // The copy is the message, whole, and the inbox's others are untouched.
  auto inbox_first = fresh.mailbox->fetch((*listed)[0].uid, 1 << 20);
  ASSERT_TRUE(inbox_first) << inbox_first.error().message;
  EXPECT_EQ(*inbox_first, mail_with_body("first", "first"));
  auto in_folder = connect_ok(MailStack::get().imap(fresh.user, "ISP/Needs attention"));
  ASSERT_TRUE(in_folder);
  auto moved = in_folder->fetch(attention->front(), 1 << 20);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(*moved, mail_with_body("second", "second"));
}

TEST(ImapMailbox, MoveToMissingFolderNamesIt) {
  auto fresh = fresh_mailbox("movemissing");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->append("INBOX", mail_with_body("x", "x")), "append");
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed && listed->size() == 1);

  auto moved = fresh.mailbox->move(listed->front().uid, "ISP/Nowhere");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().message, "folder \"ISP/Nowhere\" does not exist");

  // Nothing was lost, with MOVE or without.
  auto left = fresh.mailbox->list_inbox();
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->size(), 1U);

  auto fallback = connect_ok([&] {
    auto settings = MailStack::get().imap(fresh.user);
    settings.never_move = true;
    return settings;
  }());
  ASSERT_TRUE(fallback);
  auto copied = fallback->move(listed->front().uid, "ISP/Nowhere");
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().message, "folder \"ISP/Nowhere\" does not exist");
  auto still = fallback->list_inbox();
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->size(), 1U);
}

TEST(ImapMailbox, MoveOfMissingUidSaysItIsGone) {
  auto fresh = fresh_mailbox("movegone");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->ensure_folder("ISP/Processed"), "ensure_folder");
  auto moved = fresh.mailbox->move(77, "ISP/Processed");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().message, "message UID 77 is no longer in the inbox");
}

TEST(ImapMailbox, CreatesNestedFolderWithSpaces) {
  auto fresh = fresh_mailbox("folders");
  ASSERT_TRUE(fresh.mailbox);
  expect_ok(fresh.mailbox->ensure_folder("ISP/Needs attention/Older \"quoted\" ones"), "ensure_folder");
  // An existing folder is success, and so is a parent made on the way.
  expect_ok(fresh.mailbox->ensure_folder("ISP/Needs attention/Older \"quoted\" ones"), "ensure_folder again");
  expect_ok(fresh.mailbox->ensure_folder("ISP/Needs attention"), "ensure_folder of the parent");
  expect_ok(fresh.mailbox->ensure_folder("ISP"), "ensure_folder of the top");

  for (const char* folder : {"ISP", "ISP/Needs attention", "ISP/Needs attention/Older \"quoted\" ones"}) {
    expect_ok(fresh.mailbox->append(folder, mail_with_body("f", "f")), folder);
    auto listed = fresh.mailbox->list_folder(folder);
    ASSERT_TRUE(listed) << folder << ": " << listed.error().message;
    EXPECT_EQ(listed->size(), 1U) << folder;
  }
  EXPECT_TRUE(std::filesystem::is_directory(maildir_of(fresh.user) / ".ISP.Needs attention"));
}

TEST(ImapMailbox, EncodesNonAsciiFolderNamesAsModifiedUtf7) {
  auto fresh = fresh_mailbox("utf7");
  ASSERT_TRUE(fresh.mailbox);
  // Examples of RFC 3501 5.1.3, a Latin-1 letter with "&", and a character beyond the BMP.
  for (const char* folder : {"台北/日本語", "Bürgeramt & Co", "Smile 😀"}) {
    expect_ok(fresh.mailbox->ensure_folder(folder), folder);
    expect_ok(fresh.mailbox->ensure_folder(folder), folder);
    expect_ok(fresh.mailbox->append(folder, mail_with_body("u", "u")), folder);
    auto listed = fresh.mailbox->list_folder(folder);
    ASSERT_TRUE(listed) << folder << ": " << listed.error().message;
    EXPECT_EQ(listed->size(), 1U) << folder;
  }
  // Dovecot keeps the names as the client sent them, levels joined by '.'.
  const auto maildir = maildir_of(fresh.user);
  EXPECT_TRUE(std::filesystem::is_directory(maildir / ".&U,BTFw-.&ZeVnLIqe-"));
  EXPECT_TRUE(std::filesystem::is_directory(maildir / ".B&APw-rgeramt &- Co"));
  EXPECT_TRUE(std::filesystem::is_directory(maildir / ".Smile &2D3eAA-"));
}

TEST(ImapMailbox, RefusesFolderNamesItCannotSend) {
  auto fresh = fresh_mailbox("badnames");
  ASSERT_TRUE(fresh.mailbox);
  for (const std::string folder : {"", "ISP//Processed", "/ISP", "ISP/", "line\r\nA1 LOGOUT", "bad\xff utf-8"}) {
    auto made = fresh.mailbox->ensure_folder(folder);
    ASSERT_FALSE(made) << folder;
    EXPECT_EQ(made.error().message.rfind("the folder name", 0), 0U) << made.error().message;
  }
  // The session is still fine.
  expect_ok(fresh.mailbox->list_inbox(), "list_inbox");
}

TEST(ImapMailbox, ListingOrAppendingToMissingFolderNamesIt) {
  auto fresh = fresh_mailbox("missing");
  ASSERT_TRUE(fresh.mailbox);
  auto listed = fresh.mailbox->list_folder("ISP/Absent");
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("could not open folder \"ISP/Absent\""), std::string::npos)
      << listed.error().message;
  auto appended = fresh.mailbox->append("ISP/Absent", mail_with_body("x", "x"));
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().message, "folder \"ISP/Absent\" does not exist");
}

TEST(ImapMailbox, ReusesOneLoginForTheWholeSession) {
  const MailStack& stack = MailStack::get();
  auto fresh = fresh_mailbox("reuse");
  ASSERT_TRUE(fresh.mailbox);
  ImapMailbox& mailbox = *fresh.mailbox;
  expect_ok(mailbox.append("INBOX", mail_with_body("a", "a")), "append");
  expect_ok(mailbox.append("INBOX", mail_with_body("b", "b")), "append");
  expect_ok(mailbox.select_inbox(), "select_inbox");
  auto listed = mailbox.list_inbox();
  ASSERT_TRUE(listed && listed->size() == 2);
  expect_ok(mailbox.fetch(listed->front().uid, 1 << 20), "fetch");
  expect_ok(mailbox.ensure_folder("ISP/Processed"), "ensure_folder");
  expect_ok(mailbox.list_folder("ISP/Processed"), "list_folder");
  expect_ok(mailbox.move(listed->front().uid, "ISP/Processed"), "move");
  expect_ok(mailbox.select_inbox(), "select_inbox");

  // Dovecot logs one "Login:" line per connection that logs in.
  std::ifstream log(stack.dir / "log" / "dovecot.log");
  ASSERT_TRUE(log);
  const std::string needle = "Login: user=<" + fresh.user + ">";
  int logins = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find(needle) != std::string::npos) ++logins;
  }
  EXPECT_EQ(logins, 1);
}

TEST(ImapMailbox, RefusedLoginSaysSoWithoutThePassword) {
  const MailStack& stack = MailStack::get();
  auto settings = stack.imap(stack.unique_user("refused"));
  settings.password = "Wrong-Secret-4711";
  auto mailbox = ImapMailbox::connect(settings);
  ASSERT_FALSE(mailbox);
  const std::string& message = mailbox.error().message;
  EXPECT_NE(message.find("refused the login for " + settings.user), std::string::npos) << message;
  EXPECT_EQ(message.find("Wrong-Secret-4711"), std::string::npos) << message;
}

TEST(ImapMailbox, ServerEchoingTheLoginGetsNoSecretIntoTheMessage) {
  namespace login = ispd::test::login;
  struct Case {
    std::string capabilities;
    bool token;
    std::string_view sent;  // what the client must have sent, so that the server had it to echo
  };
  const std::vector<Case> cases = {
      {"", false, login::kPasswordQuoted},
      {"SASL-IR AUTH=PLAIN", false, login::kPlain},
      {"AUTH=PLAIN", false, login::kPlain},
      {"AUTH=LOGIN", false, login::kPasswordBase64},
      {"SASL-IR AUTH=LOGIN", false, login::kPasswordBase64},
      {"SASL-IR AUTH=XOAUTH2", true, login::kXoauth2},
      {"AUTH=XOAUTH2", true, login::kXoauth2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("offering \"" + c.capabilities + "\"");
    FakeImapServer server("127.0.0.1", "* OK fake ready\r\n", echoing_every_login(c.capabilities));
    auto settings = fake_settings("127.0.0.1", server.port());
    settings.user = std::string(login::kUser);
    settings.password = c.token ? std::string() : std::string(login::kPassword);
    settings.bearer_token = c.token ? std::string(login::kToken) : std::string();
    auto mailbox = ImapMailbox::connect(settings);
    ASSERT_FALSE(mailbox);
    const auto received = server.received();
    EXPECT_TRUE(std::any_of(received.begin(), received.end(),
                            [&](const std::string& line) { return line.find(c.sent) != std::string::npos; }))
        << "the client never sent " << c.sent;
    const std::string& message = mailbox.error().message;
    EXPECT_NE(message.find("you sent"), std::string::npos) << message;
    EXPECT_NE(message.find("[redacted]"), std::string::npos) << message;
    for (auto form : login::kEverySecretForm) EXPECT_EQ(message.find(form), std::string::npos) << message;
  }
}

TEST(ImapMailbox, UnreachableServerIsAClearError) {
  int port = 0;
  {
    Listener free_port;
    port = free_port.port();
  }
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", port));
  ASSERT_FALSE(mailbox);
  EXPECT_EQ(mailbox.error().message,
            "could not reach imap://127.0.0.1:" + std::to_string(port) + " (connection refused)");
}

TEST(ImapMailbox, SilentServerTimesOut) {
  // The kernel completes the connection, but nobody ever sends a greeting.
  Listener silent;
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", silent.port(), std::chrono::seconds(1)));
  ASSERT_FALSE(mailbox);
  EXPECT_NE(error_of(mailbox).find("timed out"), std::string::npos) << error_of(mailbox);
  EXPECT_NE(error_of(mailbox).find("imap://127.0.0.1:" + std::to_string(silent.port())), std::string::npos);
}

TEST(ImapMailbox, ServerSilentAfterLoginTimesOut) {
  FakeImapServer server("127.0.0.1", "* OK ready\r\n", [](const std::string& tag, const std::string& command) {
    // Never answers FETCH: keeps the connection open and says nothing.
    if (command.rfind("FETCH", 0) == 0) return std::string("* OK still thinking\r\n");
    return FakeImapServer::standard(tag, command);
  });
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", server.port(), std::chrono::seconds(1)));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  auto listed = mailbox.value()->list_inbox();
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("did not answer within 1 s while listing the inbox (timed out)"),
            std::string::npos)
      << listed.error().message;
}

TEST(ImapMailbox, HostileServerLinesAreBounded) {
  FakeImapServer server("127.0.0.1", "* OK ready\r\n", [](const std::string& tag, const std::string& command) {
    if (command.rfind("FETCH", 0) == 0) {
      return "* 1 FETCH (UID 1 RFC822.SIZE 10 X-JUNK " + std::string(200'000, 'j') + ")\r\n" + tag + " OK done\r\n";
    }
    return FakeImapServer::standard(tag, command);
  });
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", server.port()));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  // libcurl's own limit may stop the reply before ImapMailbox's does; either way it is an error, not an entry.
  auto listed = mailbox.value()->list_inbox();
  ASSERT_FALSE(listed);
  const std::string& message = listed.error().message;
  EXPECT_TRUE(message.find("longer than") != std::string::npos || message.find("Too large") != std::string::npos)
      << message;
}

TEST(ImapMailbox, ParsesFetchItemsInAnyOrderAndSkipsUnsolicitedOnes) {
  FakeImapServer server("127.0.0.1", "* OK ready\r\n", [](const std::string& tag, const std::string& command) {
    if (command.rfind("FETCH", 0) == 0) {
      return std::string("* 2 FETCH (RFC822.SIZE 200 FLAGS (\\Seen (nested)) UID 9)\r\n") +
             "* 1 FETCH (UID 5 RFC822.SIZE 100)\r\n" + "* 3 FETCH (FLAGS (\\Deleted))\r\n" + "* 4 EXISTS\r\n" +
             "* 3 FETCH (UID 12 RFC822.SIZE 99999999999999999999999)\r\n" + "* 3 FETCH (UID 0 RFC822.SIZE 1)\r\n" +
             "* 1 FETCH (UID 5 RFC822.SIZE 100)\r\n" + tag + " OK done\r\n";
    }
    return FakeImapServer::standard(tag, command);
  });
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", server.port()));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  auto listed = mailbox.value()->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].uid, 5U);
  EXPECT_EQ((*listed)[0].size, 100U);
  EXPECT_EQ((*listed)[1].uid, 9U);
  EXPECT_EQ((*listed)[1].size, 200U);
}

TEST(ImapMailbox, ListsFolderLargerThanOneReplyOfLibcurl) {
  // 20000 lines of FETCH replies are far more than libcurl takes in one reply, so the listing must come in slices.
  constexpr std::uint32_t kMessages = 20000;
  FakeImapServer server("127.0.0.1", "* OK ready\r\n", [](const std::string& tag, const std::string& command) {
    if (command.rfind("SELECT", 0) == 0) {
      return "* " + std::to_string(kMessages) + " EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK done\r\n";
    }
    // "FETCH first:last (UID RFC822.SIZE)"
    std::istringstream words(command);
    std::string verb;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    char colon = 0;
    if (words >> verb >> first >> colon >> last && verb == "FETCH" && colon == ':') {
      if (first < 1 || last > kMessages || first > last) return tag + " BAD Invalid messageset\r\n";
      std::string reply;
      for (std::uint32_t n = first; n <= last; ++n) {
        reply += "* " + std::to_string(n) + " FETCH (UID " + std::to_string(n * 3) + " RFC822.SIZE " +
                 std::to_string(1000 + n) + ")\r\n";
      }
      return reply + tag + " OK done\r\n";
    }
    return FakeImapServer::standard(tag, command);
  });
  auto mailbox = ImapMailbox::connect(fake_settings("127.0.0.1", server.port()));
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  auto listed = mailbox.value()->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), kMessages);
  EXPECT_EQ(listed->front().uid, 3U);
  EXPECT_EQ(listed->back().uid, kMessages * 3);
  EXPECT_EQ(listed->back().size, 1000U + kMessages);
}

TEST(ImapMailbox, ListsInboxOfMoreMessagesThanOneFetchSlice) {
  auto fresh = fresh_mailbox("many");
  ASSERT_TRUE(fresh.mailbox);
  constexpr std::size_t kMessages = 120;
  for (std::size_t i = 0; i < kMessages; ++i) {
    auto appended = fresh.mailbox->append("INBOX", mail_with_body("m" + std::to_string(i), std::string(i % 7, 'x')));
    ASSERT_TRUE(appended) << appended.error().message;
  }
  auto listed = fresh.mailbox->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), kMessages);
  for (std::size_t i = 0; i < kMessages; ++i) {
    EXPECT_EQ((*listed)[i].size, mail_with_body("m" + std::to_string(i), std::string(i % 7, 'x')).size());
  }
  auto folder = fresh.mailbox->list_folder("INBOX");
  ASSERT_TRUE(folder) << folder.error().message;
  EXPECT_EQ(folder->size(), kMessages);
}

TEST(ImapMailbox, ImapsChecksCertificateAgainstCa) {
  const MailStack& stack = MailStack::get();
  const std::string user = stack.unique_user("imaps");
  auto mailbox = connect_ok(stack.imaps(user));
  ASSERT_TRUE(mailbox);
  expect_ok(mailbox->append("INBOX", mail_with_body("tls", "tls")), "append");
  auto listed = mailbox->list_inbox();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1U);

  // The certificate names localhost too.
  auto by_name = stack.imaps(user);
  by_name.url = "imaps://localhost:" + std::to_string(stack.imaps_port) + "/INBOX";
  auto named = ImapMailbox::connect(by_name);
  EXPECT_TRUE(named) << error_of(named);
}

TEST(ImapMailbox, ImapsWithWrongCaFails) {
  const MailStack& stack = MailStack::get();
  const std::string user = stack.unique_user("wrongca");
  // The system's CAs do not include the stack's self-signed certificate.
  auto settings = stack.imaps(user);
  settings.ca_file.clear();
  auto mailbox = ImapMailbox::connect(settings);
  ASSERT_FALSE(mailbox);
  EXPECT_NE(error_of(mailbox).find("certificate"), std::string::npos) << error_of(mailbox);
  EXPECT_EQ(error_of(mailbox).find(settings.password), std::string::npos);

  settings.ca_file = (stack.dir / "no-such-ca.pem").string();
  auto missing = ImapMailbox::connect(settings);
  ASSERT_FALSE(missing);
  EXPECT_NE(error_of(missing).find("CA file"), std::string::npos) << error_of(missing);
}

TEST(ImapMailbox, ImapsRefusesCertificateForAnotherName) {
  // The stack's certificate names localhost and 127.0.0.1 only; this machine's own name reaches the same server.
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  bool on_loopback = false;
  if (name[0] != '\0' && std::string_view(name) != "localhost" && ::getaddrinfo(name, nullptr, &hints, &found) == 0) {
    on_loopback = ntohl(reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr.s_addr) == INADDR_LOOPBACK;
    ::freeaddrinfo(found);
  }
  if (!on_loopback) {
    GTEST_SKIP() << "this machine's name does not lead to 127.0.0.1";
  }
  const MailStack& stack = MailStack::get();
  auto settings = stack.imaps(stack.unique_user("othername"));
  settings.url = "imaps://" + std::string(name) + ":" + std::to_string(stack.imaps_port) + "/INBOX";
  auto mailbox = ImapMailbox::connect(settings);
  ASSERT_FALSE(mailbox);
  EXPECT_NE(error_of(mailbox).find("certificate"), std::string::npos) << error_of(mailbox);
}

TEST(ImapMailbox, PlainImapToNonLoopbackHostIsRefused) {
  const auto address = non_loopback_address();
  if (!address) {
    GTEST_SKIP() << "this machine has no address but loopback";
  }
  // A server that offers no STARTTLS: the password must never be sent to it.
  FakeImapServer server("0.0.0.0", "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", FakeImapServer::standard);
  auto mailbox = ImapMailbox::connect(fake_settings(*address, server.port()));
  ASSERT_FALSE(mailbox);
  EXPECT_NE(error_of(mailbox).find("does not offer STARTTLS"), std::string::npos) << error_of(mailbox);
  for (const auto& line : server.received()) {
    EXPECT_EQ(line.find("AUTHENTICATE"), std::string::npos) << line;
    EXPECT_EQ(line.find("LOGIN"), std::string::npos) << line;
  }
}

TEST(ImapMailbox, RefusesUrlsItCannotUse) {
  const MailStack& stack = MailStack::get();
  auto settings = stack.imap("nobody@nwadcs.test");
  for (const std::string url :
       {"http://127.0.0.1/INBOX", "imap://user:secret@127.0.0.1/INBOX", "imap://127.0.0.1/INBOX;UID=1", "not a url"}) {
    settings.url = url;
    auto mailbox = ImapMailbox::connect(settings);
    ASSERT_FALSE(mailbox) << url;
    EXPECT_EQ(mailbox.error().message.rfind("the mailbox URL", 0), 0U) << mailbox.error().message;
    EXPECT_EQ(mailbox.error().message.find("secret"), std::string::npos) << mailbox.error().message;
  }
}

}  // namespace
}  // namespace ispd::mail
