#include "daemon/protocol/personal_data.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parsing/dates.hpp"
#include "util/text.hpp"

namespace ispd::protocol {

namespace {

using text::is_alnum;
using text::is_alpha;
using text::is_digit;
using text::is_space;
using text::is_upper;
using text::lower;
using text::lowercase;
using text::trimmed;
using text::upper;

// One mask character, U+2022 BULLET.
constexpr std::string_view kBullet = "\xE2\x80\xA2";
// A pasted case file should not produce hundreds of lines.
constexpr std::size_t kMaxFindingsPerText = 20;
// How far after "DOB" or "born" the date may start, and how long it may be.
constexpr std::size_t kMaxCueGap = 12;
constexpr std::size_t kMaxDateLength = 40;

bool starts_with_lower(std::string_view text, std::size_t at, std::string_view lower_word) {
  if (text.size() - at < lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    if (lower(text[at + i]) != lower_word[i]) return false;
  }
  return true;
}

// ---- Personal data detectors. Each works on text from plain_text(). ----

// Word's no-break spaces and typographic dashes separate digits as plain ones do.
std::string plain_text(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 8> kReplacements = {{
      {"\xC2\xA0", ' '},      // no-break space
      {"\xE2\x80\xAF", ' '},  // narrow no-break space
      {"\xE2\x80\x89", ' '},  // thin space
      {"\xE2\x80\x87", ' '},  // figure space
      {"\xE2\x80\x90", '-'},  // hyphen
      {"\xE2\x80\x91", '-'},  // non-breaking hyphen
      {"\xE2\x80\x93", '-'},  // en dash
      {"\xE2\x88\x92", '-'},  // minus sign
  }};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [from, to] : kReplacements) {
      if (text.substr(i).starts_with(from)) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

// Every letter and digit but the last three becomes a bullet; separators stay.
std::string masked(std::string_view value) {
  const auto alnums = static_cast<std::size_t>(std::count_if(value.begin(), value.end(), is_alnum));
  std::string out;
  std::size_t seen = 0;
  for (const char c : value) {
    if (is_alnum(c) && ++seen + 3 <= alnums) {
      out += kBullet;
    } else {
      out += c;
    }
  }
  return out;
}

struct Hit {
  std::size_t begin = 0;
  std::size_t end = 0;
  PersonalData kind = PersonalData::nhs_number;
  std::string key;  // the normalised value, to compare and de-duplicate; never shown
  std::string shown;
};

bool nhs_check_digit_ok(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += (digits[i] - '0') * static_cast<int>(10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9] - '0';
}

bool digits_at(std::string_view text, std::size_t at, std::size_t count) {
  if (text.size() < at + count) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(at),
                     text.begin() + static_cast<std::ptrdiff_t>(at + count), is_digit);
}

// Ten digits, written 9434765919 or 943 476 5919 or 943-476-5919, with a valid check digit.
void find_nhs_numbers(std::string_view text, std::vector<Hit>& hits) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) || (i > 0 && is_alnum(text[i - 1]))) continue;
    std::size_t run = i;
    while (run < text.size() && is_digit(text[run])) ++run;
    std::string digits;
    std::size_t end = run;
    if (run - i == 10) {
      digits = text.substr(i, 10);
    } else if (run - i == 3 && run + 9 <= text.size() && (text[run] == ' ' || text[run] == '-') &&
               digits_at(text, run + 1, 3) && text[run + 4] == text[run] && digits_at(text, run + 5, 4)) {
      end = run + 9;
      digits =
          std::string(text.substr(i, 3)) + std::string(text.substr(run + 1, 3)) + std::string(text.substr(run + 5, 4));
    }
    if (!digits.empty() && (end == text.size() || !is_alnum(text[end])) && nhs_check_digit_ok(digits)) {
      const auto value = text.substr(i, end - i);
      hits.push_back({i, end, PersonalData::nhs_number, digits, masked(value)});
      i = end;
    } else {
      i = run - 1;
    }
  }
}

