// The daily work on the log, over a fixed clock: a notification walked
// through a year of days gets exactly the chasers, the escalation and the
// close request the protocol says, once each, however often ispd runs, when it
// is restarted on random days or its clock jumps; an extension starts a new
// schedule; NWADCS closes notifications; and records past their retention are
// erased for good.

#include "daemon/jobs/chase.hpp"

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/jobs/intake.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::chase {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::sys_days;
using store::TimePoint;

constexpr const char* kNwadcs = "nwadcs@nwadcs.test";
constexpr const char* kOfficer = "commissioning.qa@bolton.gov.uk";

Date ymd(int y, unsigned m, unsigned d) { return test::ymd(y, m, d); }
// 08:30 UTC on a day: 08:30 in winter, 09:30 in summer.
TimePoint morning(Date day) { return sys_days{day} + 8h + 30min; }
Date plus(Date date, int n) { return Date{sys_days{date} + days(n)}; }

config::Config test_config(const std::filesystem::path& archive) {
  config::Config c;
  c.store.archive_dir = archive.string();
  c.nwadcs.address = kNwadcs;
  c.authorities.push_back({"Bolton Council", {"bolton.gov.uk"}});
  return c;
}

// One chaser mail as queued: which, the UK day it was queued, to whom.
struct Chased {
  std::string which;
  Date on;
  std::vector<std::string> to;
  bool operator==(const Chased&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Chased& c) {
  out << c.which << " on " << iso_date(c.on) << " to";
  for (const auto& r : c.to) out << " " << r;
  return out;
}

std::vector<Chased> chasers_queued(const store::Reader& reader, const std::string& reference) {
  std::vector<Chased> out;
  const auto history = reader.show(reference);
  if (!history) return out;
  for (const auto& mail : history->mails) {
    if (mail.kind != store::OutboxKind::chaser) continue;
    std::vector<std::string> to;
    for (const auto& d : mail.deliveries) to.push_back(d.recipient);
    out.push_back({mail.template_data.value("chaser", ""), store::utc_date(mail.created_at), to});
  }
  return out;
}

// What the protocol says for the example form (review date 1 May 2026), logged on 3 February.
std::vector<Chased> the_year(Date review = ymd(2026, 5, 1)) {
  std::vector<Chased> out = {{"before", plus(review, -14), {kOfficer}}, {"on", review, {kOfficer}}};
  for (int week = 1; week <= 26; ++week) {
    std::vector<std::string> to = {kOfficer};
    if (week == 3) to.emplace_back(kNwadcs);
    out.push_back({"overdue-" + std::to_string(week), plus(review, 7 * week), to});
  }
  out.push_back({"close-request", ymd(2026, 11, 1), {kNwadcs}});
  return out;
}

class ChaseTest : public ::testing::Test {
 protected:
  ChaseTest() : config(test_config(dir.path() / "archive")) { open(":memory:"); }

  void open(const std::filesystem::path& path) {
    db.reset();
    store::StoreOptions options;
    options.archive_dir = dir.path() / "archive";
    auto opened = store::Store::open(path, options);
    if (!opened) throw std::runtime_error(opened.error().message);
    db.emplace(std::move(opened).value());
  }

  std::string log(const Form& form, TimePoint at) {
    return db->transaction(at, [&](store::Tx& tx) {
      return tx.log_notification({.form = form, .agency = "Bolton Council", .actor = kOfficer, .detail = {}})
          .notification.reference;
    });
  }

  ChaseReport chase(TimePoint at) {
    now = at;
    return run_chasers(*db, config, [this] { return now; });
  }

  // Every day from `from` to `to`, at 08:30 and 17:00 UTC.
  void walk(Date from, Date to) {
    for (Date d = from; sys_days{d} <= sys_days{to}; d = plus(d, 1)) {
      chase(morning(d));
      chase(sys_days{d} + 17h);
    }
  }

  test::TempDir dir;
  config::Config config;
  std::optional<store::Store> db;
  TimePoint now;
};

TEST_F(ChaseTest, AYearOfDaysGetsEachChaserEscalationAndCloseRequestOnce) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  walk(ymd(2026, 2, 3), ymd(2027, 2, 3));
  EXPECT_EQ(chasers_queued(*db, ref), the_year());
  const auto chasers = db->chasers_of(ref);
  EXPECT_EQ(chasers.size(), the_year().size());
  for (const auto& c : chasers) EXPECT_EQ(c.state, store::ChaserState::queued) << c.which;
}

TEST_F(ChaseTest, TheSameYearWithIspdRestartedOnRandomDays) {
  const auto path = dir.path() / "ispd.sqlite";
  open(path);
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  std::mt19937 random(20260203);
  int restarts = 0;
  for (Date d = ymd(2026, 2, 3); sys_days{d} <= sys_days{ymd(2027, 2, 3)}; d = plus(d, 1)) {
    if (random() % 5 == 0) {
      open(path);
      ++restarts;
    }
    chase(morning(d));
    if (random() % 2 == 0) chase(sys_days{d} + 17h);
  }
  EXPECT_GT(restarts, 30);
  open(path);
  EXPECT_EQ(chasers_queued(*db, ref), the_year());
}

TEST_F(ChaseTest, AClockJumpingAWeekForwardCatchesUpWithOneChaserAndBackSendsNothingAgain) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  walk(ymd(2026, 2, 3), ymd(2026, 5, 10));
  // Forward over overdue 2 (15 May) and overdue 3 (22 May): only overdue 3 goes, with its copy to NWADCS.
  walk(ymd(2026, 5, 23), ymd(2026, 6, 10));
  // Back a week, then on again.
  walk(ymd(2026, 6, 3), ymd(2026, 6, 10));
  // A week switched off from 20 June: overdue 8 (26 June) goes on the day it is back.
  walk(ymd(2026, 6, 11), ymd(2026, 6, 19));
  walk(ymd(2026, 6, 27), ymd(2027, 2, 3));

  std::vector<Chased> expected;
  for (const auto& c : the_year()) {
    if (c.which == "overdue-2") continue;
    if (c.which == "overdue-3") {
      expected.push_back({c.which, ymd(2026, 5, 23), c.to});
    } else if (c.which == "overdue-8") {
      expected.push_back({c.which, ymd(2026, 6, 27), c.to});
    } else {
      expected.push_back(c);
    }
  }
  EXPECT_EQ(chasers_queued(*db, ref), expected);
  int skipped = 0;
  for (const auto& c : db->chasers_of(ref)) {
    if (c.state == store::ChaserState::skipped) {
      ++skipped;
      EXPECT_EQ(c.which, "overdue-2");
    }
  }
  EXPECT_EQ(skipped, 1);
}

