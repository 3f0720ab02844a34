#pragma once
// Just enough UTF-8 for reading form text; a bad byte reads as U+FFFD.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ispd::utf8 {

// The code point at s[i] and its length in bytes (1 for a bad byte, read as U+FFFD).
inline std::size_t next(std::string_view s, std::size_t i, char32_t& code) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    code = b;
    return 1;
  }
  const int extra = (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
  char32_t c = extra > 0 ? b & (0x3Fu >> extra) : 0;
  bool bad = extra < 0 || i + static_cast<std::size_t>(extra) >= s.size();
  for (int k = 1; !bad && k <= extra; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    bad = (cont & 0xC0) != 0x80;
    c = (c << 6) | (cont & 0x3Fu);
  }
  if (bad || c > 0x10FFFF) {
    code = 0xFFFD;
    return 1;
  }
  code = c;
  return static_cast<std::size_t>(extra) + 1;
}

inline std::vector<char32_t> decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t code = 0;
    i += next(s, i, code);
    out.push_back(code);
  }
  return out;
}

inline void append(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x110000) {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace ispd::utf8
