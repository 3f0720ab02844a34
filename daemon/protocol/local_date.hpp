#pragma once
// The calendar date a moment falls on in a time zone, from the system's
// time-zone database (tzdata): review dates are UK dates, and a chaser is due
// on a day in Europe/London, through summer time.

#include <chrono>
#include <string_view>

#include "parsing/form.hpp"

namespace ispd {

inline constexpr std::string_view kUkTimeZone = "Europe/London";

// Throws std::runtime_error for a zone the database does not have.
Date local_date(std::chrono::system_clock::time_point time, std::string_view zone = kUkTimeZone);

// The hour (0 to 23) on a clock in `zone` at `time`.
int local_hour(std::chrono::system_clock::time_point time, std::string_view zone = kUkTimeZone);

// The moment `day` begins in `zone` (midnight local time, or the first moment after it should midnight not exist).
std::chrono::system_clock::time_point local_midnight(Date day, std::string_view zone = kUkTimeZone);

}  // namespace ispd