// HMRC: neither letter D, F, I, Q, U or V; O not second; BG, GB, NK, KN, TN, NT and ZZ never issued.
bool valid_ni_prefix(char first, char second) {
  constexpr std::string_view kNeverFirst = "DFIQUV";
  constexpr std::string_view kNeverSecond = "DFIOQUV";
  if (kNeverFirst.find(first) != std::string_view::npos) return false;
  if (kNeverSecond.find(second) != std::string_view::npos) return false;
  const std::string prefix{first, second};
  for (const std::string_view never : {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}) {
    if (prefix == never) return false;
  }
  return true;
}

// AB123456C or AB 12 34 56 C. Spaced forms must be in capitals, so "at 123456 a" is prose.
void find_ni_numbers(std::string_view text, std::vector<Hit>& hits) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (!is_alpha(text[i]) || (i > 0 && is_alnum(text[i - 1])) || !is_alpha(text[i + 1])) continue;
    std::size_t p = i + 2;
    bool spaced = false;
    std::string key{upper(text[i]), upper(text[i + 1])};
    bool ok = true;
    for (int pair = 0; pair < 3 && ok; ++pair) {
      if (p + 1 < text.size() && text[p] == ' ' && is_digit(text[p + 1])) {
        ++p;
        spaced = true;
      }
      ok = digits_at(text, p, 2);
      if (ok) {
        key += text.substr(p, 2);
        p += 2;
      }
    }
    if (!ok) continue;
    if (p + 1 < text.size() && text[p] == ' ' && is_alpha(text[p + 1])) {
      ++p;
      spaced = true;
    }
    if (p >= text.size() || upper(text[p]) < 'A' || upper(text[p]) > 'D') continue;
    const std::size_t end = p + 1;
    if (end < text.size() && is_alnum(text[end])) continue;
    const auto value = text.substr(i, end - i);
    if (spaced && std::any_of(value.begin(), value.end(), [](char c) { return is_alpha(c) && !is_upper(c); })) {
      continue;
    }
    if (!valid_ni_prefix(key[0], key[1])) continue;
    key += upper(text[p]);
    hits.push_back({i, end, PersonalData::national_insurance_number, key, masked(value)});
    i = end - 1;
  }
}

// The end of a date-of-birth cue at `at` ("DOB", "D.O.B.", "date of birth", "born"), if one starts there.
std::optional<std::size_t> dob_cue_end(std::string_view text, std::size_t at) {
  if (at > 0 && is_alpha(text[at - 1])) return std::nullopt;
  std::size_t end = 0;
  if (starts_with_lower(text, at, "date of birth")) {
    end = at + 13;
  } else if (starts_with_lower(text, at, "born")) {
    end = at + 4;
  } else {
    // d, o, b, each letter optionally followed by a full stop.
    std::size_t p = at;
    for (const char letter : std::string_view("dob")) {
      if (p >= text.size() || lower(text[p]) != letter) return std::nullopt;
      ++p;
      if (p < text.size() && text[p] == '.') ++p;
    }
    end = p;
  }
  if (end < text.size() && is_alpha(text[end])) return std::nullopt;
  return end;
}

// A date written right after a cue ("DOB: 03/04/2012", "born on 3 April 2012").
void find_dates_of_birth(std::string_view text, std::vector<Hit>& hits) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto cue_end = dob_cue_end(text, i);
    if (!cue_end) continue;
    std::size_t p = *cue_end;
    const std::size_t gap_limit = std::min(text.size(), p + kMaxCueGap);
    while (p < gap_limit) {
      if (text[p] == ' ' || text[p] == ':' || text[p] == '-' || text[p] == '=' || text[p] == ',' || text[p] == '(' ||
          text[p] == '.') {
        ++p;
      } else if (starts_with_lower(text, p, "on ") || starts_with_lower(text, p, "is ")) {
        p += 3;
      } else if (starts_with_lower(text, p, "was ")) {
        p += 4;
      } else {
        break;
      }
    }
    if (p >= text.size() || !is_alnum(text[p])) continue;
    std::size_t best_end = 0;
    std::optional<Date> best;
    const std::size_t last = std::min(text.size(), p + kMaxDateLength);
    for (std::size_t e = p + 1; e <= last; ++e) {
      if (e < text.size() && is_alnum(text[e])) continue;
      if (!is_alnum(text[e - 1])) continue;
      if (const auto date = parse_british_date(text.substr(p, e - p))) {
        best = date;
        best_end = e;
      }
    }
    if (!best) continue;
    hits.push_back({p, best_end, PersonalData::date_of_birth, iso_date(*best), masked(text.substr(p, best_end - p))});
    i = best_end - 1;
  }
}

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}
bool is_domain_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

