#include "daemon/protocol/chasers.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/example_forms.hpp"

namespace ispd::protocol {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using Kind = ChaserStep::Kind;

constexpr std::string_view kNwadcs = "placementsnorthwest@stockport.gov.uk";
constexpr std::string_view kOfficer = "commissioning.qa@bolton.gov.uk";

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, std::chrono::month{m}, day{d}}; }
Date plus(Date date, int n) { return Date{sys_days{date} + days(n)}; }

store::Notification notification(Date review, Confidentiality confidentiality = Confidentiality::internal) {
  store::Notification n;
  n.reference = "ISP-2026-0007";
  n.form = test::complete_issue_form();
  n.form.confidentiality = confidentiality;
  n.form.issuing_agency.review_date = review;
  n.confidentiality = confidentiality;
  n.agency = "Bolton Council";
  n.provider_name = n.form.provider.name;
  n.review_date = review;
  return n;
}

store::RecordedChaser recorded(Date review, std::string which, store::ChaserState state = store::ChaserState::queued) {
  store::RecordedChaser c;
  c.reference = "ISP-2026-0007";
  c.review_date = review;
  c.which = std::move(which);
  c.state = state;
  return c;
}

// What a day-by-day run records: each decision's chaser queued and its skipped ones skipped.
void record(std::vector<store::RecordedChaser>& chasers, const ChaserDecision& d) {
  chasers.push_back(recorded(d.review_date, chaser_name(d.step)));
  for (const auto& s : d.skipped)
    chasers.push_back(recorded(d.review_date, chaser_name(s), store::ChaserState::skipped));
}

