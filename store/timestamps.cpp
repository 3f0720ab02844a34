#include "store/timestamps.hpp"

#include <charconv>
#include <stdexcept>

namespace ispd::store {

using namespace std::chrono;

namespace {

std::string padded(long long value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// Exactly `width` digits at text[pos].
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  const char* first = text.data() + pos;
  for (std::size_t i = 0; i < width; ++i) {
    if (first[i] < '0' || first[i] > '9') return false;
  }
  return std::from_chars(first, first + width, out).ptr == first + width;
}

// "YYYY-MM-DD" at the start of `text`.
std::optional<Date> read_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, y) ||
      !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace

std::string time_text(TimePoint time) {
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto day = floor<days>(seconds);
  const year_month_day date{day};
  const hh_mm_ss clock{seconds - day};
  return padded(static_cast<int>(date.year()), 4) + "-" + padded(static_cast<unsigned>(date.month()), 2) + "-" +
         padded(static_cast<unsigned>(date.day()), 2) + "T" + padded(clock.hours().count(), 2) + ":" +
         padded(clock.minutes().count(), 2) + ":" + padded(clock.seconds().count(), 2) + "Z";
}

TimePoint time_from_text(std::string_view text) {
  const auto date = read_date(text);
  int h = 0, mi = 0, sec = 0;
  if (!date || text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' ||
      !read_digits(text, 11, 2, h) || !read_digits(text, 14, 2, mi) || !read_digits(text, 17, 2, sec) || h > 23 ||
      mi > 59 || sec > 59) {
    throw std::runtime_error("store: unreadable time \"" + std::string(text) + "\"");
  }
  return sys_days{*date} + hours{h} + minutes{mi} + seconds{sec};
}

std::optional<Date> date_from_text(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return read_date(text);
}

Date utc_date(TimePoint time) { return year_month_day{floor<days>(time)}; }

}  // namespace ispd::store
