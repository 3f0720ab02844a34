// The outbox's sender over an SMTP server in memory: every recipient gets a
// queued mail once, a refusal or a lost session loses nothing and doubles
// nothing, and NWADCS hears of every partner who did not get a notice.

#include "daemon/jobs/send.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/jobs/poll.hpp"
#include "mail/mime.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/fake_mailbox.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::outbox {
namespace {

using namespace std::chrono_literals;
using store::DeliveryState;
using store::OutboxKind;
using store::OutboxRow;
using store::OutboxState;
using store::TimePoint;

constexpr const char* kNwadcs = "nwadcs@nwadcs.test";

config::Config test_config(const std::filesystem::path& archive) {
  config::Config c;
  c.mailbox.processed_folder = "ISP/Processed";
  c.mailbox.attention_folder = "ISP/Needs attention";
  c.smtp.from = "Placements North West <isp@nwadcs.test>";
  c.store.archive_dir = archive.string();
  c.nwadcs.address = kNwadcs;
  for (const auto& [name, domain] :
       std::vector<std::pair<std::string, std::string>>{{"Bolton Council", "bolton.gov.uk"},
                                                        {"Wigan Council", "wigan.gov.uk"},
                                                        {"Salford City Council", "salford.gov.uk"},
                                                        {"Stockport Council", "stockport.gov.uk"},
                                                        {"Oldham Council", "oldham.gov.uk"},
                                                        {"Wirral Council", "wirral.gov.uk"}}) {
    c.authorities.push_back({name, {domain}});
  }
  c.lists.push_back({"childrens_services", "north_west", {"isp@bolton.gov.uk", "commissioning@manchester.gov.uk"}});
  c.lists.push_back({"lado", "north_west", {"lado@wigan.gov.uk"}});
  c.lists.push_back({"safeguarding_unit", "north_west", {"qa@salford.gov.uk"}});
  c.lists.push_back({"police", "north_west", {"police@gmp.police.uk"}});
  c.lists.push_back({"health", "north_west", {"qa@salford.gov.uk"}});
  c.lists.push_back({"schools", "north_west", {"schools@bolton.gov.uk"}});
  return c;
}

// A delivery status report, as Postfix writes one, about `message_id` not reaching `recipient`.
std::string bounce_of(const std::string& message_id, const std::string& recipient) {
  return "Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.gov.uk (Mail Delivery System)\r\n"
         "To: isp@nwadcs.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
         "Date: Sat, 14 Feb 2026 09:00:05 +0000\r\nMessage-ID: <bounce.1@mx.example.gov.uk>\r\n"
         "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
         "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
         "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.gov.uk\r\n\r\n"
         "Final-Recipient: rfc822; " +
         recipient +
         "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
         "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
         "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Placements North West <isp@nwadcs.test>\r\n"
         "Subject: a notice\r\nMessage-ID: " +
         message_id + "\r\n\r\n--b--\r\n";
}

class SendTest : public ::testing::Test {
 protected:
  explicit SendTest(int max_attempts = 20) : config(test_config(dir.path() / "archive")) {
    store::StoreOptions options;
    options.archive_dir = dir.path() / "archive";
    options.max_attempts = max_attempts;
    auto opened = store::Store::open(":memory:", options);
    if (!opened) throw std::runtime_error(opened.error().message);
    db.emplace(std::move(opened).value());
  }

  // A council's form through the intake, so the outbox holds what a real poll queues.
  void receive(const std::string& name) {
    box.add(test::read_file(test::data_path("mail/" + name)));
    const auto polled = intake::poll_inbox(box, *db, config, [this] { return now; });
    ASSERT_TRUE(polled) << polled.error().message;
  }

  Result<SendReport> drain() {
    return drain_outbox(*db, smtp.connector(), config, [this] { return now; });
  }

  [[nodiscard]] std::vector<OutboxRow> rows() const {
    std::vector<OutboxRow> out;
    for (std::int64_t id = 1;; ++id) {
      auto row = db->find_outbox(id);
      if (!row) return out;
      out.push_back(std::move(*row));
    }
  }
  [[nodiscard]] std::vector<OutboxRow> rows(OutboxKind kind) const {
    std::vector<OutboxRow> out;
    for (auto& row : rows()) {
      if (row.kind == kind) out.push_back(row);
    }
    return out;
  }
  // How many copies of `row` each of its recipients was given.
  [[nodiscard]] std::map<std::string, int> copies(const OutboxRow& row) const {
    std::map<std::string, int> out;
    for (const auto& d : row.deliveries) out[d.recipient] = 0;
    for (const auto& s : smtp.accepted) {
      if (s.raw.find(row.message_id) != std::string::npos) ++out[s.recipient];
    }
    return out;
  }
  [[nodiscard]] std::string sent_text(const OutboxRow& row, const std::string& recipient) const {
    for (const auto& s : smtp.accepted) {
      if (s.recipient == recipient && s.raw.find(row.message_id) != std::string::npos) return s.raw;
    }
    return {};
  }