struct Sent {
  Sent(std::string w, Date d, bool c = false) : which(std::move(w)), on(d), copy(c) {}
  std::string which;
  Date on;
  bool copy = false;
  bool operator==(const Sent&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Sent& s) {
  return out << s.which << " on " << iso_date(s.on) << (s.copy ? " (NWADCS copied)" : "");
}

TEST(Chasers, NamesReadBack) {
  for (const ChaserStep step : {ChaserStep{Kind::before, 0}, ChaserStep{Kind::on, 0}, ChaserStep{Kind::overdue, 1},
                                ChaserStep{Kind::overdue, 26}, ChaserStep{Kind::close_request, 0}}) {
    EXPECT_EQ(chaser_step(chaser_name(step)), step) << chaser_name(step);
  }
  EXPECT_EQ(chaser_name({Kind::overdue, 3}), "overdue-3");
  EXPECT_EQ(chaser_name({Kind::close_request, 0}), "close-request");
  for (const std::string_view bad : {"", "overdue-", "overdue-0", "overdue-3x", "after", "Before"}) {
    EXPECT_FALSE(chaser_step(bad).has_value()) << bad;
  }
}

TEST(Chasers, StepsFollowTheScheduleOrder) {
  EXPECT_LT((ChaserStep{Kind::before, 0}), (ChaserStep{Kind::on, 0}));
  EXPECT_LT((ChaserStep{Kind::on, 0}), (ChaserStep{Kind::overdue, 1}));
  EXPECT_LT((ChaserStep{Kind::overdue, 2}), (ChaserStep{Kind::overdue, 10}));
  EXPECT_LT((ChaserStep{Kind::overdue, 40}), (ChaserStep{Kind::close_request, 0}));
}

TEST(Chasers, SixMonthsIsCalendarMonthsEndingOnTheLastDayOfAShortMonth) {
  EXPECT_EQ(add_months(ymd(2026, 5, 1), 6), ymd(2026, 11, 1));
  EXPECT_EQ(add_months(ymd(2026, 8, 31), 6), ymd(2027, 2, 28));
  EXPECT_EQ(add_months(ymd(2027, 8, 31), 6), ymd(2028, 2, 29));
  EXPECT_EQ(add_months(ymd(2026, 12, 15), 72), ymd(2032, 12, 15));
}

// Walks every day from two months before the review date to a year after it; `last_word`, if any, from its day.
std::vector<Sent> walk(const store::Notification& n, std::optional<Date> last_word = std::nullopt) {
  std::vector<store::RecordedChaser> chasers;
  std::vector<Sent> sent;
  for (Date today = plus(*n.review_date, -60); sys_days{today} <= sys_days{plus(*n.review_date, 365)};
       today = plus(today, 1)) {
    // The agency's word counts from the day it came.
    const auto word = last_word && sys_days{today} >= sys_days{*last_word} ? last_word : std::nullopt;
    const auto d = due_chaser(n, chasers, word, today);
    if (!d) continue;
    EXPECT_TRUE(d->skipped.empty()) << iso_date(today);
    EXPECT_EQ(d->due, today);
    sent.push_back({chaser_name(d->step), today, d->copy_nwadcs});
    record(chasers, *d);
  }
  return sent;
}

std::vector<Sent> expected_year(Date review) {
  std::vector<Sent> out = {{"before", plus(review, -14)}, {"on", review}};
  const Date close = add_months(review, 6);
  for (int week = 1; sys_days{plus(review, 7 * week)} < sys_days{close}; ++week) {
    out.push_back({"overdue-" + std::to_string(week), plus(review, 7 * week), week == 3});
  }
  out.push_back({"close-request", close});
  return out;
}

TEST(Chasers, AYearOfDaysGivesEachChaserOnceOnItsDay) {
  const Date review = ymd(2026, 5, 1);
  const auto sent = walk(notification(review));
  EXPECT_EQ(sent, expected_year(review));
  ASSERT_GE(sent.size(), 5U);
  EXPECT_EQ(sent[0], (Sent{"before", ymd(2026, 4, 17)}));
  EXPECT_EQ(sent[4], (Sent{"overdue-3", ymd(2026, 5, 22), true}));
  EXPECT_EQ(sent.back(), (Sent{"close-request", ymd(2026, 11, 1)}));
  EXPECT_EQ(sent[sent.size() - 2], (Sent{"overdue-26", ymd(2026, 10, 30)}));
}

TEST(Chasers, AfterAGapOnlyTheLatestChaserGoesAndTheRestAreSkipped) {
  const Date review = ymd(2026, 5, 1);
  const auto n = notification(review);
  std::vector<store::RecordedChaser> chasers = {recorded(review, "before"), recorded(review, "on")};
  // Switched off from the day after the review date until the day after overdue 3 fell due.
  const auto d = due_chaser(n, chasers, std::nullopt, plus(review, 22));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->step, (ChaserStep{Kind::overdue, 3}));
  EXPECT_EQ(d->due, plus(review, 21));
  EXPECT_EQ(d->skipped, (std::vector<ChaserStep>{{Kind::overdue, 1}, {Kind::overdue, 2}}));
  EXPECT_TRUE(d->copy_nwadcs);
  record(chasers, *d);
  EXPECT_FALSE(due_chaser(n, chasers, std::nullopt, plus(review, 22)).has_value());
  EXPECT_FALSE(due_chaser(n, chasers, std::nullopt, plus(review, 27)).has_value());
  const auto next = due_chaser(n, chasers, std::nullopt, plus(review, 28));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->step, (ChaserStep{Kind::overdue, 4}));
  EXPECT_FALSE(next->copy_nwadcs);
}

TEST(Chasers, TheCopyToNwadcsGoesWithTheFirstChaserSentFromTheThirdWeek) {
  const Date review = ymd(2026, 5, 1);
  const auto n = notification(review);
  std::vector<store::RecordedChaser> chasers = {recorded(review, "before"), recorded(review, "on"),
                                                recorded(review, "overdue-1"), recorded(review, "overdue-2")};
  const auto d = due_chaser(n, chasers, std::nullopt, plus(review, 35));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->step, (ChaserStep{Kind::overdue, 5}));
  EXPECT_TRUE(d->copy_nwadcs);
}