TEST_F(ChaseTest, AChaserIsDueOnTheUkDate) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  // 23:30 UTC on 16 April is 00:30 on 17 April in summer time: 14 days before 1 May.
  EXPECT_EQ(chase(sys_days{ymd(2026, 4, 16)} + 22h + 59min).chasers, 0);
  EXPECT_EQ(chase(sys_days{ymd(2026, 4, 16)} + 23h + 30min).chasers, 1);
  EXPECT_EQ(chasers_queued(*db, ref), (std::vector<Chased>{{"before", ymd(2026, 4, 16), {kOfficer}}}));
  EXPECT_EQ(db->chasers_of(ref).at(0).which, "before");
}

TEST_F(ChaseTest, AnExtensionStartsTheScheduleOfTheNewReviewDate) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  walk(ymd(2026, 2, 3), ymd(2026, 5, 9));
  // A resent form with a later review date, recorded as the intake records an extension.
  Form extended = test::complete_issue_form();
  extended.issuing_agency.review_date = ymd(2026, 8, 1);
  db->transaction(morning(ymd(2026, 5, 10)), [&](store::Tx& tx) {
    tx.update_notification(ref, {.kind = store::EventKind::extended,
                                 .form = extended,
                                 .status = std::nullopt,
                                 .actor = kOfficer,
                                 .detail = {}});
  });
  walk(ymd(2026, 5, 10), ymd(2027, 5, 10));

  const Date review = ymd(2026, 8, 1);
  std::vector<Chased> expected = {{"before", ymd(2026, 4, 17), {kOfficer}},
                                  {"on", ymd(2026, 5, 1), {kOfficer}},
                                  {"overdue-1", ymd(2026, 5, 8), {kOfficer}},
                                  {"before", ymd(2026, 7, 18), {kOfficer}},
                                  {"on", review, {kOfficer}}};
  for (int week = 1; week <= 26; ++week) {
    std::vector<std::string> to = {kOfficer};
    if (week == 3) to.emplace_back(kNwadcs);
    expected.push_back({"overdue-" + std::to_string(week), plus(review, 7 * week), to});
  }
  expected.push_back({"close-request", ymd(2027, 2, 1), {kNwadcs}});
  EXPECT_EQ(chasers_queued(*db, ref), expected);
  for (const auto& c : db->chasers_of(ref)) {
    const bool old_schedule = c.which == "before" || c.which == "on" || c.which == "overdue-1";
    EXPECT_TRUE(c.review_date == review || (old_schedule && c.review_date == ymd(2026, 5, 1))) << c.which;
  }
}

