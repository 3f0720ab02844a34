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

}  // namespace ispd
