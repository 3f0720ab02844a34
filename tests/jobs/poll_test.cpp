// The intake's wiring over a mailbox in memory: every mail stored, decided,
// filed once, and nothing lost when the mailbox or the intake fails part way.

#include "daemon/jobs/poll.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/jobs/intake.hpp"
#include "store/storage_failure.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "templates/render.hpp"
#include "tests/support/council_mail.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/fake_mailbox.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"
#include "tests/support/tmpfs.hpp"

namespace ispd::intake {
namespace {

using store::InboundState;
using store::OutboxKind;
using test::FakeMailbox;

constexpr const char* kNwadcs = "nwadcs@nwadcs.test";

config::Config test_config(const std::filesystem::path& archive) {
  config::Config c;
  c.mailbox.processed_folder = "ISP/Processed";
  c.mailbox.attention_folder = "ISP/Needs attention";
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
  c.lists.push_back({"schools", "north_west", {"schools@bolton.gov.uk"}});
  return c;
}

std::string mail(const std::string& name) { return test::read_file(test::data_path("mail/" + name)); }

class PollTest : public ::testing::Test {
 protected:
  PollTest() : config(test_config(dir.path() / "archive")) { open_store(dir.path() / "archive"); }

  void open_store(const std::filesystem::path& archive) {
    config.store.archive_dir = archive.string();
    store::StoreOptions options;
    options.archive_dir = archive;
    auto opened = store::Store::open(":memory:", options);
    if (!opened) throw std::runtime_error(opened.error().message);
    db.emplace(std::move(opened).value());
  }

  Result<PollReport> poll(const std::string& now = "2026-02-13T10:00:00Z") {
    return poll_inbox(box, *db, config, [now] { return store::time_from_text(now); });
  }

  std::vector<store::InboundMessage> in(InboundState state) const { return db->inbound_in_state(state); }

  // Every queued mail, of any notification or none, by kind.
  std::vector<store::OutboxRow> queued(OutboxKind kind) const {
    std::vector<store::OutboxRow> out;
    for (const auto& row : db->due_mail(store::time_from_text("2030-01-01T00:00:00Z"), 10000)) {
      if (row.kind == kind) out.push_back(row);
    }
    return out;
  }

  static bool sent_to(const store::OutboxRow& row, const std::string& address) {
    for (const auto& d : row.deliveries) {
      if (d.recipient == address) return true;
    }
    return false;
  }

  test::TempDir dir;
  config::Config config;
  std::optional<store::Store> db;
  FakeMailbox box;
};

TEST_F(PollTest, LogsEachCouncilsFormAndFilesTheMailInProcessed) {
  box.add(mail("internal-new-notification.eml"));
  box.add(mail("restricted-criminality.eml"));
  box.add(mail("rescind.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->seen, 3);
  EXPECT_EQ(report->processed, 3);
  EXPECT_EQ(box.count("INBOX"), 0U);
  EXPECT_EQ(box.count("ISP/Processed"), 3U);
  EXPECT_EQ(in(InboundState::processed).size(), 3U);
  const auto listed = db->list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13});
  ASSERT_EQ(listed.size(), 3U);
  EXPECT_EQ(listed[0].reference, "ISP-2026-0001");
  EXPECT_EQ(listed[0].agency, "Bolton Council");
  // The rescind of a notification issued before ispd is logged and ends at once.
  EXPECT_EQ(listed[2].status, store::NotificationStatus::rescinded);
  // Each sender hears back, NWADCS gets a log of each, the partners a circulation.
  EXPECT_EQ(queued(OutboxKind::acknowledgement).size(), 3U);
  EXPECT_EQ(queued(OutboxKind::log).size(), 3U);
  EXPECT_FALSE(queued(OutboxKind::circulation).empty());
}

TEST_F(PollTest, RestrictedFormNeverReachesAListOutsideItsPolicy) {
  box.add(mail("restricted-criminality.eml"));
  ASSERT_TRUE(poll());
  const auto circulations = queued(OutboxKind::circulation);
  ASSERT_EQ(circulations.size(), 1U);
  EXPECT_TRUE(sent_to(circulations[0], "police@gmp.police.uk"));
  EXPECT_FALSE(sent_to(circulations[0], "schools@bolton.gov.uk"));
  EXPECT_NE(circulations[0].subject.find("OFFICIAL-SENSITIVE"), std::string::npos);
  EXPECT_EQ(circulations[0].attachments.size(), 1U);  // the form itself
}

TEST_F(PollTest, MailMovedOnlyAfterItsOutcomeIsCommittedAndRepeatIsOnlyFiled) {
  box.add(mail("internal-new-notification.eml"));
  box.moves_before_failure = 0;
  const auto failed = poll();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("refused the move"), std::string::npos);
  // Decided and kept, still in the inbox.
  EXPECT_EQ(box.count("INBOX"), 1U);
  EXPECT_EQ(in(InboundState::processed).size(), 1U);

