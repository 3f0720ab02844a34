#include "mail/imap_syntax.hpp"

#include <algorithm>

#include "mail/curl_session.hpp"

namespace ispd::mail::detail {
namespace {

using text::equal_nocase;

// The code points of UTF-8 text; nullopt if it is not valid UTF-8.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size() && extra > 0) return std::nullopt;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr char32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

// RFC 3501 5.1.3: printable ASCII stands for itself ("&" as "&-"); any other
// run of characters is "&", its UTF-16 in base64 with "," for "/", and "-".
std::string modified_utf7(const std::vector<char32_t>& code_points) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::vector<unsigned char> run;
  const auto flush = [&] {
    if (run.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int count = 0;
    for (unsigned char b : run) {
      bits = (bits << 8) | b;
      count += 8;
      while (count >= 6) {
        count -= 6;
        out += kAlphabet[(bits >> count) & 63];
      }
    }
    if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
    out += '-';
    run.clear();
  };
  const auto unit = [&](char32_t u) {
    run.push_back(static_cast<unsigned char>(u >> 8));
    run.push_back(static_cast<unsigned char>(u & 0xFF));
  };
  for (char32_t cp : code_points) {
    if (cp >= 0x20 && cp <= 0x7E) {
      flush();
      out += static_cast<char>(cp);
      if (cp == '&') out += '-';
    } else if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  flush();
  return out;
}

}  // namespace

bool contains_nocase(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (equal_nocase(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::optional<FetchItems> parse_fetch(std::string_view text) {
  Line line(text);
  if (!line.eat('*') || !line.skip_spaces() || !line.number(UINT32_MAX) || !line.skip_spaces() ||
      !line.eat_word("FETCH") || !line.skip_spaces() || !line.eat('(')) {
    return std::nullopt;
  }
  FetchItems items;
  while (true) {
    line.skip_spaces();
    if (line.eat(')')) break;
    const auto name = line.atom();
    if (name.empty() || !line.skip_spaces()) return std::nullopt;
    if (equal_nocase(name, "UID")) {
      const auto uid = line.number(UINT32_MAX);
      if (!uid || *uid == 0) return std::nullopt;
      items.uid = static_cast<std::uint32_t>(*uid);
    } else if (equal_nocase(name, "RFC822.SIZE")) {
      items.size = line.number(UINT64_MAX);
      if (!items.size) return std::nullopt;
    } else if (!line.skip_value()) {
      return std::nullopt;
    }
  }
  if (items.uid == 0) return std::nullopt;
  return items;
}

std::optional<ListEntry> parse_list(std::string_view text) {
  Line line(text);
  if (!line.eat('*') || !line.skip_spaces() || !line.eat_word("LIST") || !line.skip_spaces()) return std::nullopt;
  ListEntry entry;
  auto flags = line.atom_list();
  if (!flags || !line.skip_spaces()) return std::nullopt;
  entry.flags = std::move(*flags);
  if (!line.eat_word("NIL")) {
    auto delimiter = line.quoted_string();
    if (!delimiter || delimiter->size() != 1) return std::nullopt;
    entry.delimiter = (*delimiter)[0];
  }
  if (!line.skip_spaces()) return std::nullopt;
  auto name = line.astring();
  if (!name) return std::nullopt;
  entry.name = std::move(*name);
  return entry;
}

bool has_flag(const ListEntry& entry, std::string_view flag) {
  return std::any_of(entry.flags.begin(), entry.flags.end(),
                     [&](const std::string& f) { return equal_nocase(f, flag); });
}

std::string command_name(std::string_view command) {
  auto end = command.find(' ');
  if (equal_nocase(command.substr(0, end), "UID") && end != std::string_view::npos) end = command.find(' ', end + 1);
  return printable(command.substr(0, end));
}

Result<std::string> wire_name(std::string_view folder, std::optional<char> delimiter) {
  const auto refuse = [&](const std::string& why) {
    return Error{"the folder name \"" + printable(folder) + "\" " + why};
  };
  if (folder.empty()) return refuse("is empty");
  if (folder.size() > kMaxFolderBytes) return refuse("is longer than " + describe_size(kMaxFolderBytes));
  const auto code_points = decode_utf8(folder);
  if (!code_points) return refuse("is not valid UTF-8");
  std::string out;
  std::vector<char32_t> level;
  bool clash = false;
  const auto end_level = [&]() -> bool {
    if (level.empty()) return false;
    const std::string encoded = modified_utf7(level);
    if (delimiter && encoded.find(*delimiter) != std::string::npos) clash = true;
    if (!out.empty()) out += *delimiter;
    out += encoded;
    level.clear();
    return true;
  };
  for (char32_t cp : *code_points) {
    if (cp < 0x20 || cp == 0x7F) return refuse("holds a control character");
    if (cp == '/') {
      if (!delimiter) return refuse("has levels ('/'), but the server keeps its folders flat");
      if (!end_level()) return refuse("has an empty level");
      continue;
    }
    if (delimiter && *delimiter != '/' && cp == static_cast<unsigned char>(*delimiter)) {
      return refuse(std::string("holds '") + *delimiter + "', which this server uses between levels");
    }
    level.push_back(cp);
  }
  if (!end_level()) return refuse("has an empty level");
  if (clash) return refuse(std::string("cannot be written with '") + *delimiter + "' between levels");
  return out;
}

std::string uid_set(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  std::string set;
  for (std::size_t i = 0; i < uids.size();) {
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!set.empty()) set += ',';
    set += std::to_string(uids[i]);
    if (j > i) set += ':' + std::to_string(uids[j]);
    i = j + 1;
  }
  return set;
}

}  // namespace ispd::mail::detail
