#pragma once
// ASCII text helpers every part shares: case, trimming, joining, counting,
// and text made safe for one line (a subject, a log field, a server's reply).
// ASCII only, whatever the locale: UTF-8 bytes above 0x7F pass through.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ispd::text {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return lower(c); });
  return out;
}

inline std::string uppercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return upper(c); });
  return out;
}

constexpr std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Whether a field holds anything but spaces.
inline bool present(const std::optional<std::string>& text) { return text && !trimmed(*text).empty(); }

constexpr bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

constexpr bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equal_nocase(text.substr(0, prefix.size()), prefix);
}

inline std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// "1 form", "3 forms".
inline std::string with_count(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

// How many bytes at `at` are a character that must not reach a header: C0 and
// C1 controls, DEL, line and paragraph separators, no-break space and the
// bidirectional controls that reorder what a reader sees. 0 for anything else.
constexpr std::size_t blank_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U; };
  const unsigned c = byte(at);
  if (c < 0x20 || c == 0x7F || c == ' ') return 1;
  if (c == 0xC2 && ((byte(at + 1) >= 0x80 && byte(at + 1) <= 0x9F) || byte(at + 1) == 0xA0)) return 2;
  if (c == 0xE2 && byte(at + 1) == 0x80 &&
      (byte(at + 2) == 0xA8 || byte(at + 2) == 0xA9 || (byte(at + 2) >= 0xAA && byte(at + 2) <= 0xAE))) {
    return 3;
  }
  if (c == 0xE2 && byte(at + 1) == 0x81 && byte(at + 2) >= 0xA6 && byte(at + 2) <= 0xA9) return 3;
  return 0;
}

// Text as one line for a reader: every blank_length character a space, runs of
// spaces one, at most `max_bytes` (whole UTF-8 characters, an ellipsis where it was cut).
inline std::string one_line(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::string out;
  out.reserve(std::min(text.size(), max_bytes + kEllipsis.size()));
  bool gap = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t blank = blank_length(text, i); blank > 0) {
      gap = !out.empty();
      i += blank;
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += text[i++];
  }
  if (out.size() <= max_bytes) return out;
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(kEllipsis);
}

// Text with each ASCII control character (CR and LF above all) a space, cut at `limit` bytes:
// for a subject or a server's reply kept as it was, on one line.
inline std::string without_controls(std::string_view text, std::size_t limit = std::string_view::npos) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= limit) break;
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? ' ' : c);
  }
  return out;
}

}  // namespace ispd::text
