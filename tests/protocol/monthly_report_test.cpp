#include "daemon/protocol/monthly_report.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/timestamps.hpp"
#include "tests/support/example_forms.hpp"

namespace ispd::protocol {
namespace {

using std::chrono::year;
using store::EventKind;
using store::History;
using store::ListedStatus;
using test::ymd;

store::TimePoint at(std::string_view text) { return store::time_from_text(text); }

constexpr Month kMay2026 = year{2026} / std::chrono::May;

store::Event event(EventKind kind, std::string_view when) {
  store::Event e;
  e.kind = kind;
  e.at = at(when);
  e.actor = "officer@bolton.gov.uk";
  return e;
}

// A notification logged at `logged`, open, with its review date, and its `logged` event.
History logged(std::string reference, std::string_view when, Date review = ymd(2026, 7, 1)) {
  History h;
  auto& n = h.notification;
  n.reference = std::move(reference);
  n.form = test::complete_issue_form();
  n.form.issuing_agency.review_date = review;
  n.confidentiality = n.form.confidentiality;
  n.agency = "Bolton Council";
  n.provider_name = n.form.provider.name;
  n.review_date = review;
  n.created_at = at(when);
  n.updated_at = at(when);
  h.events.push_back(event(EventKind::logged, when));
  return h;
}

History ended(History h, EventKind kind, std::string_view when) {
  h.notification.status =
      kind == EventKind::rescinded ? store::NotificationStatus::rescinded : store::NotificationStatus::closed;
  h.notification.updated_at = at(when);
  if (kind == EventKind::rescinded) {
    h.notification.form.stage = Stage::rescind;
    h.notification.form.rescind = Rescind{};
    h.notification.form.rescind->date = store::utc_date(at(when));
  }
  h.events.push_back(event(kind, when));
  return h;
}

std::vector<std::string> references(const std::vector<SpreadsheetRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.reference);
  return out;
}

TEST(Months, AreReadOnlyAsYearDashTwoDigitMonth) {
  EXPECT_EQ(parse_month("2026-05"), kMay2026);
  EXPECT_EQ(parse_month("2026-12"), year{2026} / std::chrono::December);
  for (const char* bad : {"", "2026", "2026-5", "2026-13", "2026-00", "2026-05-01", "26-05", "2026/05", "May 2026",
                          " 2026-05", "2026-0a"}) {
    EXPECT_EQ(parse_month(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(month_text(kMay2026), "2026-05");
  EXPECT_EQ(month_name(kMay2026), "May 2026");
}

TEST(Months, PreviousMonthCrossesTheYear) {
  EXPECT_EQ(previous_month(ymd(2026, 6, 1)), kMay2026);
  EXPECT_EQ(previous_month(ymd(2026, 6, 30)), kMay2026);
  EXPECT_EQ(previous_month(ymd(2027, 1, 4)), year{2026} / std::chrono::December);
}

TEST(SpreadsheetRows, HoldEveryNotificationOpenAtAnyTimeInTheMonth) {
  const std::vector<History> log = {
      logged("ISP-2026-0001", "2026-03-10T09:00:00Z"),  // open throughout
      ended(logged("ISP-2026-0002", "2026-03-11T09:00:00Z"), EventKind::rescinded,
            "2026-04-30T10:00:00Z"),  // ended before
      ended(logged("ISP-2026-0003", "2026-03-12T09:00:00Z"), EventKind::rescinded,
            "2026-05-01T08:00:00Z"),  // ended on the 1st
      ended(logged("ISP-2026-0004", "2026-03-13T09:00:00Z"), EventKind::closed,
            "2026-05-20T08:00:00Z"),                    // closed during
      logged("ISP-2026-0005", "2026-05-31T20:00:00Z"),  // logged on the last day
      logged("ISP-2026-0006", "2026-06-01T08:00:00Z"),  // logged after
      ended(logged("ISP-2026-0007", "2026-04-01T09:00:00Z"), EventKind::rescinded,
            "2026-06-02T09:00:00Z"),  // ended after
  };
  const auto rows = spreadsheet_rows(log, kMay2026);
  EXPECT_EQ(references(rows), (std::vector<std::string>{"ISP-2026-0001", "ISP-2026-0003", "ISP-2026-0004",
                                                        "ISP-2026-0005", "ISP-2026-0007"}));
}

TEST(SpreadsheetRows, CountDaysInEnglandNotInUtc) {
  // 23:30 UTC on 31 May is 1 June in England: June's, not May's.
  const std::vector<History> log = {logged("ISP-2026-0001", "2026-05-31T23:30:00Z")};
  EXPECT_TRUE(spreadsheet_rows(log, kMay2026).empty());
  const auto june = spreadsheet_rows(log, year{2026} / std::chrono::June);
  ASSERT_EQ(june.size(), 1u);
  EXPECT_EQ(june[0].logged, ymd(2026, 6, 1));
  // And one rescinded at 23:30 UTC on 30 April was still open on the first of May.
  const std::vector<History> rescinded = {
      ended(logged("ISP-2026-0002", "2026-04-01T09:00:00Z"), EventKind::rescinded, "2026-04-30T23:30:00Z")};
  EXPECT_EQ(spreadsheet_rows(rescinded, kMay2026).size(), 1u);
}

TEST(SpreadsheetRows, GiveTheStatusAsItWasAtTheMonthsEnd) {
  const std::vector<History> log = {
      logged("ISP-2026-0001", "2026-03-10T09:00:00Z", ymd(2026, 7, 1)),   // open
      logged("ISP-2026-0002", "2026-03-10T09:00:00Z", ymd(2026, 5, 30)),  // overdue by the 31st
      logged("ISP-2026-0003", "2026-03-10T09:00:00Z", ymd(2026, 5, 31)),  // due on the last day: not yet overdue
      ended(logged("ISP-2026-0004", "2026-03-10T09:00:00Z", ymd(2026, 5, 1)), EventKind::rescinded,
            "2026-05-15T09:00:00Z"),
      ended(logged("ISP-2026-0005", "2026-03-10T09:00:00Z"), EventKind::closed, "2026-05-15T09:00:00Z"),
      // Rescinded in June: open and overdue at the end of May, with no rescind date yet.
      ended(logged("ISP-2026-0006", "2026-03-10T09:00:00Z", ymd(2026, 5, 20)), EventKind::rescinded,
            "2026-06-03T09:00:00Z"),
  };
  const auto rows = spreadsheet_rows(log, kMay2026);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].status, ListedStatus::open);
  EXPECT_EQ(rows[0].overdue, false);
  EXPECT_EQ(rows[1].status, ListedStatus::overdue);
  EXPECT_EQ(rows[1].overdue, true);
  EXPECT_EQ(rows[2].status, ListedStatus::open);
  EXPECT_EQ(rows[2].overdue, false);
  EXPECT_EQ(rows[3].status, ListedStatus::rescinded);
  EXPECT_EQ(rows[3].overdue, false);
  EXPECT_EQ(rows[3].rescind_date, ymd(2026, 5, 15));
  EXPECT_EQ(rows[4].status, ListedStatus::closed);
  EXPECT_EQ(rows[4].rescind_date, std::nullopt);
  EXPECT_EQ(rows[5].status, ListedStatus::overdue);
  EXPECT_EQ(rows[5].overdue, true);
  EXPECT_EQ(rows[5].rescind_date, std::nullopt);
}

TEST(SpreadsheetRows, DateTheLastChangeOnOrBeforeTheMonthsEnd) {
  auto h = logged("ISP-2026-0001", "2026-03-10T09:00:00Z");
  h.events.push_back(event(EventKind::received, "2026-05-02T09:00:00Z"));  // a mail, not a change
  h.events.push_back(event(EventKind::extended, "2026-04-20T09:00:00Z"));
  h.events.push_back(event(EventKind::provider_response, "2026-05-12T09:00:00Z"));
  h.events.push_back(event(EventKind::chaser, "2026-05-25T09:00:00Z"));   // a reminder, not a change
  h.events.push_back(event(EventKind::updated, "2026-06-04T09:00:00Z"));  // after the month
  const std::vector<History> log = {h};
  const auto rows = spreadsheet_rows(log, kMay2026);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].logged, ymd(2026, 3, 10));
  EXPECT_EQ(rows[0].last_changed, ymd(2026, 5, 12));
}

