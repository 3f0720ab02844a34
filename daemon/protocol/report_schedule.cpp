#include "daemon/protocol/report_schedule.hpp"

#include <algorithm>

#include "daemon/protocol/calendar.hpp"

namespace ispd::protocol {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

}  // namespace

std::optional<DigestWindow> digest_due(Date today, int hour_now, int send_hour, std::optional<Date> last_to) {
  if (hour_now < send_hour) return std::nullopt;
  const sys_days to{today};
  if (last_to && sys_days{*last_to} >= to) return std::nullopt;
  const sys_days earliest = to - days{kDigestMaxDays};
  const sys_days from = last_to ? std::max(sys_days{*last_to}, earliest) : to - days{1};
  return DigestWindow{Date{from}, today};
}

int quiet_working_days(Date last_mail, Date today, std::span<const Date> extra_holidays) {
  int count = 0;
  for (sys_days day = sys_days{last_mail} + days{1}; day < sys_days{today}; day += days{1}) {
    if (is_working_day(Date{day}, extra_holidays)) ++count;
  }
  return count;
}

bool alert_allowed(std::optional<TimePoint> last_sent, TimePoint now, std::chrono::hours every) {
  if (!last_sent) return true;
  // A clock that went back behind the last alert counts from now on.
  if (*last_sent > now) return false;
  return now - *last_sent >= every;
}

bool disk_nearly_full(std::uintmax_t available, std::uintmax_t capacity, int min_free_percent) {
  if (capacity == 0 || min_free_percent <= 0) return false;
  // available / capacity < percent / 100, without overflow or floating point.
  return available / static_cast<std::uintmax_t>(min_free_percent) < capacity / 100;
}

}  // namespace ispd::protocol