  box.moves_before_failure.reset();
  const auto again = poll();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->repeats, 1);
  EXPECT_EQ(again->processed, 0);
  EXPECT_EQ(box.count("ISP/Processed"), 1U);
  EXPECT_EQ(db->list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13}).size(), 1U);
  EXPECT_EQ(queued(OutboxKind::acknowledgement).size(), 1U);  // not answered twice
}

TEST_F(PollTest, SecondCopyOfAMailIsRecognisedByMessageIdAndContent) {
  box.add(mail("internal-new-notification.eml"));
  box.add(mail("internal-new-notification.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 1);
  EXPECT_EQ(report->repeats, 1);
  EXPECT_EQ(box.count("ISP/Processed"), 2U);
  EXPECT_EQ(db->list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13}).size(), 1U);
}

TEST_F(PollTest, UnknownSenderGoesToAttentionAndNwadcsIsToldButNotTheSender) {
  box.add(mail("unknown-sender.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->attention, 1);
  EXPECT_EQ(box.count("ISP/Needs attention"), 1U);
  const auto told = queued(OutboxKind::attention);
  ASSERT_EQ(told.size(), 1U);
  EXPECT_TRUE(sent_to(told[0], kNwadcs));
  EXPECT_TRUE(queued(OutboxKind::circulation).empty());
  EXPECT_TRUE(queued(OutboxKind::returned).empty());
  EXPECT_TRUE(queued(OutboxKind::acknowledgement).empty());
}

// A From header may name several addresses (RFC 5322); taking the first would let anyone put an authority's address
// first. Every pair and triple of these, authorities' or not, is no known sender; one address with a comma in its
// quoted name is one sender.
TEST_F(PollTest, AFromHeaderNamingSeveralAddressesIsAnUnknownSender) {
  const std::vector<std::string> addresses = {"commissioning.qa@bolton.gov.uk",
                                              "\"Bolton, ISP Team\" <isp@bolton.gov.uk>",
                                              "Wigan ISP <isp@wigan.gov.uk>", "someone@example.com"};
  const std::string form = test::read_file(test::data_path("forms/internal-new-notification.docx"));
  int mails = 0;
  for (const auto& first : addresses) {
    for (const auto& second : addresses) {
      if (first == second) continue;
      for (const auto& from : {first + ", " + second, first + ",\r\n " + second + ", " + addresses[2]}) {
        box.add(test::council_mail(from, "ISP notification", "several-" + std::to_string(++mails) + "@bolton.gov.uk",
                                   form));
        const auto report = poll();
        ASSERT_TRUE(report) << report.error().message;
        EXPECT_EQ(report->attention, 1) << from;
      }
    }
  }
  EXPECT_EQ(box.count("ISP/Needs attention"), static_cast<std::size_t>(mails));
  EXPECT_TRUE(db->list_notifications(std::nullopt, test::ymd(2026, 2, 13)).empty());
  const auto told = queued(OutboxKind::attention);
  ASSERT_EQ(told.size(), static_cast<std::size_t>(mails));
  for (const auto& row : told) {
    EXPECT_TRUE(sent_to(row, kNwadcs));
    EXPECT_NE(row.template_data.value("reason", "").find("addresses"), std::string::npos) << row.template_data;
  }
  for (const auto kind : {OutboxKind::circulation, OutboxKind::returned, OutboxKind::acknowledgement}) {
    EXPECT_TRUE(queued(kind).empty());
  }

  box.add(test::council_mail(addresses[1], "ISP notification", "one-sender@bolton.gov.uk", form));
  const auto one = poll();
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->processed, 1);
  EXPECT_EQ(db->list_notifications(std::nullopt, test::ymd(2026, 2, 13)).size(), 1U);
}

TEST_F(PollTest, AutomaticMailIsFiledAndNeverAnswered) {
  box.add(mail("out-of-office.eml"));
  box.add(mail("precedence-bulk.eml"));
  box.add(mail("dsn-bounce.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->ignored, 3);
  EXPECT_EQ(box.count("ISP/Processed"), 3U);
  EXPECT_TRUE(queued(OutboxKind::acknowledgement).empty());
  EXPECT_TRUE(queued(OutboxKind::returned).empty());
}

TEST_F(PollTest, UnreadableAttachmentsGoToAttentionWithAReplyNamingTheFile) {
  box.add(mail("zip-bomb.eml"));
  box.add(mail("doc-attachment.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->attention, 2);
  EXPECT_EQ(box.count("ISP/Needs attention"), 2U);
  EXPECT_EQ(queued(OutboxKind::attention).size(), 2U);
  const auto replies = queued(OutboxKind::returned);
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_TRUE(sent_to(replies[0], "officer@stockport.gov.uk"));
  EXPECT_NE(replies[0].template_data.dump().find("ISP notification.docx"), std::string::npos);
}

TEST_F(PollTest, MailWithNoFormGoesToAttention) {
  box.add(mail("no-attachment.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->attention, 1);
  EXPECT_EQ(queued(OutboxKind::attention).size(), 1U);
}

TEST_F(PollTest, FormsInsideForwardedMailAndWinmailDatAreRead) {
  box.add(mail("forwarded.eml"));
  box.add(mail("tnef-winmail.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 2);
}

TEST_F(PollTest, TwoFormsInOneMailAreEachLogged) {
  box.add(mail("two-forms.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 1);
  EXPECT_EQ(db->list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13}).size(), 2U);
}

// A form with no circulation date has its review date counted from the day it arrived, in England: 22:30 UTC on
// 30 June is still 30 June there, so 1 October is too late; 23:30 UTC is 1 July (BST), so it is in time.
TEST_F(PollTest, ReviewDateCountsFromTheDayInEnglandTheFormArrived) {
  const std::string form = test::undated_example_docx(test::ymd(2026, 10, 1));
  box.add(test::council_mail("commissioning.qa@bolton.gov.uk", "ISP notification", "undated-1@bolton.gov.uk", form));
  const auto on_the_30th = poll("2026-06-30T22:30:00Z");
  ASSERT_TRUE(on_the_30th) << on_the_30th.error().message;
  EXPECT_EQ(on_the_30th->returned, 1);
  EXPECT_EQ(on_the_30th->processed, 0);

  box.add(test::council_mail("commissioning.qa@bolton.gov.uk", "ISP notification", "undated-2@bolton.gov.uk", form));
  const auto on_the_1st = poll("2026-06-30T23:30:00Z");
  ASSERT_TRUE(on_the_1st) << on_the_1st.error().message;
  EXPECT_EQ(on_the_1st->returned, 0);
  EXPECT_EQ(on_the_1st->processed, 1);
  EXPECT_EQ(db->list_notifications(std::nullopt, test::ymd(2026, 7, 1)).size(), 1U);
}

TEST_F(PollTest, OversizedMailIsFiledUnreadForAttention) {
  config.mailbox.max_message_bytes = 1000;
  box.add(mail("internal-new-notification.eml"));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->attention, 1);
  EXPECT_EQ(box.count("ISP/Needs attention"), 1U);
  const auto told = queued(OutboxKind::attention);
  ASSERT_EQ(told.size(), 1U);
  // No copy is stored, so ispd reprocess has nothing to run: NWADCS is told what can be done instead.
  const auto notice = templates::render("attention", told[0].template_data);
  ASSERT_TRUE(notice) << notice.error().message;
  for (const auto* body : {&notice->text, &notice->html}) {
    EXPECT_EQ(body->find("reprocess"), std::string::npos) << *body;
    EXPECT_NE(body->find("mailbox.max_message_bytes"), std::string::npos) << *body;
    EXPECT_NE(body->find("back to the inbox"), std::string::npos) << *body;
  }
}

TEST_F(PollTest, FetchFailureStopsThePollAndLosesNothing) {
  const auto uid = box.add(mail("internal-new-notification.eml"));
  box.fail_fetch.insert(uid);
  EXPECT_FALSE(poll());
  EXPECT_EQ(box.count("INBOX"), 1U);
  box.fail_fetch.clear();
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 1);
}

TEST_F(PollTest, MailsAreFiledInBatchesAndAFailedFetchStillFilesWhatWasDecided) {
  std::vector<std::uint32_t> uids;
  for (const auto* name : {"internal-new-notification.eml", "restricted-criminality.eml", "rescind.eml",
                           "two-forms.eml", "no-attachment.eml"}) {
    uids.push_back(box.add(mail(name)));
  }
  box.fail_fetch.insert(uids[3]);
  config.mailbox.batch_size = 2;
  const auto failed = poll();
  ASSERT_FALSE(failed);
  EXPECT_EQ(box.count("ISP/Processed"), 3U);
  EXPECT_EQ(box.count("INBOX"), 2U);

  box.fail_fetch.clear();
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->seen, 2);
  EXPECT_EQ(box.count("INBOX"), 0U);
  EXPECT_EQ(box.count("ISP/Processed"), 4U);
  EXPECT_EQ(box.count("ISP/Needs attention"), 1U);
}

TEST_F(PollTest, AskedToStopItFilesTheMailsDecidedAndLeavesTheRest) {
  for (const auto* name :
       {"internal-new-notification.eml", "restricted-criminality.eml", "rescind.eml", "no-attachment.eml"}) {
    box.add(mail(name));
  }
  config.mailbox.batch_size = 50;
  int asked = 0;
  // Stop is asked for while the second mail is in hand.
  const auto report = poll_inbox(
      box, *db, config, [] { return store::time_from_text("2026-02-13T10:00:00Z"); }, [&] { return ++asked > 2; });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 2);
  EXPECT_EQ(report->left, 2);
  EXPECT_EQ(box.count("ISP/Processed"), 2U);
  EXPECT_EQ(box.count("INBOX"), 2U);

  const auto rest = poll();
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->seen, 2);
  EXPECT_EQ(rest->left, 0);
  EXPECT_EQ(box.count("INBOX"), 0U);
  EXPECT_EQ(db->list_notifications(std::nullopt, Date{std::chrono::year{2026} / 2 / 13}).size(), 3U);
}

TEST_F(PollTest, MailThatFailsEveryTimeGoesToAPersonAfterThreeAttempts) {
  // The archive cannot be written: the intake fails and keeps nothing each time.
  std::ofstream(dir.path() / "archive") << "not a folder";
  box.add(mail("internal-new-notification.eml"));
  for (int attempt = 1; attempt <= kMaxIntakeAttempts; ++attempt) {
    const auto report = poll();
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->failed, 1) << "attempt " << attempt;
    EXPECT_EQ(box.count("INBOX"), 1U);
    EXPECT_TRUE(queued(OutboxKind::acknowledgement).empty());
  }
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->attention, 1);
  EXPECT_EQ(box.count("ISP/Needs attention"), 1U);
  EXPECT_EQ(queued(OutboxKind::attention).size(), 1U);
}

TEST_F(PollTest, NoticeOfAMailGivenUpOnNamesItsSenderAndSubject) {
  std::ofstream(dir.path() / "archive") << "not a folder";
  box.add(mail("internal-new-notification.eml"));
  for (int attempt = 0; attempt <= kMaxIntakeAttempts; ++attempt) ASSERT_TRUE(poll());
  const auto notices = queued(OutboxKind::attention);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].subject, "Needs attention: ISP notification - Brookvale Care Ltd");
  EXPECT_EQ(notices[0].template_data.value("sender", ""), "commissioning.qa@bolton.gov.uk");
  EXPECT_EQ(notices[0].template_data.value("subject", ""), "ISP notification - Brookvale Care Ltd");
  EXPECT_NE(notices[0].template_data.value("reason", "").find("started on this mail 3 times"), std::string::npos);
}

