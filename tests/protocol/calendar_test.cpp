#include "daemon/protocol/calendar.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "store/timestamps.hpp"

namespace ispd::protocol {
namespace {

using std::chrono::year;

Date ymd(int y, unsigned m, unsigned d) { return year{y} / m / d; }

TimePoint at(std::string_view text) { return store::time_from_text(text); }

TEST(UkDate, IsTheUtcDateInWinter) {
  EXPECT_EQ(local_date(at("2026-01-31T23:59:59Z")), ymd(2026, 1, 31));
  EXPECT_EQ(local_date(at("2026-12-31T23:30:00Z")), ymd(2026, 12, 31));
}

TEST(UkDate, IsAnHourAheadInSummer) {
  // 23:30 UTC on 31 May is half past midnight on 1 June in England.
  EXPECT_EQ(local_date(at("2026-05-31T23:30:00Z")), ymd(2026, 6, 1));
  EXPECT_EQ(local_date(at("2026-05-31T22:59:59Z")), ymd(2026, 5, 31));
}

TEST(UkDate, ChangesAtOneInTheMorningUtcOnTheLastSundaysOfMarchAndOctober) {
  // 2026: summer time from 29 March to 25 October.
  EXPECT_EQ(local_date(at("2026-03-29T00:59:59Z")), ymd(2026, 3, 29));
  EXPECT_EQ(local_date(at("2026-03-28T23:30:00Z")), ymd(2026, 3, 28));   // still GMT
  EXPECT_EQ(local_date(at("2026-10-24T23:30:00Z")), ymd(2026, 10, 25));  // still BST
  EXPECT_EQ(local_date(at("2026-10-25T23:30:00Z")), ymd(2026, 10, 25));  // GMT again
}

// gov.uk/bank-holidays, England and Wales.
TEST(BankHolidays, Match2026AsPublished) {
  EXPECT_EQ(england_and_wales_bank_holidays(year{2026}),
            (std::vector<Date>{ymd(2026, 1, 1), ymd(2026, 4, 3), ymd(2026, 4, 6), ymd(2026, 5, 4), ymd(2026, 5, 25),
                               ymd(2026, 8, 31), ymd(2026, 12, 25), ymd(2026, 12, 28)}));
}

TEST(BankHolidays, Match2027AsPublished) {
  // Christmas on a Saturday: both days move, to Monday and Tuesday.
  EXPECT_EQ(england_and_wales_bank_holidays(year{2027}),
            (std::vector<Date>{ymd(2027, 1, 1), ymd(2027, 3, 26), ymd(2027, 3, 29), ymd(2027, 5, 3), ymd(2027, 5, 31),
                               ymd(2027, 8, 30), ymd(2027, 12, 27), ymd(2027, 12, 28)}));
}

TEST(BankHolidays, MoveNewYearsDayAndChristmasOffTheWeekend) {
  // 2028: 1 January is a Saturday, so Monday 3rd; Christmas a Monday.
  const auto y2028 = england_and_wales_bank_holidays(year{2028});
  EXPECT_EQ(y2028.front(), ymd(2028, 1, 3));
  EXPECT_EQ(y2028[y2028.size() - 2], ymd(2028, 12, 25));
  EXPECT_EQ(y2028.back(), ymd(2028, 12, 26));
  // 2022 (for the rule): 1 January a Saturday; Christmas a Sunday, so Boxing Day Monday and Christmas Tuesday.
  const auto y2022 = england_and_wales_bank_holidays(year{2022});
  EXPECT_EQ(y2022.front(), ymd(2022, 1, 3));
  EXPECT_EQ(y2022[y2022.size() - 2], ymd(2022, 12, 26));
  EXPECT_EQ(y2022.back(), ymd(2022, 12, 27));
}

TEST(BankHolidays, FindEasterBetween2026And2030) {
  // Good Friday and Easter Monday around Easter Sundays 5 Apr 2026, 28 Mar 2027, 16 Apr 2028, 1 Apr 2029, 21 Apr 2030.
  const std::vector<std::pair<int, Date>> easter = {{2026, ymd(2026, 4, 5)},
                                                    {2027, ymd(2027, 3, 28)},
                                                    {2028, ymd(2028, 4, 16)},
                                                    {2029, ymd(2029, 4, 1)},
                                                    {2030, ymd(2030, 4, 21)}};
  for (const auto& [y, sunday] : easter) {
    const auto holidays = england_and_wales_bank_holidays(year{y});
    EXPECT_EQ(holidays[1], Date{std::chrono::sys_days{sunday} - std::chrono::days(2)}) << y;
    EXPECT_EQ(holidays[2], Date{std::chrono::sys_days{sunday} + std::chrono::days(1)}) << y;
  }
}

TEST(FirstWorkingDay, SkipsWeekendsAndBankHolidays) {
  using namespace std::chrono;
  EXPECT_EQ(first_working_day(year{2026} / June), ymd(2026, 6, 1));     // a Monday
  EXPECT_EQ(first_working_day(year{2026} / August), ymd(2026, 8, 3));   // 1st a Saturday
  EXPECT_EQ(first_working_day(year{2026} / January), ymd(2026, 1, 2));  // New Year's Day a Thursday
  EXPECT_EQ(first_working_day(year{2027} / January), ymd(2027, 1, 4));  // Friday 1st, then a weekend
  EXPECT_EQ(first_working_day(year{2028} / January), ymd(2028, 1, 4));  // Monday 3rd the substitute
  EXPECT_EQ(first_working_day(year{2029} / May), ymd(2029, 5, 1));      // a Tuesday; the holiday is Monday 7th
  EXPECT_EQ(first_working_day(year{2028} / May), ymd(2028, 5, 2));      // Monday 1st the early May holiday
  EXPECT_EQ(first_working_day(year{2029} / April), ymd(2029, 4, 3));    // Sunday 1st Easter, Monday 2nd
}

TEST(FirstWorkingDay, SkipsAnExtraHolidayGiven) {
  using namespace std::chrono;
  const std::vector<Date> extra = {ymd(2026, 6, 1)};
  EXPECT_EQ(first_working_day(year{2026} / June, extra), ymd(2026, 6, 2));
}

}  // namespace
}  // namespace ispd::protocol
