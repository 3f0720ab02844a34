// When the daily digest and the health alerts are due.

#include "daemon/protocol/report_schedule.hpp"

#include <gtest/gtest.h>

namespace ispd::protocol {
namespace {

using namespace std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

TEST(ProtocolDigest, TheFirstDigestCoversYesterdayFromItsHour) {
  EXPECT_FALSE(digest_due(ymd(2026, 12, 3), 6, 7, std::nullopt));
  const auto due = digest_due(ymd(2026, 12, 3), 7, 7, std::nullopt);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->from, ymd(2026, 12, 2));
  EXPECT_EQ(due->to, ymd(2026, 12, 3));
}

TEST(ProtocolDigest, IsDueOnceADay) {
  EXPECT_FALSE(digest_due(ymd(2026, 12, 3), 9, 7, ymd(2026, 12, 3)));
  EXPECT_FALSE(digest_due(ymd(2026, 12, 3), 23, 7, ymd(2026, 12, 3)));
  const auto tomorrow = digest_due(ymd(2026, 12, 4), 7, 7, ymd(2026, 12, 3));
  ASSERT_TRUE(tomorrow);
  EXPECT_EQ(*tomorrow, (DigestWindow{ymd(2026, 12, 3), ymd(2026, 12, 4)}));
}

TEST(ProtocolDigest, AfterAPauseOneDigestCoversTheDaysMissed) {
  const auto due = digest_due(ymd(2026, 12, 7), 8, 7, ymd(2026, 12, 3));
  ASSERT_TRUE(due);
  EXPECT_EQ(*due, (DigestWindow{ymd(2026, 12, 3), ymd(2026, 12, 7)}));
  // A pause of months: the last month only.
  const auto long_pause = digest_due(ymd(2026, 12, 7), 8, 7, ymd(2026, 6, 1));
  ASSERT_TRUE(long_pause);
  EXPECT_EQ(long_pause->from, ymd(2026, 11, 6));
}

TEST(ProtocolDigest, AClockThatWentBackSendsNothingAgain) {
  EXPECT_FALSE(digest_due(ymd(2026, 12, 1), 12, 7, ymd(2026, 12, 3)));
}

TEST(ProtocolHealth, CountsOnlyTheWorkingDaysWithNoMail) {
  // Last mail on Friday 4 December 2026: the weekend does not count.
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 4), ymd(2026, 12, 7)), 0);
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 4), ymd(2026, 12, 8)), 1);
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 4), ymd(2026, 12, 10)), 3);
  // Christmas Day and Boxing Day (a Saturday, so Monday 28th is its substitute) are not working days.
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 24), ymd(2026, 12, 30)), 1);
  // A one-off holiday given in the config.
  const Date extra[] = {ymd(2026, 12, 8)};
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 4), ymd(2026, 12, 10), extra), 2);
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 10), ymd(2026, 12, 10)), 0);
  EXPECT_EQ(quiet_working_days(ymd(2026, 12, 10), ymd(2026, 12, 1)), 0);
}

TEST(ProtocolHealth, AnAlertGoesAtMostOnceInItsPeriod) {
  const auto t0 = sys_days{ymd(2026, 12, 3)} + hours{9};
  EXPECT_TRUE(alert_allowed(std::nullopt, t0, hours{24}));
  EXPECT_FALSE(alert_allowed(t0, t0 + hours{23} + minutes{59}, hours{24}));
  EXPECT_TRUE(alert_allowed(t0, t0 + hours{24}, hours{24}));
  // The clock went back behind the last alert.
  EXPECT_FALSE(alert_allowed(t0, t0 - hours{48}, hours{24}));
}

TEST(ProtocolHealth, TheDiskIsNearlyFullBelowItsShare) {
  const std::uintmax_t gib = std::uintmax_t{1} << 30;
  EXPECT_TRUE(disk_nearly_full(9 * gib, 100 * gib, 10));
  EXPECT_FALSE(disk_nearly_full(10 * gib, 100 * gib, 10));
  EXPECT_FALSE(disk_nearly_full(50 * gib, 100 * gib, 10));
  EXPECT_FALSE(disk_nearly_full(0, 0, 10));
  EXPECT_FALSE(disk_nearly_full(0, 100 * gib, 0));
  // Large disks do not overflow.
  EXPECT_TRUE(disk_nearly_full(std::uintmax_t{1} << 50, std::uintmax_t{1} << 60, 10));
}

}  // namespace
}  // namespace ispd::protocol