TEST_F(ChaseTest, ARescindedOrClosedNotificationIsNotChased) {
  const auto rescinded = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  const auto closed = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  walk(ymd(2026, 4, 1), ymd(2026, 5, 2));
  db->transaction(morning(ymd(2026, 5, 3)), [&](store::Tx& tx) {
    tx.update_notification(rescinded, {.kind = store::EventKind::rescinded,
                                       .form = std::nullopt,
                                       .status = store::NotificationStatus::rescinded,
                                       .actor = kOfficer,
                                       .detail = {}});
  });
  ASSERT_TRUE(close_notification(*db, config, morning(ymd(2026, 5, 3)), closed));
  walk(ymd(2026, 5, 3), ymd(2027, 2, 1));
  for (const auto& ref : {rescinded, closed}) {
    EXPECT_EQ(chasers_queued(*db, ref),
              (std::vector<Chased>{{"before", ymd(2026, 4, 17), {kOfficer}}, {"on", ymd(2026, 5, 1), {kOfficer}}}));
  }
}

TEST_F(ChaseTest, ConfidentialNotificationsRemindTheOfficerInEveryChaser) {
  Form form = test::complete_issue_form();
  form.confidentiality = Confidentiality::confidential;
  const auto ref = log(form, morning(ymd(2026, 2, 3)));
  walk(ymd(2026, 2, 3), ymd(2026, 11, 2));
  const auto history = db->show(ref);
  ASSERT_TRUE(history);
  int officer_chasers = 0;
  for (const auto& mail : history->mails) {
    if (mail.kind != store::OutboxKind::chaser) continue;
    const bool close_request = mail.template_data["which"] == "close_request";
    EXPECT_EQ(mail.template_data["remind_provider"], !close_request) << mail.subject;
    EXPECT_EQ(mail.template_data["classification"], "OFFICIAL-SENSITIVE");
    if (!close_request) ++officer_chasers;
  }
  EXPECT_EQ(officer_chasers, 28);
}

TEST_F(ChaseTest, EachChaserIsAnEventWithItsMail) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  chase(morning(ymd(2026, 4, 17)));
  const auto history = db->show(ref);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->events.size(), 2U);
  const auto& event = history->events[1];
  EXPECT_EQ(event.kind, store::EventKind::chaser);
  EXPECT_EQ(event.actor, "ispd");
  EXPECT_EQ(event.detail["which"], "before");
  EXPECT_EQ(event.detail["review_date"], "2026-05-01");
  ASSERT_EQ(history->mails.size(), 1U);
  EXPECT_EQ(history->mails[0].event_id, event.id);
  EXPECT_EQ(history->mails[0].subject, "[" + ref + "] Review date in 14 days: Brookvale Care Ltd (Bolton Council)");
}

