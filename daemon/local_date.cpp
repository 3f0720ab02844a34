#include "daemon/local_date.hpp"

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

}  // namespace ispd
