#pragma once
// Days as people in England and Wales count them: the working days the
// monthly spreadsheet is sent on. The date of a moment in England is
// local_date() (local_date.hpp, from tzdata).

#include <chrono>
#include <span>
#include <vector>

#include "daemon/protocol/local_date.hpp"
#include "parsing/form.hpp"

namespace ispd::protocol {

using TimePoint = std::chrono::system_clock::time_point;

// `date` plus whole calendar months, on the month's last day when it is shorter (31 August + 6 months: 28 February).
Date add_months(Date date, int months);

// The bank holidays of England and Wales in `year`, in date order, by the
// Banking and Financial Dealings Act 1971 and the usual substitute days (as
// gov.uk/bank-holidays lists them): New Year's Day, Good Friday, Easter
// Monday, the early May, spring and summer bank holidays, Christmas Day and
// Boxing Day. A one-off holiday proclaimed for a single year is not in it:
// pass it as an extra holiday where one is taken.
std::vector<Date> england_and_wales_bank_holidays(std::chrono::year year);

// Monday to Friday, and neither a bank holiday nor one of `extra_holidays`.
bool is_working_day(Date day, std::span<const Date> extra_holidays = {});

std::chrono::year_month_day first_working_day(std::chrono::year_month month, std::span<const Date> extra_holidays = {});

}  // namespace ispd::protocol
