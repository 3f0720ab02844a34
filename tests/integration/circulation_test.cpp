// A council's form in the real Dovecot, `ispd run --once`, and then every
// mailbox read back over IMAP: each partner holds exactly the copies the
// lists and the protocol's policy say, the sender has the reply, NWADCS the
// log; and a Postfix that refuses, or is not there, loses and doubles nothing.

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mail/mime.hpp"
#include "store/store.hpp"
#include "tests/integration/mail_parts.hpp"
#include "tests/integration/site.hpp"
#include "tests/support/docx_builder.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {
namespace {

std::string form(const std::string& name) { return read_file(data_path("forms/" + name)); }

struct Received {
  std::string recipient;
  std::string subject;
  std::string raw;
  mail::MailMessage mail;
};

std::vector<Received> inbox(const std::string& user) {
  std::vector<Received> out;
  for (auto& raw : MailStack::get().inbox(user)) {
    auto read = mail::read_mail(raw);
    if (!read) throw std::runtime_error("unreadable mail for " + user + ": " + read.error().message);
    out.push_back({user, read->subject, std::move(raw), std::move(read).value()});
  }
  return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The one mail a user holds; fails the test unless there is exactly one.
Received only_mail(const std::string& user) {
  auto mails = inbox(user);
  EXPECT_EQ(mails.size(), 1U) << user;
  if (mails.empty()) return {};
  return mails.front();
}

// What a partner's copy of a circulation must be: marked, with the form, and naming nobody else.
void expect_circulation(const Received& got, const std::string& classification, const std::string& reference,
                        const std::string& form_bytes, const std::vector<std::string>& others) {
  EXPECT_TRUE(got.subject.starts_with(classification + " [" + reference + "]")) << got.subject;
  ASSERT_EQ(got.mail.attachments.size(), 1U) << got.subject;
  EXPECT_EQ(got.mail.attachments[0].bytes, form_bytes);
  EXPECT_EQ(got.mail.auto_submitted, "auto-generated");
  EXPECT_TRUE(got.mail.to.empty());
  for (const auto& other : others) {
    // Postfix names the copy's own recipient in its Delivered-To and Received lines; nobody else may be named.
    if (other == got.recipient) continue;
    EXPECT_FALSE(has(got.raw, other)) << other << " is visible in " << got.subject;
  }
}

class CirculationRun : public ::testing::Test {
 protected:
  CirculationRun() { site.use_own_partners(); }

  // A mail from a council officer of this test's own, so their replies can be counted too.
  std::string officer(const std::string& domain) { return MailStack::get().unique_user("officer", domain); }

  CommandResult run() {
    auto ran = site.run_once();
    MailStack::get().wait_until_delivered();
    return ran;
  }

  std::vector<std::string> all_partners() const {
    std::vector<std::string> out;
    for (const char* key : {"cs1", "cs2", "cs_national", "lado", "qa", "police", "adults", "adults_gm", "schools"}) {
      out.push_back(site.partner(key));
    }
    return out;
  }

  Site site;
};

TEST_F(CirculationRun, InternalFormReachesExactlyItsListsAndEveryoneHearsOnce) {
  const std::string sender = officer("bolton.gov.uk");
  const std::string docx = form("internal-new-notification.docx");
  site.deliver({council_mail(sender, "ISP notification - Brookvale Care Ltd", "cs-internal-1@bolton.gov.uk", docx)});
  const auto ran = run();
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_TRUE(has(ran.out, "3 mails sent")) << ran.out;

  // Ticked: children's services, LADO and safeguarding unit at North West, health in an area with no list.
  const std::string ref = "ISP-2026-0001";
  const auto partners = all_partners();
  for (const char* key : {"cs1", "cs2", "lado", "qa"}) {
    SCOPED_TRACE(key);
    expect_circulation(only_mail(site.partner(key)), "OFFICIAL", ref, docx, partners);
  }
  for (const char* key : {"cs_national", "police", "adults", "adults_gm", "schools"}) {
    EXPECT_TRUE(inbox(site.partner(key)).empty()) << key << " was not ticked";
  }

  const auto ack = only_mail(sender);
  EXPECT_TRUE(has(ack.subject, "[" + ref + "]")) << ack.subject;
  EXPECT_EQ(ack.mail.in_reply_to, "cs-internal-1@bolton.gov.uk");
  EXPECT_EQ(ack.mail.auto_submitted, "auto-replied");
  EXPECT_TRUE(ack.mail.attachments.empty());

  const auto log = only_mail(site.nwadcs());
  EXPECT_TRUE(has(log.subject, "[" + ref + "]")) << log.subject;
  // Health in an area nobody has a list for is for NWADCS to send by hand.
  EXPECT_TRUE(has(log.subject, "action needed")) << log.subject;

  // Every copy is recorded, with Postfix's reply, and `ispd show` says so.
  const auto shown = site.ispd({"show", ref, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto circulated = nlohmann::json::parse(shown.out)["mails"];
  const auto copy = std::find_if(circulated.begin(), circulated.end(),
                                 [](const nlohmann::json& m) { return m["kind"] == "circulation"; });
  ASSERT_NE(copy, circulated.end()) << shown.out;
  ASSERT_EQ((*copy)["deliveries"].size(), 4U) << shown.out;
  for (const auto& d : (*copy)["deliveries"]) {
    EXPECT_EQ(d["state"], "accepted") << d.dump();
    EXPECT_TRUE(d["reply"].get<std::string>().starts_with("250")) << d.dump();
  }
  auto db = store::Store::open(site.database());
  ASSERT_TRUE(db) << db.error().message;
  const auto history = db.value().show(ref);
  ASSERT_TRUE(history);
  for (const auto& m : history->mails) {
    EXPECT_EQ(m.state, store::OutboxState::sent) << m.subject;
    for (const auto& d : m.deliveries) {
      EXPECT_EQ(d.state, store::DeliveryState::accepted) << d.recipient;
      EXPECT_TRUE(d.smtp_reply && d.smtp_reply->starts_with("250")) << d.smtp_reply.value_or("(none)");
    }
  }
}

TEST_F(CirculationRun, RestrictedFormGoesOnlyWherePolicyAllows) {
  const std::string sender = officer("wigan.gov.uk");
  const std::string docx = form("restricted-criminality.docx");
  site.deliver({council_mail(sender, "ISP notification", "cs-restricted-1@wigan.gov.uk", docx)});
  const auto ran = run();
  ASSERT_EQ(ran.exit_code, 0) << ran.err;

  // Ticked: children's services national (narrowed to North West), LADO, safeguarding, police,
  // adult services in Greater Manchester (dropped: restricted).
  const auto partners = all_partners();
  for (const char* key : {"cs1", "cs2", "lado", "qa", "police"}) {
    SCOPED_TRACE(key);
    expect_circulation(only_mail(site.partner(key)), "OFFICIAL-SENSITIVE", "ISP-2026-0001", docx, partners);
  }
  for (const char* key : {"cs_national", "adults", "adults_gm", "schools"}) {
    EXPECT_TRUE(inbox(site.partner(key)).empty()) << key << " must never get a restricted notice";
  }
  const auto ack = only_mail(sender);
  EXPECT_TRUE(has(ack.subject, "[ISP-2026-0001]")) << ack.subject;
  EXPECT_EQ(inbox(site.nwadcs()).size(), 1U);
}

TEST_F(CirculationRun, ReturnedFormIsHeardOfOnlyByItsSender) {
  const std::string sender = officer("bolton.gov.uk");
  site.deliver({council_mail(sender, "ISP notification", "cs-blank-1@bolton.gov.uk", form("blank-2026.docx"))});
  const auto ran = run();
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  const auto returned = only_mail(sender);
  EXPECT_TRUE(has(returned.subject, "returned")) << returned.subject;
  EXPECT_EQ(returned.mail.in_reply_to, "cs-blank-1@bolton.gov.uk");
  for (const auto& partner : all_partners()) EXPECT_TRUE(inbox(partner).empty()) << partner;
  EXPECT_TRUE(inbox(site.nwadcs()).empty());
}

TEST_F(CirculationRun, HeaderInjectionInAProviderNameStaysInert) {
  const std::string sender = officer("bolton.gov.uk");
  auto entries = read_zip(form("internal-new-notification.docx"));
  auto& document = entries.at("word/document.xml");
  const std::string name = "Brookvale Care Ltd";
  const auto at = document.find(name);
  ASSERT_NE(at, std::string::npos);
  // A line break inside the provider's name (Word writes it as <w:br/>), then a header and HTML.
  document.replace(at, name.size(),
                   "Evil Ltd</w:t><w:br/><w:t>Bcc: " + site.partner("schools") +
                       "</w:t><w:br/><w:t>&lt;script&gt;alert(1)&lt;/script&gt;");
  // HTML in the free text of section 12.
  const std::string details = "Following a missing-from-home episode";
  const auto in_details = document.find(details);
  ASSERT_NE(in_details, std::string::npos);
  document.replace(in_details, details.size(), "&lt;img src=x onerror=alert(2)&gt; " + details);
  site.deliver({council_mail(sender, "ISP notification", "cs-inject-1@bolton.gov.uk", make_zip(entries))});
  const auto ran = run();
  ASSERT_EQ(ran.exit_code, 0) << ran.err;

  EXPECT_TRUE(inbox(site.partner("schools")).empty()) << "a Bcc in a provider name reached its address";
  for (const auto& user : {site.partner("cs1"), sender, site.nwadcs()}) {
    const auto copy = only_mail(user);
    const auto headers = copy.raw.substr(0, copy.raw.find("\r\n\r\n"));
    EXPECT_FALSE(has(headers, "\nBcc:")) << headers;
    EXPECT_TRUE(has(copy.subject, "Evil Ltd")) << copy.subject;
    const std::string html = text_of(copy.raw, "text/html");
    ASSERT_FALSE(html.empty()) << user;
    EXPECT_FALSE(has(html, "<script>")) << "HTML from a form reached " << user << " unescaped";
    EXPECT_TRUE(has(html, "&lt;script&gt;")) << html;
    EXPECT_FALSE(has(html, "<img")) << "HTML in the details reached " << user << " unescaped";
    // The text part shows what the officer typed.
    EXPECT_TRUE(has(text_of(copy.raw, "text/plain"), "<script>alert(1)</script>")) << user;
  }
  // Only partners get the details, escaped.
  EXPECT_TRUE(has(text_of(only_mail(site.partner("cs1")).raw, "text/html"), "&lt;img src=x"));
}

TEST_F(CirculationRun, SmtpDownSendsNothingAndTheNextRunSendsEverythingOnce) {
  const std::string sender = officer("bolton.gov.uk");
  site.deliver(
      {council_mail(sender, "ISP notification", "cs-down-1@bolton.gov.uk", form("internal-new-notification.docx"))});
  site.set_smtp({{"url", "\"smtp://127.0.0.1:9\""}, {"user", ""}, {"password_file", ""}, {"ca_file", ""}});
  const auto down = run();
  EXPECT_EQ(down.exit_code, 3) << down.err;
  EXPECT_TRUE(has(down.err, "nothing is lost")) << down.err;
  EXPECT_EQ(site.count("ISP/Processed"), 1U);
  for (const auto& partner : all_partners()) EXPECT_TRUE(inbox(partner).empty()) << partner;

  site.set_smtp({});
  const auto up = run();
  ASSERT_EQ(up.exit_code, 0) << up.err;
  for (const char* key : {"cs1", "cs2", "lado", "qa"}) EXPECT_EQ(inbox(site.partner(key)).size(), 1U) << key;
  EXPECT_EQ(inbox(sender).size(), 1U);
  EXPECT_EQ(inbox(site.nwadcs()).size(), 1U);
}

TEST_F(CirculationRun, ServerRefusingPartWayLosesNothingAndDoublesNothing) {
  // The refusing port: tempfail-* get 450, reject-* 550, and every message after a few a minute 450.
  const auto& stack = MailStack::get();
  const std::string slow = stack.unique_user("tempfail-cs", "bolton.gov.uk");
  const std::string gone = stack.unique_user("reject-lado", "wigan.gov.uk");
  // Several forms, so that the rate limit cuts in part way through.
  std::vector<std::string> mails;
  std::vector<std::string> senders;
  for (int i = 0; i < 4; ++i) {
    senders.push_back(officer("bolton.gov.uk"));
    mails.push_back(council_mail(senders.back(), "ISP notification",
                                 "cs-refuse-" + std::to_string(i) + "@bolton.gov.uk",
                                 example_form_about("Refusal Test Provider " + std::to_string(i) + " Ltd", 100 + i)));
  }
  site.deliver(mails);
  // The refusing addresses on lists the form ticks.
  site.add_to_list("childrens_services", "north_west", slow);
  site.add_to_list("lado", "north_west", gone);
  site.set_smtp({{"url", "\"smtp://127.0.0.1:" + std::to_string(stack.refusing_port) + "\""},
                 {"user", ""},
                 {"password_file", ""},
                 {"ca_file", ""}});

  const auto first = run();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "deferred")) << first.out;

  // Later, through a server that takes everything.
  site.set_smtp({});
  RunOptions next_day;
  next_day.env = {"ISPD_NOW=2026-02-14T10:00:00Z"};
  const auto later = site.ispd({"run", "--once"}, next_day);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  stack.wait_until_delivered();

  // Each of the four circulations once to each partner, and to the once-deferred one too.
  for (const char* key : {"cs1", "cs2", "lado", "qa"}) EXPECT_EQ(inbox(site.partner(key)).size(), 4U) << key;
  for (const auto& s : senders) EXPECT_EQ(inbox(s).size(), 1U) << s;
  EXPECT_EQ(stack.inbox(slow).size(), 4U);
  EXPECT_TRUE(stack.inbox(gone).empty());
  // NWADCS: four logs, and a notice for each circulation the refused address did not get.
  const auto notices = inbox(site.nwadcs());
  const auto refusals =
      std::count_if(notices.begin(), notices.end(), [](const Received& r) { return has(r.subject, "Not delivered"); });
  EXPECT_EQ(refusals, 4) << notices.size() << " mails to NWADCS";
  EXPECT_EQ(notices.size(), 8U);
}

}  // namespace
}  // namespace ispd::test