  test::TempDir dir;
  config::Config config;
  std::optional<store::Store> db;
  test::FakeMailbox box;
  test::FakeSmtp smtp;
  TimePoint now = store::time_from_text("2026-02-13T10:00:00Z");
};

TEST_F(SendTest, DeliversEveryQueuedMailToEachRecipientOnce) {
  receive("internal-new-notification.eml");
  ASSERT_FALSE(rows(OutboxKind::circulation).empty());
  const auto report = drain();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->mails, 3);
  EXPECT_EQ(report->sent, 3);
  for (const auto& row : rows()) {
    EXPECT_EQ(row.state, OutboxState::sent) << store::to_string(row.kind);
    for (const auto& [recipient, n] : copies(row)) EXPECT_EQ(n, 1) << recipient << " of " << row.subject;
    for (const auto& d : row.deliveries) {
      EXPECT_EQ(d.state, DeliveryState::accepted);
      EXPECT_EQ(d.smtp_reply.value_or(""), "250 2.0.0 Ok: queued");
    }
  }
  // The envelope sender is the ISP mailbox, so bounces come back to it.
  EXPECT_EQ(smtp.accepted.front().from, "isp@nwadcs.test");

  // Nothing is due any more: the next drain does not even connect.
  const int connects = smtp.connects;
  const auto again = drain();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->mails, 0);
  EXPECT_EQ(smtp.connects, connects);
}

TEST_F(SendTest, CirculationCarriesTheFormAndNoRecipientSeesAnother) {
  receive("internal-new-notification.eml");
  ASSERT_TRUE(drain());
  const auto circulation = rows(OutboxKind::circulation).at(0);
  ASSERT_GT(circulation.deliveries.size(), 1U);
  const std::string raw = sent_text(circulation, circulation.deliveries[0].recipient);
  ASSERT_FALSE(raw.empty());
  const auto read = mail::read_mail(raw);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->subject, circulation.subject);
  EXPECT_EQ(read->auto_submitted, "auto-generated");
  EXPECT_TRUE(read->to.empty()) << "recipients must not see each other";
  for (const auto& d : circulation.deliveries) EXPECT_EQ(raw.find(d.recipient), std::string::npos) << d.recipient;
  ASSERT_EQ(read->attachments.size(), 1U);
  EXPECT_EQ(read->attachments[0].content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(read->attachments[0].bytes, test::read_file(circulation.attachments.at(0).path));
  // Every copy is the same mail: one Message-ID, byte for byte.
  EXPECT_EQ(sent_text(circulation, circulation.deliveries[1].recipient), raw);
}

TEST_F(SendTest, AcknowledgementAnswersTheCouncilsMail) {
  receive("internal-new-notification.eml");
  ASSERT_TRUE(drain());
  const auto ack = rows(OutboxKind::acknowledgement).at(0);
  const auto read = mail::read_mail(sent_text(ack, ack.deliveries.at(0).recipient));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->auto_submitted, "auto-replied");
  ASSERT_TRUE(ack.in_reply_to);
  EXPECT_EQ(read->in_reply_to, *ack.in_reply_to);
  ASSERT_EQ(read->to.size(), 1U);
  EXPECT_EQ(read->to[0].address, ack.deliveries[0].recipient);
  EXPECT_EQ(read->from.address, "isp@nwadcs.test");
  EXPECT_EQ(read->from.name, "Placements North West");
}

TEST_F(SendTest, DeferredRecipientIsRetriedAloneAfterBackoff) {
  receive("internal-new-notification.eml");
  const auto circulation = rows(OutboxKind::circulation).at(0);
  const std::string slow = circulation.deliveries.at(0).recipient;
  smtp.answers[slow] = {mail::Delivery::temporary, 451, "4.3.0 Try again later"};
  auto report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->deferred, 1);
  EXPECT_EQ(report->retrying, 1);
  auto row = *db->find_outbox(circulation.id);
  EXPECT_EQ(row.state, OutboxState::pending);
  EXPECT_GT(row.next_attempt_at, now);
  EXPECT_EQ(row.deliveries[0].state, DeliveryState::deferred);

  // Not due yet: nothing is sent again.
  smtp.answers.clear();
  report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->mails, 0);

  now += 2h;
  report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->mails, 1);
  for (const auto& [recipient, n] : copies(circulation)) EXPECT_EQ(n, 1) << recipient;
  EXPECT_EQ(db->find_outbox(circulation.id)->state, OutboxState::sent);
}

