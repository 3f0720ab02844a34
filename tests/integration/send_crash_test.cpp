// `ispd run --once` killed with SIGKILL while it sends, again and again, then
// run to the end: every recipient has every mail at least once, and the
// copies sent twice are no more than the kills (README: "What is sent, and
// how often"). The kill points come from the run's own progress, never from
// time.

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mail/mime.hpp"
#include "store/store.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

constexpr int kForms = 10;

TEST(SendCrashTest, KilledWhileSendingEveryoneGetsEachMailAndDuplicatesAreBoundedByTheKills) {
  Site site;
  site.use_own_partners();
  const std::string sender = MailStack::get().unique_user("officer", "bolton.gov.uk");
  std::vector<std::string> mails;
  for (int i = 0; i < kForms; ++i) {
    mails.push_back(council_mail(sender, "ISP notification", "send-crash-" + std::to_string(i) + "@bolton.gov.uk",
                                 example_form_about("Send Crash Provider " + std::to_string(i) + " Ltd", 300 + i)));
  }
  site.deliver(mails);

  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> copies(1, 12);
  int kills = 0;
  for (int round = 0; round < 30; ++round) {
    const int marks = copies(random);
    RunOptions options;
    options.kill_after_marks = marks;
    options.kill_marker = "copy delivered";
    const auto run = site.run_once(options);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", round " + std::to_string(round) + ", killed after " +
                 std::to_string(marks) + " copies");
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 128 + 9) << run.exit_code << ": " << run.err;
    if (run.exit_code == 0) break;
    ++kills;
  }
  // The test proves something only if sending was really cut short, several times.
  EXPECT_GE(kills, 3) << "seed " << seed;
  const auto last = site.run_once();
  ASSERT_EQ(last.exit_code, 0) << last.err;
  MailStack::get().wait_until_delivered();

  // Every queued mail is sent, to every recipient.
  auto db = store::Store::open(site.database());
  ASSERT_TRUE(db) << db.error().message;
  std::map<std::string, std::set<std::string>> expected;  // recipient → Message-IDs
  for (const auto& n : site.list()) {
    const auto history = db.value().show(n["reference"].get<std::string>());
    ASSERT_TRUE(history);
    for (const auto& m : history->mails) {
      EXPECT_EQ(m.state, store::OutboxState::sent) << m.subject;
      for (const auto& d : m.deliveries) expected[d.recipient].insert(m.message_id.substr(1, m.message_id.size() - 2));
    }
  }
  ASSERT_EQ(site.list().size(), static_cast<std::size_t>(kForms));

  // What each mailbox holds: each expected mail at least once; repeats, counted over all, no more than the kills.
  int repeats = 0;
  for (const auto& [recipient, ids] : expected) {
    std::map<std::string, int> held;
    for (const auto& raw : MailStack::get().inbox(recipient)) {
      const auto read = mail::read_mail(raw);
      ASSERT_TRUE(read) << read.error().message;
      ++held[read->message_id];
    }
    for (const auto& id : ids) {
      EXPECT_GE(held[id], 1) << recipient << " never got " << id << " (seed " << seed << ")";
      repeats += std::max(0, held[id] - 1);
    }
    EXPECT_EQ(held.size(), ids.size()) << recipient << " holds a mail ispd never queued for it";
  }
  EXPECT_LE(repeats, kills) << "seed " << seed;
  RecordProperty("kills", kills);
  RecordProperty("repeats", repeats);
}

}  // namespace
}  // namespace ispd::test
