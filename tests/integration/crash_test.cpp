// `ispd run --once` killed with SIGKILL at many points of a batch of 50 mails,
// then run again: every mail logged exactly once, none left behind, none in
// two places. The kill points vary from run to run; the test asserts only on
// the end state, never on time.

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

constexpr int kMails = 50;

std::string provider(int i) { return "Crash Test Provider " + std::to_string(i) + " Ltd"; }

TEST(CrashTest, KilledAtManyPointsThenRunAgainLogsEveryMailExactlyOnce) {
  Site site;
  std::vector<std::string> mails;
  for (int i = 0; i < kMails; ++i) {
    mails.push_back(council_mail("\"Team Manager\" <commissioning.qa@bolton.gov.uk>",
                                 "ISP notification - " + provider(i), "crash-" + std::to_string(i) + "@bolton.gov.uk",
                                 example_form_about(provider(i), i)));
  }
  site.deliver(mails);

  // Batches of 7, so that kills land before, inside and between batches' syncs and moves.
  site.write_config({{"batch_size", "7"}});
  // Each run is killed once it has handled 1 to 12 mails, a different number each time, so the
  // kill lands at a varied point of the next mail or of a batch's sync and move (the seed is
  // printed to repeat a run).
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> handled(1, 12);
  int kills = 0;
  std::size_t left = kMails;
  for (int round = 0; round < 40 && left > 0; ++round) {
    const int marks = handled(random);
    RunOptions options;
    options.kill_after_marks = marks;
    options.kill_marker = "mail handled";
    const auto run = site.run_once(options);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", round " + std::to_string(round) + ", killed after " +
                 std::to_string(marks) + " mails handled");
    // Killed or not, a run never leaves a broken state behind.
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 128 + 9) << run.exit_code << ": " << run.err;
    if (run.exit_code == 128 + 9) ++kills;
    left = site.count("INBOX");
  }
  // The test proves something only if runs were really killed part way.
  EXPECT_GE(kills, 5) << "seed " << seed;
  const auto last = site.run_once();
  ASSERT_EQ(last.exit_code, 0) << last.err;

  // The mailbox: nothing left behind, each mail filed once.
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.count("ISP/Processed"), static_cast<std::size_t>(kMails));
  EXPECT_EQ(site.count("ISP/Needs attention"), 0U);

  // The log: one notification per provider, each logged once.
  const auto listed = site.list();
  ASSERT_EQ(listed.size(), static_cast<std::size_t>(kMails)) << "seed " << seed;
  std::set<std::string> providers;
  for (const auto& n : listed) providers.insert(n["provider_name"].get<std::string>());
  EXPECT_EQ(providers.size(), static_cast<std::size_t>(kMails));

  auto db = store::Store::open(site.database());
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db.value().inbound_in_state(store::InboundState::processed).size(), static_cast<std::size_t>(kMails));
  EXPECT_TRUE(db.value().inbound_in_state(store::InboundState::received).empty());
  for (const auto& n : listed) {
    const auto history = db.value().show(n["reference"].get<std::string>());
    ASSERT_TRUE(history);
    int logged = 0;
    for (const auto& e : history->events) logged += e.kind == store::EventKind::logged ? 1 : 0;
    EXPECT_EQ(logged, 1) << n["reference"];
    // One acknowledgement and one log per notification: decisions are never doubled.
    std::map<store::OutboxKind, int> mails_of;
    for (const auto& m : history->mails) ++mails_of[m.kind];
    EXPECT_EQ(mails_of[store::OutboxKind::acknowledgement], 1) << n["reference"];
    EXPECT_EQ(mails_of[store::OutboxKind::log], 1) << n["reference"];
  }
}

}  // namespace
}  // namespace ispd::test