// ---- ispd close ----

TEST_F(ChaseTest, NwadcsClosesAnOpenNotificationOnce) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  const auto closed = close_notification(*db, config, morning(ymd(2026, 11, 2)), ref);
  ASSERT_TRUE(closed) << closed.error().message;
  const auto history = db->show(ref);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->notification.status, store::NotificationStatus::closed);
  EXPECT_EQ(history->events.back().kind, store::EventKind::closed);
  EXPECT_EQ(history->events.back().actor, "nwadcs");
  ASSERT_EQ(history->mails.size(), 1U);
  EXPECT_EQ(history->mails[0].kind, store::OutboxKind::log);
  EXPECT_EQ(history->mails[0].event_id, history->events.back().id);
  EXPECT_EQ(history->mails[0].deliveries.at(0).recipient, kNwadcs);
  EXPECT_EQ(history->mails[0].template_data["action"], "close");

  const auto again = close_notification(*db, config, morning(ymd(2026, 11, 3)), ref);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, ref + " is already closed; only an open notification can be closed");
  const auto unknown = close_notification(*db, config, morning(ymd(2026, 11, 3)), "ISP-2026-0999");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "no notification ISP-2026-0999 in the log");
  EXPECT_EQ(db->show(ref)->events.size(), history->events.size());
}

// ---- NWADCS closing a notification by replying to its close request ----

class CloseByReplyTest : public ChaseTest {
 protected:
  // The notification, logged on 3 February with a review date of 1 May, and its close request of 1 November.
  CloseByReplyTest() {
    ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
    chase(morning(ymd(2026, 11, 2)));
    const auto history = db->show(ref);
    for (const auto& m : history->mails) {
      if (m.kind == store::OutboxKind::chaser && m.template_data.value("chaser", "") == "close-request") request = m;
    }
    if (!request) throw std::runtime_error("no close request was queued");
  }

  intake::Outcome receive(const std::string& from, const std::string& text, bool names_request = true,
                          const std::string& extra_headers = "") {
    const std::string id = "reply-" + std::to_string(++replies) + "@nwadcs.test";
    std::string raw = "From: " + from + "\r\nTo: isp@nwadcs.test\r\nSubject: RE: " + request->subject +
                      "\r\nMessage-ID: <" + id + ">\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n";
    if (names_request) raw += "In-Reply-To: " + request->message_id + "\r\nReferences: " + request->message_id + "\r\n";
    raw += extra_headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text +
           "\r\n\r\n> ISP notification " + ref + " passed its review date\r\n";
    const auto at = morning(ymd(2026, 11, 3));
    const auto stored =
        db->record_inbound({.bytes = raw, .message_id = id, .uidvalidity = std::nullopt, .uid = std::nullopt}, at);
    return intake::process_inbound(*db, stored.id, raw, config, at);
  }

  store::NotificationStatus status() { return db->find_notification(ref)->status; }

  std::string ref;
  std::optional<store::OutboxRow> request;
  int replies = 0;
};

TEST_F(CloseByReplyTest, ReplyingCloseClosesTheNotificationAndEndsItsChasing) {
  const auto outcome = receive(kNwadcs, "Close\r\nThanks, no further concerns.");
  EXPECT_EQ(outcome.state, store::InboundState::processed) << outcome.reason;
  EXPECT_EQ(outcome.references, std::vector<std::string>{ref});
  EXPECT_EQ(status(), store::NotificationStatus::closed);
  const auto history = db->show(ref);
  const auto closed = std::find_if(history->events.begin(), history->events.end(),
                                   [](const store::Event& e) { return e.kind == store::EventKind::closed; });
  ASSERT_NE(closed, history->events.end());
  EXPECT_EQ(closed->actor, "nwadcs");
  EXPECT_EQ(closed->detail.value("by", ""), "a reply to the close request");
  EXPECT_EQ(history->mails.back().kind, store::OutboxKind::log);
  EXPECT_EQ(history->mails.back().deliveries.at(0).recipient, kNwadcs);
  // Nothing more is sent about it.
  const auto mails = history->mails.size();
  walk(ymd(2026, 11, 3), ymd(2027, 3, 1));
  EXPECT_EQ(db->show(ref)->mails.size(), mails);
}