TEST(SpreadsheetRows, CarryTheCurrentFormsFields) {
  auto h = logged("ISP-2026-0001", "2026-05-04T09:00:00Z");
  auto& form = h.notification.form;
  form.provider.company_number = "01234567";
  form.provider.ofsted_urn = "SC123456";
  form.settings = {{"Oak House", "SC654321", std::nullopt}};
  form.service_types = {"residential", "other"};
  form.service_type_other = "Short breaks";
  form.concerns = {"safeguarding", "quality"};
  const std::vector<History> log = {h};
  const auto rows = spreadsheet_rows(log, kMay2026);
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_FALSE(row.restricted);
  EXPECT_EQ(row.agency, "Bolton Council");
  EXPECT_EQ(row.provider_name, form.provider.name);
  EXPECT_EQ(row.company_number, "01234567");
  EXPECT_EQ(row.ofsted_urn, "SC123456");
  EXPECT_EQ(row.settings, form.settings);
  EXPECT_EQ(row.service_types, form.service_types);
  EXPECT_EQ(row.service_type_other, "Short breaks");
  EXPECT_EQ(row.concerns, form.concerns);
  EXPECT_EQ(row.confidentiality, form.confidentiality);
  EXPECT_EQ(row.review_date, ymd(2026, 7, 1));
}

