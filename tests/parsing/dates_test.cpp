#include "parsing/dates.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ispd {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

constexpr Date kFirstFeb2026{year{2026}, month{2}, day{1}};

TEST(ParseBritishDate, ReadsDayBeforeMonth) {
  EXPECT_EQ(parse_british_date("01/02/2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("12/09/2026"), ymd(2026, 9, 12));
  EXPECT_EQ(parse_british_date("13/01/2026"), ymd(2026, 1, 13));
}

TEST(ParseBritishDate, ReadsSlashesDotsAndDashes) {
  EXPECT_EQ(parse_british_date("01.02.2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("01-02-2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1/2/2026"), kFirstFeb2026);
}

TEST(ParseBritishDate, ReadsTwoDigitYearsAsThisCentury) {
  EXPECT_EQ(parse_british_date("1/2/26"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("01.02.26"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("3/4/12"), ymd(2012, 4, 3));
}

TEST(ParseBritishDate, ReadsMonthNames) {
  EXPECT_EQ(parse_british_date("1 Feb 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1 February 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1st February 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("01 February, 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1st of February 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1-Feb-2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1-Feb-26"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1 feb 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1 FEBRUARY 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("22nd March 2026"), ymd(2026, 3, 22));
  EXPECT_EQ(parse_british_date("3rd May 2026"), ymd(2026, 5, 3));
  EXPECT_EQ(parse_british_date("12th Sept 2026"), ymd(2026, 9, 12));
  EXPECT_EQ(parse_british_date("12 Sep 2026"), ymd(2026, 9, 12));
  EXPECT_EQ(parse_british_date("1 Feb. 2026"), kFirstFeb2026);
}

TEST(ParseBritishDate, ReadsEveryMonthName) {
  const char* names[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};
  for (unsigned m = 1; m <= 12; ++m) {
    const std::string full = std::string("1 ") + names[m - 1] + " 2026";
    const std::string abbreviated = std::string("1 ") + std::string(names[m - 1]).substr(0, 3) + " 2026";
    EXPECT_EQ(parse_british_date(full), ymd(2026, m, 1)) << full;
    EXPECT_EQ(parse_british_date(abbreviated), ymd(2026, m, 1)) << abbreviated;
  }
}

TEST(ParseBritishDate, ReadsWeekdayAndAmericanWordOrder) {
  EXPECT_EQ(parse_british_date("Monday 1 February 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("Mon, 1 Feb 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("February 1, 2026"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("Feb 1st 2026"), kFirstFeb2026);
}

TEST(ParseBritishDate, ReadsIsoAndWordFullDate) {
  EXPECT_EQ(parse_british_date("2026-02-01"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("2026-02-01T00:00:00Z"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("2026-02-01T00:00:00"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("2026-02-01T00:00:00.000+01:00"), kFirstFeb2026);
}

TEST(ParseBritishDate, ToleratesSurroundingSpaceAndFullStop) {
  EXPECT_EQ(parse_british_date("  01/02/2026  "), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("\t1 February 2026.\n"), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("01.02.2026."), kFirstFeb2026);
  EXPECT_EQ(parse_british_date("1\xC2\xA0"
                               "February\xC2\xA0"
                               "2026"),
            kFirstFeb2026);
}

TEST(ParseBritishDate, RejectsImpossibleDates) {
  EXPECT_EQ(parse_british_date("31/02/2026"), std::nullopt);
  EXPECT_EQ(parse_british_date("29/02/2027"), std::nullopt);
  EXPECT_EQ(parse_british_date("00/01/2026"), std::nullopt);
  EXPECT_EQ(parse_british_date("01/13/2026"), std::nullopt);
  EXPECT_EQ(parse_british_date("31 April 2026"), std::nullopt);
  EXPECT_EQ(parse_british_date("2026-02-30"), std::nullopt);
  EXPECT_EQ(parse_british_date("2026-02-30T00:00:00Z"), std::nullopt);
}

TEST(ParseBritishDate, AcceptsLeapDayInLeapYear) { EXPECT_EQ(parse_british_date("29/02/2028"), ymd(2028, 2, 29)); }

TEST(ParseBritishDate, RejectsYearsOutsideRange) {
  EXPECT_EQ(parse_british_date("01/02/1899"), std::nullopt);
  EXPECT_EQ(parse_british_date("01/02/2200"), std::nullopt);
  EXPECT_EQ(parse_british_date("1 Feb 0026"), std::nullopt);
  EXPECT_EQ(parse_british_date("01/02/1900"), ymd(1900, 2, 1));
  EXPECT_EQ(parse_british_date("31/12/2199"), ymd(2199, 12, 31));
}

TEST(ParseBritishDate, RejectsTextThatIsNotOneDate) {
  for (const char* text : {"",
                           "   ",
                           ".",
                           "next Tuesday",
                           "TBC",
                           "ASAP",
                           "01/02/2026 or later",
                           "by 01/02/2026",
                           "February 2026",
                           "1 February",
                           "01/02",
                           "2026",
                           "1 Febtember 2026",
                           "01/02-2026",
                           "1,2,2026",
                           "01/02/02026",
                           "001/02/2026",
                           "1 Feb 2026 2027",
                           "-1 Feb 2026",
                           "2026-2-1",
                           "2026-02-01T00:00",
                           "2026-02-01 00:00:00",
                           "2026-02-01Tnoon",
                           "01/02/2026\342\200\22303/02/2026",  // with an en dash
                           "Monday",
                           "Friday 13"}) {
    EXPECT_EQ(parse_british_date(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(ParseBritishDate, RejectsOverlongInput) {
  const std::string padded = std::string(70, ' ') + "01/02/2026";
  EXPECT_EQ(parse_british_date(padded), std::nullopt);
  EXPECT_EQ(parse_british_date(std::string(100000, '1')), std::nullopt);
}

}  // namespace
}  // namespace ispd
