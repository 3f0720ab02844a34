#include "daemon/protocol/local_date.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "store/timestamps.hpp"

namespace ispd {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}
Date london(const char* utc) { return local_date(store::time_from_text(utc)); }

TEST(LocalDate, IsTheUtcDateInWinter) {
  EXPECT_EQ(london("2026-01-15T23:59:59Z"), ymd(2026, 1, 15));
  EXPECT_EQ(london("2026-01-16T00:00:00Z"), ymd(2026, 1, 16));
  EXPECT_EQ(london("2026-12-31T23:30:00Z"), ymd(2026, 12, 31));
}

TEST(LocalDate, IsAnHourAheadInSummer) {
  EXPECT_EQ(london("2026-07-01T22:59:59Z"), ymd(2026, 7, 1));
  EXPECT_EQ(london("2026-07-01T23:00:00Z"), ymd(2026, 7, 2));
}

TEST(LocalDate, FollowsTheMarchChange) {
  // Summer time begins at 01:00 UTC on Sunday 29 March 2026.
  EXPECT_EQ(london("2026-03-28T23:30:00Z"), ymd(2026, 3, 28));
  EXPECT_EQ(london("2026-03-29T00:30:00Z"), ymd(2026, 3, 29));
  EXPECT_EQ(london("2026-03-29T22:59:59Z"), ymd(2026, 3, 29));
  EXPECT_EQ(london("2026-03-29T23:00:00Z"), ymd(2026, 3, 30));
}

TEST(LocalDate, FollowsTheOctoberChange) {
  // Summer time ends at 01:00 UTC on Sunday 25 October 2026.
  EXPECT_EQ(london("2026-10-24T22:59:59Z"), ymd(2026, 10, 24));
  EXPECT_EQ(london("2026-10-24T23:30:00Z"), ymd(2026, 10, 25));
  EXPECT_EQ(london("2026-10-25T23:30:00Z"), ymd(2026, 10, 25));
  EXPECT_EQ(london("2026-10-26T00:00:00Z"), ymd(2026, 10, 26));
}

TEST(LocalDate, ReadsOtherZones) {
  EXPECT_EQ(local_date(store::time_from_text("2026-01-15T20:00:00Z"), "Asia/Tokyo"), ymd(2026, 1, 16));
  EXPECT_EQ(local_date(store::time_from_text("2026-01-15T03:00:00Z"), "America/New_York"), ymd(2026, 1, 14));
}

TEST(LocalDate, TheHourFollowsSummerTime) {
  EXPECT_EQ(local_hour(store::time_from_text("2026-01-15T06:59:59Z")), 6);
  EXPECT_EQ(local_hour(store::time_from_text("2026-07-15T06:00:00Z")), 7);
  EXPECT_EQ(local_hour(store::time_from_text("2026-07-15T23:30:00Z")), 0);
}

TEST(LocalDate, MidnightIsTheStartOfTheLocalDay) {
  EXPECT_EQ(local_midnight(ymd(2026, 1, 15)), store::time_from_text("2026-01-15T00:00:00Z"));
  EXPECT_EQ(local_midnight(ymd(2026, 7, 15)), store::time_from_text("2026-07-14T23:00:00Z"));
  // The days the clocks change: midnight is still on the old offset.
  EXPECT_EQ(local_midnight(ymd(2026, 3, 29)), store::time_from_text("2026-03-29T00:00:00Z"));
  EXPECT_EQ(local_midnight(ymd(2026, 10, 25)), store::time_from_text("2026-10-24T23:00:00Z"));
  EXPECT_EQ(local_date(local_midnight(ymd(2026, 10, 26))), ymd(2026, 10, 26));
}

TEST(LocalDate, AnUnknownZoneIsAnError) {
  EXPECT_THROW(local_date(store::time_from_text("2026-01-15T20:00:00Z"), "Europe/Atlantis"), std::runtime_error);
}

}  // namespace
}  // namespace ispd