TEST(Chasers, AGapPastSixMonthsSendsOnlyTheCloseRequest) {
  const Date review = ymd(2026, 5, 1);
  std::vector<store::RecordedChaser> chasers = {recorded(review, "before")};
  const auto d = due_chaser(notification(review), chasers, std::nullopt, ymd(2027, 1, 10));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->step.kind, Kind::close_request);
  EXPECT_EQ(d->due, ymd(2026, 11, 1));
  EXPECT_EQ(d->skipped.size(), 27U);  // on, overdue 1 … 26
  record(chasers, *d);
  EXPECT_FALSE(due_chaser(notification(review), chasers, std::nullopt, ymd(2027, 6, 1)).has_value());
}

TEST(Chasers, AClockThatGoesBackSendsNothingAgain) {
  const Date review = ymd(2026, 5, 1);
  std::vector<store::RecordedChaser> chasers = {recorded(review, "overdue-3")};
  for (int offset = -20; offset <= 27; ++offset) {
    EXPECT_FALSE(due_chaser(notification(review), chasers, std::nullopt, plus(review, offset)).has_value()) << offset;
  }
}

TEST(Chasers, OnlyOpenNotificationsWithAReviewDateAreChased) {
  const Date review = ymd(2026, 5, 1);
  for (const auto status : {store::NotificationStatus::rescinded, store::NotificationStatus::closed}) {
    auto n = notification(review);
    n.status = status;
    EXPECT_FALSE(due_chaser(n, {}, std::nullopt, review).has_value());
  }
  auto n = notification(review);
  n.review_date.reset();
  EXPECT_FALSE(due_chaser(n, {}, std::nullopt, review).has_value());
}

TEST(Chasers, AnExtensionStartsANewScheduleForItsReviewDate) {
  const Date first = ymd(2026, 5, 1);
  std::vector<store::RecordedChaser> chasers = {recorded(first, "before"), recorded(first, "on"),
                                                recorded(first, "overdue-1")};
  // Extended on 10 May to 1 August: nothing until 14 days before the new date.
  const Date extended_on = ymd(2026, 5, 10);
  const Date second = ymd(2026, 8, 1);
  const auto n = notification(second);
  for (Date d = extended_on; sys_days{d} < sys_days{ymd(2026, 7, 18)}; d = plus(d, 1)) {
    EXPECT_FALSE(due_chaser(n, chasers, extended_on, d).has_value()) << iso_date(d);
  }
  const auto before = due_chaser(n, chasers, extended_on, ymd(2026, 7, 18));
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->step.kind, Kind::before);
  EXPECT_EQ(before->review_date, second);
}

TEST(Chasers, AChaserThatFellDueBeforeTheAgencyLastSpokeIsNotSent) {
  // An extension sent 10 days before its new review date: its "before" chaser is moot, "on" is not.
  const Date review = ymd(2026, 8, 1);
  const Date spoke = ymd(2026, 7, 22);
  const auto n = notification(review);
  EXPECT_FALSE(due_chaser(n, {}, spoke, spoke).has_value());
  EXPECT_FALSE(due_chaser(n, {}, spoke, plus(review, -1)).has_value());
  const auto on = due_chaser(n, {}, spoke, review);
  ASSERT_TRUE(on.has_value());
  EXPECT_EQ(on->step.kind, Kind::on);
  EXPECT_EQ(on->skipped, (std::vector<ChaserStep>{{Kind::before, 0}}));
}

