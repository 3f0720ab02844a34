#pragma once
// Days as people in England and Wales count them: the local date of a moment
// (Greenwich Mean Time, or British Summer Time in summer), and the working
// days the monthly spreadsheet is sent on.

#include <chrono>
#include <span>
#include <vector>

#include "parsing/form.hpp"

namespace ispd::protocol {

using TimePoint = std::chrono::system_clock::time_point;

// The date on a clock in England at `time`: BST (UTC+1) from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October, else GMT.
Date uk_date(TimePoint time);

// The bank holidays of England and Wales in `year`, in date order, by the
// Banking and Financial Dealings Act 1971 and the usual substitute days (as
// gov.uk/bank-holidays lists them): New Year's Day, Good Friday, Easter
// Monday, the early May, spring and summer bank holidays, Christmas Day and
// Boxing Day. A one-off holiday proclaimed for a single year is not in it:
// pass it as an extra holiday where one is taken.
std::vector<Date> england_and_wales_bank_holidays(std::chrono::year year);

// Monday to Friday, and neither a bank holiday nor one of `extra_holidays`.
bool is_working_day(Date day, std::span<const Date> extra_holidays = {});

std::chrono::year_month_day first_working_day(std::chrono::year_month month,
                                              std::span<const Date> extra_holidays = {});

}  // namespace ispd::protocol
