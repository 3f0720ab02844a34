#include "parsing/dates.hpp"
#include "util/text.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ispd {

namespace {

// A date is short; anything longer is prose, not a date.
constexpr std::size_t kMaxDateLength = 64;
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2199;

using text::is_alpha;
using text::is_digit;
using text::lower;

// Word writes dates with no-break and thin spaces as often as plain ones.
std::string with_plain_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto rest = text.substr(i);
    if (rest.starts_with("\xC2\xA0")) {  // U+00A0 no-break space
      out += ' ';
      i += 1;
    } else if (rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x89")) {  // narrow, thin
      out += ' ';
      i += 2;
    } else if (text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<Date> make_date(int year, unsigned month, unsigned day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const Date date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// Digits only, at most `max_digits` of them (callers bound every field).
std::optional<unsigned> number(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  unsigned value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// Two-digit years are this century: 26 is 2026.
std::optional<int> year_of(std::string_view digits) {
  if (digits.size() == 2) return 2000 + static_cast<int>(*number(digits, 2));
  if (digits.size() == 4) return static_cast<int>(*number(digits, 4));
  return std::nullopt;
}

struct Token {
  enum class Kind { number, word, punct } kind;
  std::string_view text;
};

std::optional<std::vector<Token>> tokens_of(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ') {
      ++i;
    } else if (is_digit(c)) {
      const std::size_t start = i;
      while (i < text.size() && is_digit(text[i])) ++i;
      tokens.push_back({Token::Kind::number, text.substr(start, i - start)});
    } else if (is_alpha(c)) {
      const std::size_t start = i;
      while (i < text.size() && is_alpha(text[i])) ++i;
      tokens.push_back({Token::Kind::word, text.substr(start, i - start)});
    } else if (c == '/' || c == '.' || c == '-' || c == ',') {
      tokens.push_back({Token::Kind::punct, text.substr(i, 1)});
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return tokens;
}

bool equals_lower(std::string_view word, std::string_view lower_word) {
  if (word.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(word[i]) != lower_word[i]) return false;
  }
  return true;
}

std::optional<unsigned> month_named(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {"january",   "february", "march",    "april",
                                                               "may",       "june",     "july",     "august",
                                                               "september", "october",  "november", "december"};
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (equals_lower(word, kMonths[m]) || equals_lower(word, kMonths[m].substr(0, 3))) {
      return static_cast<unsigned>(m + 1);
    }
  }
  if (equals_lower(word, "sept")) return 9u;
  return std::nullopt;
}

bool is_weekday(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kWeekdays = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
      "mon",    "tue",     "wed",       "thu",      "fri",    "sat",      "sun"};
  for (const auto day : kWeekdays) {
    if (equals_lower(word, day)) return true;
  }
  return equals_lower(word, "tues") || equals_lower(word, "thur") || equals_lower(word, "thurs");
}

bool is_ordinal_suffix(std::string_view word) {
  return equals_lower(word, "st") || equals_lower(word, "nd") || equals_lower(word, "rd") || equals_lower(word, "th");
}

// 2026-02-01, optionally with Word's time part: T00:00:00, fractions, Z or an offset.
std::optional<Date> iso(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto time = text.substr(10);
  if (!time.empty()) {
    // Accepts THH:MM:SS[.fff][Z|+HH:MM|-HH:MM]; the time itself does not matter.
    const auto digits_at = [&](std::size_t pos, std::size_t count) {
      if (time.size() < pos + count) return false;
      for (std::size_t i = pos; i < pos + count; ++i) {
        if (!is_digit(time[i])) return false;
      }
      return true;
    };
    if (time.size() < 9 || time[0] != 'T' || !digits_at(1, 2) || time[3] != ':' || !digits_at(4, 2) || time[6] != ':' ||
        !digits_at(7, 2)) {
      return std::nullopt;
    }
    auto zone = time.substr(9);
    if (!zone.empty() && zone[0] == '.') {
      std::size_t i = 1;
      while (i < zone.size() && is_digit(zone[i])) ++i;
      if (i == 1) return std::nullopt;
      zone.remove_prefix(i);
    }
    const bool offset = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && is_digit(zone[1]) &&
                        is_digit(zone[2]) && zone[3] == ':' && is_digit(zone[4]) && is_digit(zone[5]);
    if (!(zone.empty() || zone == "Z" || offset)) return std::nullopt;
  }
  const auto year = number(text.substr(0, 4), 4);
  const auto month = number(text.substr(5, 2), 2);
  const auto day = number(text.substr(8, 2), 2);
  if (!year || !month || !day) return std::nullopt;
  return make_date(static_cast<int>(*year), *month, *day);
}

// 01/02/2026, 1/2/26, 01.02.2026, 01-02-2026: day first, one separator throughout.
std::optional<Date> numeric(const std::vector<Token>& t) {
  if (t.size() != 5) return std::nullopt;
  if (t[0].kind != Token::Kind::number || t[1].kind != Token::Kind::punct || t[2].kind != Token::Kind::number ||
      t[3].kind != Token::Kind::punct || t[4].kind != Token::Kind::number || t[1].text != t[3].text ||
      t[1].text == ",") {
    return std::nullopt;
  }
  const auto day = number(t[0].text, 2);
  const auto month = number(t[2].text, 2);
  const auto year = year_of(t[4].text);
  if (!day || !month || !year) return std::nullopt;
  return make_date(*year, *month, *day);
}

// "1 Feb 2026", "1st of February, 2026", "Monday 1 February 2026", "February 1, 2026",
// "1-Feb-2026": punctuation between the parts does not matter, other words do.
std::optional<Date> spelled(const std::vector<Token>& all) {
  if (all.empty() || all.front().kind == Token::Kind::punct || all.back().kind == Token::Kind::punct) {
    return std::nullopt;
  }
  std::vector<Token> t;
  for (const auto& token : all) {
    if (token.kind != Token::Kind::punct) t.push_back(token);
  }
  std::size_t i = 0;
  if (i < t.size() && t[i].kind == Token::Kind::word && is_weekday(t[i].text)) ++i;

  const auto day_at = [&](std::size_t& pos) -> std::optional<unsigned> {
    if (pos >= t.size() || t[pos].kind != Token::Kind::number) return std::nullopt;
    const auto day = number(t[pos].text, 2);
    if (!day) return std::nullopt;
    ++pos;
    if (pos < t.size() && t[pos].kind == Token::Kind::word && is_ordinal_suffix(t[pos].text)) ++pos;
    return day;
  };
  const auto month_at = [&](std::size_t& pos) -> std::optional<unsigned> {
    if (pos >= t.size() || t[pos].kind != Token::Kind::word) return std::nullopt;
    const auto month = month_named(t[pos].text);
    if (month) ++pos;
    return month;
  };

  std::optional<unsigned> day;
  std::optional<unsigned> month;
  if (i < t.size() && t[i].kind == Token::Kind::number) {
    day = day_at(i);
    if (i < t.size() && t[i].kind == Token::Kind::word && equals_lower(t[i].text, "of")) ++i;
    month = month_at(i);
  } else {
    month = month_at(i);
    day = day_at(i);
  }
  if (!day || !month || i + 1 != t.size() || t[i].kind != Token::Kind::number) return std::nullopt;
  const auto year = year_of(t[i].text);
  if (!year) return std::nullopt;
  return make_date(*year, *month, *day);
}

}  // namespace

std::optional<Date> parse_british_date(std::string_view text) {
  if (text.size() > kMaxDateLength) return std::nullopt;
  const std::string plain = with_plain_spaces(text);
  auto date_text = trimmed(plain);
  if (!date_text.empty() && date_text.back() == '.') date_text = trimmed(date_text.substr(0, date_text.size() - 1));
  if (date_text.empty()) return std::nullopt;

  if (date_text.size() >= 10 && is_digit(date_text[0]) && date_text[4] == '-') return iso(date_text);
  const auto tokens = tokens_of(date_text);
  if (!tokens) return std::nullopt;
  if (auto date = numeric(*tokens)) return date;
  return spelled(*tokens);
}

}  // namespace ispd