TEST_F(CloseByReplyTest, AColleagueAtNwadcsMayReplyToo) {
  EXPECT_EQ(receive("Jo Bloggs <jo.bloggs@NWADCS.test>", "CLOSE").state, store::InboundState::processed);
  EXPECT_EQ(status(), store::NotificationStatus::closed);
}

TEST_F(CloseByReplyTest, AReplyThatDoesNotSayCloseChangesNothingAndGoesToAPerson) {
  const auto outcome = receive(kNwadcs, "Please keep it open, Bolton are still investigating. Close it next month.");
  EXPECT_EQ(outcome.state, store::InboundState::attention);
  EXPECT_NE(outcome.reason.find("without CLOSE as the first word"), std::string::npos) << outcome.reason;
  EXPECT_EQ(status(), store::NotificationStatus::open);
  EXPECT_EQ(db->show(ref)->mails.back().kind, store::OutboxKind::attention);
}

TEST_F(CloseByReplyTest, OnlyNwadcsAnsweringTheCloseRequestItselfCloses) {
  // The officer, though their mail names the request (a forwarded copy).
  receive(kOfficer, "CLOSE");
  // NWADCS, but not in answer to the request.
  receive(kNwadcs, "CLOSE " + ref, false);
  // NWADCS's out-of-office.
  receive(kNwadcs, "CLOSE", true, "Auto-Submitted: auto-replied\r\n");
  // NWADCS's address first in a From header that names another too.
  receive(std::string(kNwadcs) + ", someone@example.com", "CLOSE");
  EXPECT_EQ(status(), store::NotificationStatus::open);
}

TEST_F(CloseByReplyTest, CloseForANotificationAlreadyClosedGoesToAPerson) {
  ASSERT_TRUE(close_notification(*db, config, morning(ymd(2026, 11, 2)), ref));
  const auto outcome = receive(kNwadcs, "CLOSE");
  EXPECT_EQ(outcome.state, store::InboundState::attention);
  EXPECT_NE(outcome.reason.find("is already closed"), std::string::npos) << outcome.reason;
}

TEST_F(ChaseTest, ARescindedNotificationCannotBeClosed) {
  const auto ref = log(test::complete_issue_form(), morning(ymd(2026, 2, 3)));
  db->transaction(morning(ymd(2026, 3, 1)), [&](store::Tx& tx) {
    tx.update_notification(ref, {.kind = store::EventKind::rescinded,
                                 .form = std::nullopt,
                                 .status = store::NotificationStatus::rescinded,
                                 .actor = kOfficer,
                                 .detail = {}});
  });
  const auto closed = close_notification(*db, config, morning(ymd(2026, 3, 2)), ref);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, ref + " is already rescinded; only an open notification can be closed");
}