TEST_F(SendTest, RefusedRecipientFailsAloneAndNwadcsIsTold) {
  receive("internal-new-notification.eml");
  const auto circulation = rows(OutboxKind::circulation).at(0);
  const std::string gone = circulation.deliveries.at(0).recipient;
  smtp.answers[gone] = {mail::Delivery::permanent, 550, "5.1.1 <" + gone + ">: Recipient address rejected"};
  const auto report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->refused, 1);
  const auto row = *db->find_outbox(circulation.id);
  EXPECT_EQ(row.state, OutboxState::sent);
  EXPECT_EQ(row.deliveries[0].state, DeliveryState::rejected);
  EXPECT_NE(row.deliveries[0].smtp_reply.value_or("").find("550 5.1.1"), std::string::npos);
  for (std::size_t i = 1; i < row.deliveries.size(); ++i) EXPECT_EQ(row.deliveries[i].state, DeliveryState::accepted);

  // NWADCS's notice was queued with the refusal and sent in the same drain.
  const auto notices = rows(OutboxKind::attention);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].deliveries.at(0).recipient, kNwadcs);
  EXPECT_EQ(notices[0].state, OutboxState::sent);
  EXPECT_NE(notices[0].subject.find("Not delivered"), std::string::npos);
  EXPECT_EQ(notices[0].template_data["failure"]["recipient"], gone);
  EXPECT_EQ(notices[0].reference, circulation.reference);
  const auto history = db->show(*circulation.reference);
  ASSERT_TRUE(history);
  EXPECT_TRUE(std::any_of(history->events.begin(), history->events.end(),
                          [](const store::Event& e) { return e.kind == store::EventKind::mail_failed; }));
}

TEST_F(SendTest, RefusalOfNwadcsOwnAddressIsNotReportedToItself) {
  receive("internal-new-notification.eml");
  smtp.answers[kNwadcs] = {mail::Delivery::permanent, 550, "5.2.1 Mailbox disabled"};
  ASSERT_TRUE(drain());
  EXPECT_TRUE(rows(OutboxKind::attention).empty());
  EXPECT_EQ(rows(OutboxKind::log).at(0).deliveries.at(0).state, DeliveryState::rejected);
}

TEST_F(SendTest, LostSessionLeavesTheRestForTheNextRunAndDoublesNothing) {
  receive("internal-new-notification.eml");
  receive("restricted-criminality.eml");
  smtp.fail_at_send = 3;
  const auto failed = drain();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("connection was lost"), std::string::npos);
  EXPECT_EQ(smtp.accepted.size(), 3U);

  smtp.fail_at_send.reset();
  now += 10min;
  const auto report = drain();
  ASSERT_TRUE(report) << report.error().message;
  for (const auto& row : rows()) {
    EXPECT_EQ(row.state, OutboxState::sent);
    for (const auto& [recipient, n] : copies(row)) EXPECT_EQ(n, 1) << recipient << " of " << row.subject;
  }
}

TEST_F(SendTest, UnreachableServerChangesNothing) {
  receive("internal-new-notification.eml");
  smtp.unreachable = true;
  ASSERT_FALSE(drain());
  for (const auto& row : rows()) {
    EXPECT_EQ(row.state, OutboxState::pending);
    EXPECT_EQ(row.attempts, 0);
  }
  smtp.unreachable = false;
  ASSERT_TRUE(drain());
  for (const auto& row : rows()) EXPECT_EQ(row.state, OutboxState::sent);
}

