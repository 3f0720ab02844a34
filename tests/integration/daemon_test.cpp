// `ispd run` as the daemon against the real Dovecot and Postfix: forms that
// arrive while it runs are handled, SIGTERM in the middle of a batch stops it
// cleanly and loses nothing, and SIGHUP swaps in a changed config (and keeps
// the running one when the new one is bad). Waits are bounded by generous
// limits; nothing is asserted on time.

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "tests/integration/daemon_process.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

std::unique_ptr<DaemonProcess> start_daemon(const Site& site) {
  return std::make_unique<DaemonProcess>(std::vector<std::string>{"run", "--config", site.config().string()},
                                         std::vector<std::string>{kIspdNow});
}

std::string form_mail(const std::string& from, int i) {
  return council_mail(from, "ISP notification", "daemon-" + std::to_string(i) + "@" + from.substr(from.find('@') + 1),
                      example_form_about("Daemon Test Provider " + std::to_string(i) + " Ltd", 500 + i));
}

TEST(Daemon, HandlesFormsArrivingWhileItRunsAndStopsCleanlyOnSigterm) {
  Site site;
  site.write_config({{"poll_seconds", "5"}});
  auto daemon = start_daemon(site);
  ASSERT_TRUE(daemon->wait_for("started")) << daemon->err();

  site.deliver({form_mail("officer@bolton.gov.uk", 1)});
  ASSERT_TRUE(daemon->wait_for("mail handled", 1)) << daemon->err();
  ASSERT_TRUE(daemon->wait_for("copy delivered", 6)) << daemon->err();
  site.deliver({form_mail("officer@bolton.gov.uk", 2)});
  ASSERT_TRUE(daemon->wait_for("mail handled", 2)) << daemon->err();
  ASSERT_TRUE(daemon->wait_for("copy delivered", 12)) << daemon->err();

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(), 0) << daemon->err();
  EXPECT_EQ(daemon->count("stopped"), 1) << daemon->err();
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.count("ISP/Processed"), 2U);
  EXPECT_EQ(site.list().size(), 2U);
  // The log names no officer and no provider.
  const auto log = daemon->err();
  for (const char* personal : {"officer@bolton.gov.uk", "Daemon Test Provider"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal << " in the log:\n" << log;
  }
}

TEST(Daemon, SigtermInTheMiddleOfABatchStopsAfterTheMailInHandAndLosesNothing) {
  Site site;
  constexpr int kMails = 40;
  std::vector<std::string> mails;
  for (int i = 0; i < kMails; ++i) mails.push_back(form_mail("officer@wigan.gov.uk", 100 + i));
  site.deliver(mails);
  site.write_config({{"poll_seconds", "5"}, {"batch_size", "3"}});
  auto daemon = start_daemon(site);
  ASSERT_TRUE(daemon->wait_for("mail handled", 4)) << daemon->err();
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(), 0) << daemon->err();
  EXPECT_TRUE(daemon->wait_for("stopped")) << daemon->err();

  // Whatever it decided is filed and logged; the rest is still in the inbox, untouched.
  const auto filed = site.count("ISP/Processed");
  const auto left = site.count("INBOX");
  EXPECT_EQ(filed + left, static_cast<std::size_t>(kMails));
  EXPECT_GT(left, 0U) << "the stop came after the whole inbox was read, so it proves nothing";
  EXPECT_EQ(site.list().size(), filed);

  // The next run picks up where it stopped: each mail logged once.
  const auto rest = site.run_once();
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.list().size(), static_cast<std::size_t>(kMails));
}

TEST(Daemon, SighupSwapsInAGoodConfigAndKeepsTheRunningOneWhenTheNewOneIsBad) {
  Site site;
  site.write_config({{"poll_seconds", "5"}});
  auto daemon = start_daemon(site);
  ASSERT_TRUE(daemon->wait_for("started")) << daemon->err();

  // A council ispd does not know yet: its form waits for a person.
  site.deliver({form_mail("officer@trafford.gov.uk", 1)});
  ASSERT_TRUE(daemon->wait_for("mail handled", 1)) << daemon->err();
  EXPECT_TRUE(site.list().empty());

  // A broken config is refused and the daemon carries on with the old one.
  const std::string good = read_file(site.config());
  std::ofstream(site.config()) << "[mailbox\nthis is not toml\n";
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for("config reload refused")) << daemon->err();

  // Trafford added: the next form from it is logged.
  std::ofstream(site.config()) << good;
  site.add_authority("Trafford Council", "trafford.gov.uk");
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for("config reloaded")) << daemon->err();
  site.deliver({form_mail("officer@trafford.gov.uk", 2)});
  ASSERT_TRUE(daemon->wait_for("mail handled", 2)) << daemon->err();
  const auto listed = site.list();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["agency"], "Trafford Council");

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(), 0) << daemon->err();
}

}  // namespace
}  // namespace ispd::test