// `ispd close` itself, on a copy of the example config with its database in a temporary folder.
TEST(CloseCommand, ClosesAnOpenNotificationAndRefusesAnUnknownOrEndedOne) {
  test::TempDir dir;
  std::string toml = test::read_file(std::filesystem::path(ISPD_SOURCE_DIR) / "deploy/ispd.example.toml");
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = toml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    toml.replace(at, from.size(), to);
  };
  replace("/var/lib/ispd/ispd.sqlite", (dir.path() / "ispd.sqlite").string());
  replace("/var/lib/ispd/archive", (dir.path() / "archive").string());
  const auto config_path = dir.path() / "ispd.toml";
  std::ofstream(config_path) << toml;
  {
    auto opened = store::Store::open(dir.path() / "ispd.sqlite");
    ASSERT_TRUE(opened) << opened.error().message;
    opened.value().transaction(morning(ymd(2026, 2, 3)), [](store::Tx& tx) {
      (void)tx.log_notification(
          {.form = test::complete_issue_form(), .agency = "Bolton Council", .actor = kOfficer, .detail = {}});
    });
  }
  test::RunOptions at_noon;
  at_noon.env = {"ISPD_NOW=2026-11-02T12:00:00Z"};
  const auto closed = test::run_ispd({"close", "--config", config_path.string(), "ISP-2026-0001"}, at_noon);
  EXPECT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_EQ(closed.out, "ISP-2026-0001 is closed (no further concerns); NWADCS's log mail goes with the next run\n");
  const auto again = test::run_ispd({"close", "--config", config_path.string(), "ISP-2026-0001"}, at_noon);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "ispd: ISP-2026-0001 is already closed; only an open notification can be closed\n");
  const auto unknown = test::run_ispd({"close", "--config", config_path.string(), "ISP-2026-0099"}, at_noon);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "ispd: no notification ISP-2026-0099 in the log\n");
  const auto help = test::run_ispd({"close", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("REF"), std::string::npos) << help.out;

  auto opened = store::Store::open(dir.path() / "ispd.sqlite");
  ASSERT_TRUE(opened);
  const auto history = opened.value().show("ISP-2026-0001");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->notification.status, store::NotificationStatus::closed);
  EXPECT_EQ(history->events.back().at, store::time_from_text("2026-11-02T12:00:00Z"));
}

// ---- Retention ----

TEST(RetentionConfig, IsSixYearsUnlessTheConfigSaysOtherwiseAndAtLeastAYear) {
  const std::string example = test::read_file(std::filesystem::path(ISPD_SOURCE_DIR) / "deploy/ispd.example.toml");
  const auto with = [&](const std::string& line) {
    std::string toml = example;
    const auto at = toml.find("retention_months = 72\n");
    toml.replace(at, std::string("retention_months = 72\n").size(), line);
    return config::parse(toml, "ispd.toml");
  };
  const auto fallback = with("");
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback.config.protocol.retention_months, 72);
  const auto two_years = with("retention_months = 24\n");
  ASSERT_TRUE(two_years.ok());
  EXPECT_EQ(two_years.config.protocol.retention_months, 24);
  const auto too_short = with("retention_months = 6\n");
  ASSERT_FALSE(too_short.ok());
  EXPECT_NE(too_short.errors.at(0).find("retention_months"), std::string::npos) << too_short.errors.at(0);
}

constexpr const char* kSecret = "Zebedee-Quillfeather-7741 said something in confidence";

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class RetentionTest : public ChaseTest {
 protected:
  RetentionTest() {
    open(dir.path() / "ispd.sqlite");
    Form form = test::complete_issue_form();
    form.details = kSecret;
    form.provider_response = kSecret;
    const TimePoint at = morning(ymd(2026, 2, 3));
    const std::string raw = std::string("From: ") + kOfficer + "\r\nSubject: ISP\r\n\r\n" + kSecret + "\r\n";
    const auto inbound = db->record_inbound(
        {.bytes = raw, .message_id = "a.1@bolton.gov.uk", .uidvalidity = std::nullopt, .uid = std::nullopt}, at);
    inbound_id = inbound.id;
    db->intake(inbound.id, at, [&](store::IntakeTx& tx) {
      const auto logged =
          tx.log_notification({.form = form, .agency = "Bolton Council", .actor = kOfficer, .detail = {}});
      reference = logged.notification.reference;
      auto archived = tx.archive_form(
          {.reference = reference, .stage = Stage::issue, .file_name = "ISP form.docx", .bytes = kSecret});
      if (!archived) throw std::runtime_error(archived.error().message);
      archived_path = archived->path;
      const auto id = tx.queue_mail(logged.event, {.kind = store::OutboxKind::circulation,
                                                   .reference = reference,
                                                   .recipients = {"isp@wigan.gov.uk"},
                                                   .subject = "OFFICIAL circulation",
                                                   .in_reply_to = std::nullopt,
                                                   .template_data = {{"details", kSecret}},
                                                   .attachments = {},
                                                   .files = {}});
      tx.begin_attempt(id);
      tx.record_delivery(id, "isp@wigan.gov.uk", store::DeliveryState::accepted, "250 ok");
      tx.mark_sent(id);
      tx.settle(store::InboundState::processed, "logged", reference);
    });
  }

  std::string reference;
  std::int64_t inbound_id = 0;
  std::filesystem::path archived_path;
};

