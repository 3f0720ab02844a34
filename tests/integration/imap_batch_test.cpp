// Moving a batch of messages at once, as the poller files a batch.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mail/imap.hpp"
#include "tests/integration/mail_stack.hpp"

namespace ispd::mail {
namespace {

using test::MailStack;

std::string small_mail(int n) {
  return "From: a@bolton.gov.uk\r\nSubject: batch " + std::to_string(n) + "\r\nMessage-ID: <batch-" +
         std::to_string(n) + "@bolton.gov.uk>\r\n\r\nbody " + std::to_string(n) + "\r\n";
}

void moves_a_batch(bool never_move) {
  const auto& stack = MailStack::get();
  auto settings = stack.imap(stack.unique_user("batch"));
  settings.never_move = never_move;
  auto connected = ImapMailbox::connect(settings);
  ASSERT_TRUE(connected) << connected.error().message;
  auto& mailbox = *connected.value();
  ASSERT_TRUE(mailbox.ensure_folder("ISP/Processed"));
  for (int n = 1; n <= 6; ++n) ASSERT_TRUE(mailbox.append("INBOX", small_mail(n)));
  const auto listed = mailbox.list_inbox();
  ASSERT_TRUE(listed && listed->size() == 6U);
  const auto uid = [&](std::size_t i) { return (*listed)[i].uid; };

  // Scattered and out of order, with one repeated and one no longer there.
  const auto moved = mailbox.move_all({uid(4), uid(0), uid(1), uid(2), uid(0), uid(5) + 1000}, "ISP/Processed");
  ASSERT_TRUE(moved) << moved.error().message;

  const auto left = mailbox.list_inbox();
  ASSERT_TRUE(left) << left.error().message;
  ASSERT_EQ(left->size(), 2U);
  EXPECT_EQ((*left)[0].uid, uid(3));
  EXPECT_EQ((*left)[1].uid, uid(5));
  const auto processed = mailbox.list_folder("ISP/Processed");
  ASSERT_TRUE(processed) << processed.error().message;
  EXPECT_EQ(processed->size(), 4U);
}

TEST(ImapMailboxBatch, MovesManyMessagesAtOnceWithMove) { moves_a_batch(false); }

TEST(ImapMailboxBatch, MovesManyMessagesAtOnceWithCopyAndExpunge) { moves_a_batch(true); }

TEST(ImapMailboxBatch, MovingToAMissingFolderNamesIt) {
  const auto& stack = MailStack::get();
  auto connected = ImapMailbox::connect(stack.imap(stack.unique_user("batchmissing")));
  ASSERT_TRUE(connected) << connected.error().message;
  auto& mailbox = *connected.value();
  ASSERT_TRUE(mailbox.append("INBOX", small_mail(1)));
  const auto listed = mailbox.list_inbox();
  ASSERT_TRUE(listed && listed->size() == 1U);
  const auto moved = mailbox.move_all({listed->front().uid}, "No Such Folder");
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message.find("No Such Folder"), std::string::npos) << moved.error().message;
  EXPECT_EQ(mailbox.list_inbox()->size(), 1U);
}

}  // namespace
}  // namespace ispd::mail