TEST_F(SendTest, SendInterruptedByACrashResendsOnlyTheUnconfirmed) {
  receive("internal-new-notification.eml");
  const auto circulation = rows(OutboxKind::circulation).at(0);
  ASSERT_GE(circulation.deliveries.size(), 3U);
  // As a crash leaves it: an attempt begun, the first recipient's 250 recorded, nothing more.
  db->transaction(now, [&](store::Tx& tx) {
    ASSERT_TRUE(tx.begin_attempt(circulation.id));
    tx.record_delivery(circulation.id, circulation.deliveries[0].recipient, DeliveryState::accepted, "250 ok");
  });
  db->transaction(now, [](store::Tx& tx) { EXPECT_EQ(tx.requeue_interrupted(), 1); });
  ASSERT_TRUE(drain());
  const auto sent = copies(circulation);
  EXPECT_EQ(sent.at(circulation.deliveries[0].recipient), 0);
  for (std::size_t i = 1; i < circulation.deliveries.size(); ++i) {
    EXPECT_EQ(sent.at(circulation.deliveries[i].recipient), 1);
  }
}

class SendGivingUpTest : public SendTest {
 protected:
  SendGivingUpTest() : SendTest(2) {}
};

TEST_F(SendGivingUpTest, OutOfAttemptsTheMailFailsAndNwadcsIsTold) {
  receive("internal-new-notification.eml");
  const auto circulation = rows(OutboxKind::circulation).at(0);
  const std::string slow = circulation.deliveries.at(0).recipient;
  smtp.answers[slow] = {mail::Delivery::temporary, 452, "4.2.2 Mailbox full"};
  ASSERT_TRUE(drain());
  now += 1h;
  const auto report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->gave_up, 1);
  EXPECT_EQ(db->find_outbox(circulation.id)->state, OutboxState::failed);
  const auto notices = rows(OutboxKind::attention);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].template_data["failure"]["kind"], "gave_up");
  EXPECT_EQ(notices[0].template_data["failure"]["recipients"], nlohmann::json::array({slow}));
  EXPECT_EQ(copies(circulation).at(slow), 0);
}

TEST_F(SendTest, MailWhoseFormFileIsGoneFailsAndNwadcsIsTold) {
  receive("internal-new-notification.eml");
  const auto circulation = rows(OutboxKind::circulation).at(0);
  std::filesystem::remove(circulation.attachments.at(0).path);
  const auto report = drain();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->gave_up, 1);
  const auto row = *db->find_outbox(circulation.id);
  EXPECT_EQ(row.state, OutboxState::failed);
  EXPECT_NE(row.last_error.value_or("").find("could not be read"), std::string::npos);
  EXPECT_EQ(rows(OutboxKind::attention).size(), 1U);
  for (const auto& [recipient, n] : copies(circulation)) EXPECT_EQ(n, 0) << recipient;
}

TEST_F(SendTest, BounceIsMatchedToItsRecipientAndNeverAnswered) {
  receive("internal-new-notification.eml");
  ASSERT_TRUE(drain());
  const auto circulation = rows(OutboxKind::circulation).at(0);
  const std::string lost = circulation.deliveries.at(1).recipient;
  const std::size_t before = rows().size();

  box.add(bounce_of(circulation.message_id, lost));
  const auto polled = intake::poll_inbox(box, *db, config, [this] { return now; });
  ASSERT_TRUE(polled);
  EXPECT_EQ(polled->ignored, 1);
  EXPECT_EQ(box.count("ISP/Processed"), 2U);

  const auto row = *db->find_outbox(circulation.id);
  EXPECT_EQ(row.deliveries.at(1).state, DeliveryState::bounced);
  EXPECT_EQ(row.deliveries.at(0).state, DeliveryState::accepted);
  // One new mail, to NWADCS only: the mailer daemon is never answered.
  const auto all = rows();
  ASSERT_EQ(all.size(), before + 1);
  EXPECT_EQ(all.back().kind, OutboxKind::attention);
  EXPECT_EQ(all.back().deliveries.at(0).recipient, kNwadcs);
  EXPECT_EQ(all.back().template_data["failure"]["kind"], "bounced");
  EXPECT_EQ(all.back().template_data["failure"]["recipient"], lost);
  const auto history = db->show(*circulation.reference);
  EXPECT_TRUE(std::any_of(history->events.begin(), history->events.end(),
                          [](const store::Event& e) { return e.kind == store::EventKind::bounced; }));
}

TEST_F(SendTest, BounceOfAMailIspdDidNotSendIsOnlyFiled) {
  receive("internal-new-notification.eml");
  const std::size_t before = rows().size();
  box.add(bounce_of("<not-ours@elsewhere.example>", "someone@bolton.gov.uk"));
  const auto polled = intake::poll_inbox(box, *db, config, [this] { return now; });
  ASSERT_TRUE(polled);
  EXPECT_EQ(polled->ignored, 1);
  EXPECT_EQ(rows().size(), before);
}

}  // namespace
}  // namespace ispd::outbox