TEST_F(PollTest, FullArchiveLeavesTheMailInTheInboxWithoutCountingTheAttempt) {
  test::Tmpfs disk(std::size_t{64} * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.why();
  open_store(disk.path() / "archive");
  ASSERT_TRUE(disk.fill());
  box.add(mail("internal-new-notification.eml"));
  box.add(mail("restricted-criminality.eml"));
  // More polls than the attempts a mail that crashes ispd is allowed: a full disk is never the mail's fault.
  for (int attempt = 1; attempt <= kMaxIntakeAttempts + 2; ++attempt) {
    const auto report = poll();
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->storage_failure) << "attempt " << attempt;
    EXPECT_EQ(report->storage_failure->part(), store::StoragePart::archive);
    EXPECT_EQ(report->storage_failure->cause(), "No space left on device");
    EXPECT_EQ(report->storage_failure->path().rfind((disk.path() / "archive").string(), 0), 0U)
        << report->storage_failure->path();
    // The batch stops at the first: no point trying the next form on a full disk.
    EXPECT_EQ(report->left, 2);
    EXPECT_EQ(report->failed, 0);
    EXPECT_EQ(box.count("INBOX"), 2U);
    const auto waiting = in(InboundState::received);
    ASSERT_EQ(waiting.size(), 1U);
    EXPECT_EQ(waiting[0].attempts, 0) << "attempt " << attempt;
  }
  EXPECT_TRUE(queued(OutboxKind::attention).empty());
  EXPECT_TRUE(queued(OutboxKind::acknowledgement).empty());

  ASSERT_TRUE(disk.resize(8 << 20));
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->storage_failure);
  EXPECT_EQ(report->processed, 2);
  EXPECT_EQ(box.count("INBOX"), 0U);
  EXPECT_EQ(box.count("ISP/Processed"), 2U);
  EXPECT_EQ(box.count("ISP/Needs attention"), 0U);
  EXPECT_EQ(queued(OutboxKind::acknowledgement).size(), 2U);
}

