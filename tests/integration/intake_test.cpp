// `ispd run --once` against the real Dovecot: mails as councils send them are
// logged, returned or filed for a person as the rules say, and the mailbox
// ends with every mail in the right folder; a mailbox that cannot be reached
// loses nothing.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/site.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

std::string mail(const std::string& name) { return read_file(data_path("mail/" + name)); }

std::vector<std::string> references_of(const nlohmann::json& listed, const std::string& provider) {
  std::vector<std::string> out;
  for (const auto& n : listed) {
    if (n["provider_name"] == provider) out.push_back(n["reference"]);
  }
  return out;
}

TEST(IntakeRun, FilesEveryKindOfMailAsTheRulesSay) {
  Site site;
  site.deliver({
      mail("internal-new-notification.eml"),  // Bolton: logged
      mail("restricted-criminality.eml"),     // Wigan, restricted: logged
      mail("rescind.eml"),                    // Salford rescinds one issued before ispd: logged, rescinded
      mail("forwarded.eml"),                  // Bolton forwards its own form again: the same notification
      mail("tnef-winmail.eml"),               // Wirral, in winmail.dat: logged, a possible duplicate
      mail("two-forms.eml"),                  // Wigan, two forms: both handled
      mail("out-of-office.eml"),              // automatic: filed, never answered
      mail("no-attachment.eml"),              // a question: for a person
      mail("doc-attachment.eml"),             // an old .doc: for a person, and the sender told
      mail("zip-bomb.eml"),                   // a zip bomb: for a person, and the sender told
      mail("unknown-sender.eml"),             // not an authority: for a person
  });
  const auto run = site.run_once();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("11 mails in the inbox"), std::string::npos) << run.out;

  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.count("ISP/Processed"), 7U);
  EXPECT_EQ(site.count("ISP/Needs attention"), 4U);
  // The question, the .doc, the zip bomb and the stranger's form are the ones waiting for a person.
  EXPECT_EQ(site.message_ids("ISP/Needs attention"),
            (std::vector<std::string>{"BOMB0001@stockport.gov.uk", "DOC0001@oldham.gov.uk", "NONE0001@salford.gov.uk",
                                      "UNKNOWN0001@example-care-consultants.co.uk"}));

  const auto listed = site.list();
  ASSERT_EQ(listed.size(), 5U) << listed.dump(2);
  EXPECT_EQ(references_of(listed, "Brookvale Care Ltd").size(), 3U);  // Bolton's, Wirral's and Wigan's
  EXPECT_EQ(references_of(listed, "Kestrel Fold Supported Living Ltd").size(), 1U);
  const auto pennine = std::find_if(listed.begin(), listed.end(), [](const nlohmann::json& n) {
    return n["provider_name"] == "Pennine Bridge Residential Services Ltd";
  });
  ASSERT_NE(pennine, listed.end());
  EXPECT_EQ((*pennine)["status"], "rescinded");

  // Bolton's notification has its history: logged, then updated by the forwarded copy.
  const auto shown = site.ispd({"show", "ISP-2026-0001"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("logged"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("updated"), std::string::npos) << shown.out;
}

TEST(IntakeRun, SecondRunFindsNothingNewAndChangesNothing) {
  Site site;
  site.deliver({mail("internal-new-notification.eml")});
  ASSERT_EQ(site.run_once().exit_code, 0);
  // The same mail arrives again (a council resends it): recognised, filed, not logged twice.
  site.deliver({mail("internal-new-notification.eml")});
  const auto again = site.run_once();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 already handled"), std::string::npos) << again.out;
  EXPECT_EQ(site.list().size(), 1U);
  EXPECT_EQ(site.count("ISP/Processed"), 2U);
}

TEST(IntakeRun, UnreachableMailboxIsAClearErrorAndLosesNothing) {
  Site site;
  site.deliver({mail("internal-new-notification.eml")});
  // Nothing listens on port 9 of loopback.
  site.write_config({{"url", "\"imap://127.0.0.1:9/INBOX\""}});
  const auto down = site.run_once();
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("imap://127.0.0.1:9/INBOX"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("the next run tries again"), std::string::npos) << down.err;
  EXPECT_EQ(site.count("INBOX"), 1U);

  site.write_config();
  const auto up = site.run_once();
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(site.count("INBOX"), 0U);
  EXPECT_EQ(site.list().size(), 1U);
}

TEST(IntakeRun, RefusedLoginIsAClearErrorWithoutThePasswordAndLosesNothing) {
  Site site;
  site.deliver({mail("internal-new-notification.eml")});
  site.write_config({{"password_env", "\"ISPD_TEST_WRONG_PASSWORD\""}, {"password_file", "\"\""}});
  RunOptions wrong;
  wrong.env = {"ISPD_TEST_WRONG_PASSWORD=not-the-password"};
  const auto refused = site.run_once(wrong);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("login"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("not-the-password"), std::string::npos) << refused.err;
  EXPECT_EQ(site.count("INBOX"), 1U);

  site.write_config();
  ASSERT_EQ(site.run_once().exit_code, 0);
  EXPECT_EQ(site.list().size(), 1U);
}

TEST(IntakeRun, ReprocessDecidesAnAttentionItemAgainOnceItsCauseIsFixed) {
  Site site;
  site.deliver({mail("unknown-sender.eml")});
  ASSERT_EQ(site.run_once().exit_code, 0);
  ASSERT_EQ(site.count("ISP/Needs attention"), 1U);
  EXPECT_TRUE(site.list().empty());

  // Nothing to do until the cause is fixed: it needs attention still.
  const auto early = site.ispd({"reprocess", "UNKNOWN0001@example-care-consultants.co.uk"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_NE(early.out.find("attention"), std::string::npos) << early.out;
  EXPECT_TRUE(site.list().empty());

  // NWADCS adds the consultancy as an authority and runs it again.
  site.add_authority("Example Care Consultants", "example-care-consultants.co.uk");
  const auto again = site.ispd({"reprocess", "<UNKNOWN0001@example-care-consultants.co.uk>"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("processed"), std::string::npos) << again.out;
  const auto listed = site.list();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["agency"], "Example Care Consultants");

  // Once handled, there is nothing left to reprocess under that name.
  const auto after = site.ispd({"reprocess", "UNKNOWN0001@example-care-consultants.co.uk"});
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_NE(after.err.find("nothing needs attention"), std::string::npos) << after.err;
}

TEST(IntakeRun, OnlyOnePollerAtATime) {
  Site site;
  // Another ispd holds the lock: this one says so and touches nothing.
  const auto lock_path = site.database().string() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  site.deliver({mail("internal-new-notification.eml")});
  const auto blocked = site.run_once();
  EXPECT_EQ(blocked.exit_code, 75);
  EXPECT_NE(blocked.err.find("already polling"), std::string::npos) << blocked.err;
  EXPECT_EQ(site.count("INBOX"), 1U);
  ::close(fd);
  EXPECT_EQ(site.run_once().exit_code, 0);
}

}  // namespace
}  // namespace ispd::test