TEST(Chasers, WordFromTheAgencyAfterTheReviewDateMovesTheCloseRequest) {
  const Date review = ymd(2026, 5, 1);
  const Date spoke = ymd(2026, 6, 15);  // an update, keeping the review date
  EXPECT_EQ(close_request_due(review, spoke), ymd(2026, 12, 15));
  EXPECT_EQ(close_request_due(review, ymd(2026, 4, 1)), ymd(2026, 11, 1));
  const auto sent = walk(notification(review), spoke);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.back(), (Sent{"close-request", ymd(2026, 12, 15)}));
  // The weekly chasers run on until then; the ones on or before the update's day were sent before it came.
  EXPECT_EQ(sent[sent.size() - 2].which, "overdue-32");
}

TEST(Chasers, ConfidentialAndRestrictedChasersRemindTheOfficerAboutTheProvider) {
  const Date review = ymd(2026, 5, 1);
  for (const auto& [level, remind] :
       {std::pair{Confidentiality::restricted, true}, std::pair{Confidentiality::confidential, true},
        std::pair{Confidentiality::internal, false}}) {
    const auto d = due_chaser(notification(review, level), {}, std::nullopt, review);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->remind_provider, remind) << to_string(level);
  }
  const auto close = due_chaser(notification(review, Confidentiality::restricted), {}, std::nullopt, ymd(2026, 11, 1));
  ASSERT_TRUE(close.has_value());
  EXPECT_FALSE(close->remind_provider);
}

TEST(Chasers, MailsGoToTheOfficerWithNwadcsOnTheEscalationAndTheCloseRequestToNwadcs) {
  const Date review = ymd(2026, 5, 1);
  const auto n = notification(review, Confidentiality::restricted);
  ChaserDecision d;
  d.review_date = review;
  d.step = {Kind::on, 0};
  auto mail = plan_chaser_mail(n, d, std::nullopt, kNwadcs);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->kind, store::OutboxKind::chaser);
  EXPECT_EQ(mail->to, std::vector<std::string>{std::string(kOfficer)});
  EXPECT_EQ(mail->subject, "[ISP-2026-0007] Review date today: Brookvale Care Ltd (Bolton Council)");
  EXPECT_EQ(mail->data["classification"], "OFFICIAL-SENSITIVE");

  d.step = {Kind::overdue, 3};
  d.copy_nwadcs = true;
  mail = plan_chaser_mail(n, d, std::nullopt, kNwadcs);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->to, (std::vector<std::string>{std::string(kOfficer), std::string(kNwadcs)}));
  EXPECT_EQ(mail->subject, "[ISP-2026-0007] Review overdue by 3 weeks: Brookvale Care Ltd (Bolton Council)");

  d.step = {Kind::close_request, 0};
  d.copy_nwadcs = false;
  mail = plan_chaser_mail(n, d, std::nullopt, kNwadcs);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->to, std::vector<std::string>{std::string(kNwadcs)});
  EXPECT_EQ(mail->subject,
            "[ISP-2026-0007] Please close: six months past the review date: Brookvale Care Ltd (Bolton Council)");
}

TEST(Chasers, AnOfficerChaserWithNoOfficerAddressGoesToNwadcs) {
  auto n = notification(ymd(2026, 5, 1));
  n.form.issuing_agency.officer_email = "not an address";
  ChaserDecision d;
  d.review_date = *n.review_date;
  d.step = {Kind::on, 0};
  const auto mail = plan_chaser_mail(n, d, std::nullopt, kNwadcs);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->to, std::vector<std::string>{std::string(kNwadcs)});
  EXPECT_EQ(mail->data["no_officer_email"], true);
  EXPECT_FALSE(plan_chaser_mail(n, d, std::nullopt, "").has_value());
}

TEST(Chasers, SubjectsStayOnOneLine) {
  auto n = notification(ymd(2026, 5, 1));
  n.provider_name = "Brookvale\r\nBcc: someone@example.com";
  ChaserDecision d;
  d.review_date = *n.review_date;
  d.step = {Kind::before, 0};
  const auto mail = plan_chaser_mail(n, d, std::nullopt, kNwadcs);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->subject.find_first_of("\r\n"), std::string::npos);
}

}  // namespace
}  // namespace ispd::protocol
