#pragma once
// When NWADCS's scheduled mails and ispd's health alerts are due, as pure
// functions of the day, the hour and what was sent before: the daily digest,
// and the alerts when the mailbox cannot be signed in to, no mail has come for
// some working days, mail is stuck in the outbox or the disk is nearly full.
// (The monthly spreadsheet's day is monthly_report.hpp's spreadsheet_due.)

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "parsing/form.hpp"

namespace ispd::protocol {

using TimePoint = std::chrono::system_clock::time_point;

// After a long pause, a digest covers at most this many days, not every day since the last.
inline constexpr int kDigestMaxDays = 31;

// The UK days a digest covers: [from, to).
struct DigestWindow {
  Date from;
  Date to;
  bool operator==(const DigestWindow&) const = default;
};

// The digest due now, if one is: once a day, from `send_hour` (UK time), about
// the days since the last digest's end (`last_to`) up to today, or yesterday
// alone for the first digest ever. A clock that goes back sends nothing again.
std::optional<DigestWindow> digest_due(Date today, int hour_now, int send_hour, std::optional<Date> last_to);

// The working days (is_working_day) strictly after the day of the last mail
// and before today: the days on which mail could have come and none did.
int quiet_working_days(Date last_mail, Date today, std::span<const Date> extra_holidays = {});

// An alert of one kind goes at most once every `every`.
bool alert_allowed(std::optional<TimePoint> last_sent, TimePoint now, std::chrono::hours every);

// Nearly full: less free than `min_free_percent` of the disk. An unknown capacity (0) is never full.
bool disk_nearly_full(std::uintmax_t available, std::uintmax_t capacity, int min_free_percent);

}  // namespace ispd::protocol