// A domain with at least two labels, none empty, ending in a top-level domain of letters.
bool is_domain(std::string_view domain) {
  if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
  if (!std::all_of(domain.begin(), domain.end(), is_domain_char)) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    if (dot == std::string_view::npos) {
      return label.size() >= 2 && std::all_of(label.begin(), label.end(), is_alpha);
    }
    start = dot + 1;
  }
}

void find_email_addresses(std::string_view text, std::vector<Hit>& hits) {
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && is_local_char(text[begin - 1])) --begin;
    while (begin < at && (text[begin] == '.' || text[begin] == '\'')) ++begin;
    std::size_t end = at + 1;
    while (end < text.size() && is_domain_char(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    const auto address = text.substr(begin, end - begin);
    if (begin == at || !is_email_address(address)) continue;
    const auto domain = text.substr(at + 1, end - at - 1);
    hits.push_back({begin, end, PersonalData::email_address, lowercase(address),
                    std::string(1, text[begin]) + std::string(kBullet) + std::string(kBullet) + std::string(kBullet) +
                        "@" + std::string(domain)});
    at = end - 1;
  }
}

// A UK number: 0 then a non-zero digit, 10 or 11 digits in all, or +44 for the 0,
// in groups split by one space, dash or bracket: "0161 496 0123", "+44 (0)7700 900123".
// When groups run on ("07700 900123 0161 496 0123"), the longest leading number counts.
void find_phone_numbers(std::string_view text, std::vector<Hit>& hits) {
  const auto is_separator = [](char c) { return c == ' ' || c == '-' || c == '(' || c == ')'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t p = i;
    if (text[p] == '(') ++p;
    const bool international = text.substr(p).starts_with("+44");
    if (!international && (p >= text.size() || text[p] != '0')) continue;
    if (i > 0 && (is_alnum(text[i - 1]) || text[i - 1] == '+' || text[i - 1] == '/' || text[i - 1] == '.')) continue;
    if (international) p += 3;

    struct GroupEnd {
      std::size_t end;
      std::string digits;
    };
    // A number is at most 13 digits ("+44 (0)" and ten more), so reading further cannot find one.
    constexpr std::size_t kMaxDigits = 13;
    std::vector<GroupEnd> group_ends;
    std::array<std::size_t, 2> first_groups{};
    std::size_t groups = 0;
    std::size_t run_end = p;
    std::string digits;
    while (p < text.size()) {
      const std::size_t group = p;
      while (p < text.size() && is_digit(text[p])) digits += text[p++];
      if (p > group) {
        if (groups < first_groups.size()) first_groups[groups] = p - group;
        ++groups;
        run_end = p;
        if (digits.size() > kMaxDigits) break;
        group_ends.push_back({p, digits});
      }
      std::size_t gap = p;
      while (gap < text.size() && gap - p < 2 && is_separator(text[gap])) ++gap;
      if (gap == p || gap >= text.size() || !is_digit(text[gap])) break;
      p = gap;
    }
    // 01-02-2026 and 1-2-26 are dates, however many numbers follow them.
    const std::size_t first_digit = text[i] == '(' ? i + 1 : i;
    const bool date_like = !international && groups >= 3 && first_groups[0] <= 2 && first_groups[1] <= 2 &&
                           text[first_digit + first_groups[0]] == '-';
    // "0161496012345abc" is a reference, not a number to ring.
    const bool glued = run_end < text.size() && (is_alpha(text[run_end]) || text[run_end] == '@');
    std::optional<GroupEnd> found;
    for (auto it = group_ends.rbegin(); it != group_ends.rend() && !date_like; ++it) {
      if (glued && it->end == run_end) continue;
      std::string number = it->digits;
      if (international) {
        if (number.starts_with("0")) number.erase(0, 1);  // +44 (0)161 ...
        number.insert(0, "0");
      }
      if ((number.size() == 10 || number.size() == 11) && number[1] != '0') {
        found = GroupEnd{it->end, number};
        break;
      }
    }
    if (found) {
      hits.push_back(
          {i, found->end, PersonalData::phone_number, found->digits, masked(text.substr(i, found->end - i))});
      i = found->end - 1;
    } else if (run_end > i) {
      i = run_end - 1;
    }
  }
}

}  // namespace