TEST(SpreadsheetRows, ShowOnlyReferenceProviderAndStatusOfARestrictedNotification) {
  auto h = logged("ISP-2026-0001", "2026-03-10T09:00:00Z", ymd(2026, 5, 1));
  h.notification.confidentiality = Confidentiality::restricted;
  h.notification.form.confidentiality = Confidentiality::restricted;
  h.notification.form.provider.company_number = "01234567";
  h.notification.form.settings = {{"Oak House", "SC654321", std::nullopt}};
  h.notification.form.concerns = {"criminality"};
  const std::vector<History> log = {h, ended(h, EventKind::rescinded, "2026-05-20T09:00:00Z")};
  const auto rows = spreadsheet_rows(log, kMay2026);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_TRUE(row.restricted);
    EXPECT_EQ(row.reference, "ISP-2026-0001");
    EXPECT_EQ(row.provider_name, h.notification.provider_name);
    // Every other field empty: no dates, agency, ids, settings, types, concerns, classification, overdue.
    EXPECT_EQ(row.logged, std::nullopt);
    EXPECT_EQ(row.last_changed, std::nullopt);
    EXPECT_EQ(row.agency, std::nullopt);
    EXPECT_EQ(row.company_number, std::nullopt);
    EXPECT_EQ(row.ofsted_urn, std::nullopt);
    EXPECT_TRUE(row.settings.empty());
    EXPECT_TRUE(row.service_types.empty());
    EXPECT_EQ(row.service_type_other, std::nullopt);
    EXPECT_TRUE(row.concerns.empty());
    EXPECT_EQ(row.concern_other, std::nullopt);
    EXPECT_EQ(row.confidentiality, std::nullopt);
    EXPECT_EQ(row.review_date, std::nullopt);
    EXPECT_EQ(row.overdue, std::nullopt);
    EXPECT_EQ(row.rescind_date, std::nullopt);
  }
  EXPECT_EQ(rows[0].status, ListedStatus::overdue);
  EXPECT_EQ(rows[1].status, ListedStatus::rescinded);
}

TEST(SpreadsheetDue, FromTheFirstWorkingDayOfTheMonthForTheMonthBefore) {
  // June 2026 starts on a Monday.
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 1), year{2026} / std::chrono::April), kMay2026);
  EXPECT_EQ(spreadsheet_due(ymd(2026, 5, 31), year{2026} / std::chrono::April), std::nullopt);
  // August 2026 starts on a Saturday: not due until Monday 3rd.
  const Month july = year{2026} / std::chrono::July;
  const Month june = year{2026} / std::chrono::June;
  EXPECT_EQ(spreadsheet_due(ymd(2026, 8, 1), june), std::nullopt);
  EXPECT_EQ(spreadsheet_due(ymd(2026, 8, 2), june), std::nullopt);
  EXPECT_EQ(spreadsheet_due(ymd(2026, 8, 3), june), july);
  // January 2027: Friday 1st is New Year's Day, so Monday 4th.
  const Month december = year{2026} / std::chrono::December;
  EXPECT_EQ(spreadsheet_due(ymd(2027, 1, 1), year{2026} / std::chrono::November), std::nullopt);
  EXPECT_EQ(spreadsheet_due(ymd(2027, 1, 4), year{2026} / std::chrono::November), december);
  // May 2028: Monday 1st is the early May bank holiday.
  EXPECT_EQ(spreadsheet_due(ymd(2028, 5, 1), year{2028} / std::chrono::March), std::nullopt);
  EXPECT_EQ(spreadsheet_due(ymd(2028, 5, 2), year{2028} / std::chrono::March), year{2028} / std::chrono::April);
}

TEST(SpreadsheetDue, IsSentOnce) {
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 1), kMay2026), std::nullopt);
  // Later in the month, once sent, still not again.
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 15), kMay2026), std::nullopt);
  // Not sent on the day (switched off): sent on the first day back, once.
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 9), year{2026} / std::chrono::April), kMay2026);
  // Never sent before: this month's due sheet.
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 1), std::nullopt), kMay2026);
}

TEST(SpreadsheetDue, SendsOnlyTheLastMonthAfterALongPause) {
  EXPECT_EQ(spreadsheet_due(ymd(2026, 9, 1), year{2026} / std::chrono::March), year{2026} / std::chrono::August);
}

TEST(SpreadsheetDue, WaitsForAnExtraHoliday) {
  const std::vector<Date> extra = {ymd(2026, 6, 1)};
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 1), year{2026} / std::chrono::April, extra), std::nullopt);
  EXPECT_EQ(spreadsheet_due(ymd(2026, 6, 2), year{2026} / std::chrono::April, extra), kMay2026);
}

}  // namespace
}  // namespace ispd::protocol