TEST_F(RetentionTest, ErasesTheFormsFilesAndFreeTextSixYearsAfterClosure) {
  ASSERT_TRUE(close_notification(*db, config, morning(ymd(2026, 6, 1)), reference));
  ASSERT_TRUE(std::filesystem::exists(archived_path));
  EXPECT_EQ(chase(morning(ymd(2032, 5, 31))).erased, 0);
  EXPECT_TRUE(std::filesystem::exists(archived_path));
  EXPECT_EQ(db->find_notification(reference)->form.details, kSecret);

  EXPECT_EQ(chase(morning(ymd(2032, 6, 1))).erased, 1);
  EXPECT_FALSE(std::filesystem::exists(archived_path));
  const auto n = db->find_notification(reference);
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->form.details.has_value());
  EXPECT_FALSE(n->form.provider_response.has_value());
  EXPECT_EQ(n->form.provider.name, "Brookvale Care Ltd");
  EXPECT_EQ(n->review_date, ymd(2026, 5, 1));
  EXPECT_EQ(n->status, store::NotificationStatus::closed);
  EXPECT_EQ(db->inbound_raw(inbound_id), "");
  const auto history = db->show(reference);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->events.back().kind, store::EventKind::erased);
  EXPECT_EQ(history->events.back().detail["files"], 1);
  EXPECT_EQ(history->events.back().detail["mails"], 1);
  for (const auto& mail : history->mails) EXPECT_EQ(mail.template_data.dump().find(kSecret), std::string::npos);

  // Once only, and nothing of it is left in the database or its log.
  EXPECT_EQ(chase(morning(ymd(2032, 6, 2))).erased, 0);
  db.reset();
  for (const auto* suffix : {"", "-wal"}) {
    const auto bytes = file_bytes(dir.path() / (std::string("ispd.sqlite") + suffix));
    EXPECT_EQ(bytes.find("Zebedee"), std::string::npos) << "ispd.sqlite" << suffix;
  }
}

TEST_F(RetentionTest, CountsFromTheRescindAndFollowsTheConfiguredMonths) {
  config.protocol.retention_months = 24;
  db->transaction(morning(ymd(2026, 9, 30)), [&](store::Tx& tx) {
    tx.update_notification(reference, {.kind = store::EventKind::rescinded,
                                       .form = std::nullopt,
                                       .status = store::NotificationStatus::rescinded,
                                       .actor = kOfficer,
                                       .detail = {}});
  });
  EXPECT_EQ(run_retention(*db, config, morning(ymd(2028, 9, 29))), 0);
  EXPECT_EQ(run_retention(*db, config, morning(ymd(2028, 9, 30))), 1);
  EXPECT_FALSE(std::filesystem::exists(archived_path));
}

TEST_F(RetentionTest, AnOpenNotificationIsNeverErased) {
  EXPECT_EQ(run_retention(*db, config, morning(ymd(2040, 1, 1))), 0);
  EXPECT_TRUE(std::filesystem::exists(archived_path));
  EXPECT_EQ(db->find_notification(reference)->form.details, kSecret);
}

}  // namespace
}  // namespace ispd::chase
