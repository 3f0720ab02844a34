#include "daemon/protocol/local_date.hpp"

#include <string>

#include <date/tz.h>

namespace ispd {

Date local_date(std::chrono::system_clock::time_point time, std::string_view zone) {
  const date::time_zone* tz = date::locate_zone(std::string(zone));
  const auto local = tz->to_local(std::chrono::time_point_cast<std::chrono::seconds>(time));
  const date::year_month_day day{date::floor<date::days>(local)};
  return Date{std::chrono::year{static_cast<int>(day.year())}, std::chrono::month{static_cast<unsigned>(day.month())},
              std::chrono::day{static_cast<unsigned>(day.day())}};
}

int local_hour(std::chrono::system_clock::time_point time, std::string_view zone) {
  const date::time_zone* tz = date::locate_zone(std::string(zone));
  const auto local = tz->to_local(std::chrono::time_point_cast<std::chrono::seconds>(time));
  const auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(since_midnight).count());
}

std::chrono::system_clock::time_point local_midnight(Date day, std::string_view zone) {
  const date::time_zone* tz = date::locate_zone(std::string(zone));
  const date::local_days local{date::year{static_cast<int>(day.year())} / static_cast<unsigned>(day.month()) /
                               static_cast<unsigned>(day.day())};
  // Midnight is never skipped or repeated in Europe/London (the clocks change at 01:00 and 02:00), but a zone
  // that changes at midnight gets the earliest moment of the day.
  return tz->to_sys(local, date::choose::earliest);
}

}  // namespace ispd