bool is_email_address(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) return false;
  const auto local = text.substr(0, at);
  if (!std::all_of(local.begin(), local.end(), is_local_char) || local.front() == '.' || local.back() == '.') {
    return false;
  }
  return is_domain(text.substr(at + 1));
}

// The normalised numbers in an officer's phone field ("0161 496 0123 ext. 4").
std::vector<std::string> phone_keys(std::string_view text) {
  std::vector<Hit> hits;
  const std::string plain = plain_text(text);
  find_phone_numbers(plain, hits);
  std::vector<std::string> keys;
  keys.reserve(hits.size() + 1);
  for (auto& hit : hits) keys.push_back(std::move(hit.key));
  std::string digits;
  std::copy_if(plain.begin(), plain.end(), std::back_inserter(digits), is_digit);
  if (!digits.empty()) keys.push_back(digits);
  return keys;
}

std::string_view what(PersonalData kind) {
  switch (kind) {
    case PersonalData::nhs_number: return "an NHS number";
    case PersonalData::national_insurance_number: return "a National Insurance number";
    case PersonalData::date_of_birth: return "a date of birth";
    case PersonalData::email_address: return "an e-mail address";
    case PersonalData::phone_number: return "a telephone number";
  }
  return "personal data";
}

std::vector<PersonalDataFinding> find_personal_data(std::string_view text, const KnownContacts& known) {
  const std::string plain = plain_text(text);
  std::vector<Hit> hits;
  find_nhs_numbers(plain, hits);
  find_ni_numbers(plain, hits);
  find_dates_of_birth(plain, hits);
  find_email_addresses(plain, hits);
  find_phone_numbers(plain, hits);

  std::set<std::string> known_emails;
  for (const auto& email : known.emails) known_emails.insert(lowercase(trimmed(email)));
  std::set<std::string> known_phones;
  for (const auto& phone : known.phones) {
    for (auto& key : phone_keys(phone)) known_phones.insert(std::move(key));
  }

  // A number already reported as an NHS number, or inside an e-mail address, is not also a phone number.
  // Other hits sorted by start, with the furthest end so far, answer "does anything overlap?" quickly.
  std::vector<std::pair<std::size_t, std::size_t>> others;  // (begin, furthest end up to here)
  for (const auto& hit : hits) {
    if (hit.kind != PersonalData::phone_number) others.emplace_back(hit.begin, hit.end);
  }
  std::sort(others.begin(), others.end());
  for (std::size_t i = 1; i < others.size(); ++i) {
    others[i].second = std::max(others[i].second, others[i - 1].second);
  }
  const auto overlaps_stronger = [&](const Hit& hit) {
    const auto after = std::lower_bound(others.begin(), others.end(), std::pair{hit.end, std::size_t{0}});
    return after != others.begin() && std::prev(after)->second > hit.begin;
  };
  std::vector<const Hit*> kept;
  for (const auto& hit : hits) {
    if (hit.kind == PersonalData::email_address && known_emails.contains(hit.key)) continue;
    if ((hit.kind == PersonalData::phone_number || hit.kind == PersonalData::nhs_number) &&
        known_phones.contains(hit.key)) {
      continue;
    }
    if (hit.kind == PersonalData::phone_number && overlaps_stronger(hit)) continue;
    kept.push_back(&hit);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Hit* a, const Hit* b) { return a->begin < b->begin; });

  std::vector<PersonalDataFinding> findings;
  std::set<std::pair<PersonalData, std::string>> seen;
  for (const Hit* hit : kept) {
    if (findings.size() == kMaxFindingsPerText) break;
    if (!seen.insert({hit->kind, hit->key}).second) continue;
    findings.push_back({hit->kind, hit->shown});
  }
  return findings;
}

}  // namespace ispd::protocol