TEST_F(PollTest, AttentionItemPutBackAfterItsAttemptsRanOutIsTriedAfresh) {
  std::ofstream(dir.path() / "archive") << "not a folder";
  box.add(mail("internal-new-notification.eml"));
  for (int attempt = 0; attempt <= kMaxIntakeAttempts; ++attempt) ASSERT_TRUE(poll());
  ASSERT_EQ(box.count("ISP/Needs attention"), 1U);

  // The cause is fixed and NWADCS moves the mail back to the inbox.
  std::filesystem::remove(dir.path() / "archive");
  auto& attention = box.folders["ISP/Needs attention"];
  box.add(attention.begin()->second);
  attention.clear();
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 1);
  EXPECT_EQ(box.count("ISP/Processed"), 1U);
  EXPECT_EQ(box.count("ISP/Needs attention"), 0U);
}

TEST_F(PollTest, AttentionItemPutBackInTheInboxIsDecidedAgain) {
  config.authorities.erase(config.authorities.begin());  // Bolton is not yet configured
  box.add(mail("internal-new-notification.eml"));
  ASSERT_TRUE(poll());
  ASSERT_EQ(box.count("ISP/Needs attention"), 1U);

  // NWADCS adds the authority and moves the mail back to the inbox.
  config = test_config(dir.path() / "archive");
  auto& attention = box.folders["ISP/Needs attention"];
  box.add(attention.begin()->second);
  attention.clear();
  const auto report = poll();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->processed, 1);
  EXPECT_EQ(box.count("ISP/Processed"), 1U);
  EXPECT_EQ(in(InboundState::processed).size(), 1U);
}

TEST_F(PollTest, ProcessInboundAgainOnAnAttentionItemDecidesItAfresh) {
  config.authorities.erase(config.authorities.begin());
  box.add(mail("internal-new-notification.eml"));
  ASSERT_TRUE(poll());
  const auto waiting = in(InboundState::attention);
  ASSERT_EQ(waiting.size(), 1U);
  config = test_config(dir.path() / "archive");
  const auto outcome = process_inbound(*db, waiting[0].id, *db->inbound_raw(waiting[0].id), config,
                                       store::time_from_text("2026-02-13T11:00:00Z"));
  EXPECT_EQ(outcome.state, InboundState::processed);
  EXPECT_EQ(outcome.references, std::vector<std::string>{"ISP-2026-0001"});
}

}  // namespace
}  // namespace ispd::intake
