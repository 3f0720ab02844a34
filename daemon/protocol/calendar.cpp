#include "daemon/protocol/calendar.hpp"

#include <algorithm>

namespace ispd::protocol {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;

sys_days last_weekday(year y, std::chrono::month m, weekday wd) { return sys_days{y / m / wd[std::chrono::last]}; }

sys_days first_weekday(year y, std::chrono::month m, weekday wd) { return sys_days{y / m / wd[1]}; }

// Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus 1991).
sys_days easter_sunday(year y) {
  const int yi = static_cast<int>(y);
  const int a = yi % 19;
  const int b = yi / 100;
  const int c = yi % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return sys_days{y / std::chrono::month(static_cast<unsigned>(month)) / static_cast<unsigned>(day)};
}

// A holiday on a Saturday or Sunday moves to the next Monday (or Tuesday, if Monday is taken).
sys_days substitute(sys_days day) {
  const weekday wd{day};
  if (wd == std::chrono::Saturday) return day + days(2);
  if (wd == std::chrono::Sunday) return day + days(1);
  return day;
}

}  // namespace

Date add_months(Date date, int months) {
  const std::chrono::year_month month = date.year() / date.month() + std::chrono::months(months);
  const std::chrono::year_month_day_last last{month.year(), std::chrono::month_day_last{month.month()}};
  return Date{month.year(), month.month(), std::min(date.day(), last.day())};
}

std::vector<Date> england_and_wales_bank_holidays(year y) {
  std::vector<sys_days> out;
  out.push_back(substitute(sys_days{y / std::chrono::January / 1}));
  const auto easter = easter_sunday(y);
  out.push_back(easter - days(2));
  out.push_back(easter + days(1));
  out.push_back(first_weekday(y, std::chrono::May, std::chrono::Monday));
  out.push_back(last_weekday(y, std::chrono::May, std::chrono::Monday));
  out.push_back(last_weekday(y, std::chrono::August, std::chrono::Monday));
  // Christmas and Boxing Day: whichever falls on a weekend takes the next free weekday.
  const sys_days christmas{y / std::chrono::December / 25};
  const sys_days christmas_day = substitute(christmas);
  sys_days boxing_day = substitute(christmas + days(1));
  if (boxing_day <= christmas_day) boxing_day = christmas_day + days(1);
  out.push_back(christmas_day);
  out.push_back(boxing_day);
  std::sort(out.begin(), out.end());
  return {out.begin(), out.end()};
}

bool is_working_day(Date day, std::span<const Date> extra_holidays) {
  const weekday wd{sys_days{day}};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  if (std::find(extra_holidays.begin(), extra_holidays.end(), day) != extra_holidays.end()) return false;
  const auto holidays = england_and_wales_bank_holidays(day.year());
  return std::find(holidays.begin(), holidays.end(), day) == holidays.end();
}

Date first_working_day(std::chrono::year_month month, std::span<const Date> extra_holidays) {
  sys_days day{month / 1};
  while (!is_working_day(Date{day}, extra_holidays)) day += days(1);
  return Date{day};
}

}  // namespace ispd::protocol
