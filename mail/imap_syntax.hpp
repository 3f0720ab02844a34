#pragma once
// The syntax of IMAP (RFC 3501) as the mailbox speaks it: reading response lines (FETCH, LIST), writing
// folder names (modified UTF-7, the server's separator), quoted strings and UID sets. Internal to mail/.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"
#include "util/text.hpp"

namespace ispd::mail::detail {

// The longest folder name ispd writes, in bytes.
inline constexpr std::size_t kMaxFolderBytes = 1000;
// How deep parenthesised lists may nest in a line a server sends.
inline constexpr int kMaxListDepth = 32;

bool contains_nocase(std::string_view text, std::string_view word);

// An IMAP quoted string.
std::string quoted(std::string_view name);

// A small reader of one IMAP response line: atoms, numbers, quoted strings, parenthesised lists.
class Line {
 public:
  explicit Line(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  bool skip_spaces() {
    const auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    return pos_ > start;
  }
  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // The word, case-insensitively, followed by a space, a bracket or the end.
  bool eat_word(std::string_view word) {
    if (text_.size() - pos_ < word.size() || !text::equal_nocase(text_.substr(pos_, word.size()), word)) return false;
    const auto after = pos_ + word.size();
    if (after < text_.size() && text_[after] != ' ' && text_[after] != ']' && text_[after] != ')') return false;
    pos_ = after;
    return true;
  }
  std::optional<std::uint64_t> number(std::uint64_t max) {
    std::uint64_t n = 0;
    const auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const auto digit = static_cast<std::uint64_t>(text_[pos_] - '0');
      if (n > (max - digit) / 10) return std::nullopt;
      n = n * 10 + digit;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return n;
  }
  // An atom, or a fetch item name such as BODY[HEADER.FIELDS (FROM)], as written.
  std::string_view atom() {
    const auto start = pos_;
    int brackets = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '[') ++brackets;
      if (c == ']') --brackets;
      if (brackets <= 0 && (c == ' ' || c == '(' || c == ')' || c == '"' || c == '{')) break;
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  std::optional<std::string> quoted_string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (pos_ >= text_.size()) return std::nullopt;
        c = text_[pos_++];
      }
      out += c;
    }
    return std::nullopt;
  }
  // An atom or a quoted string; a literal ({n}) is not on this line, so it is nullopt.
  std::optional<std::string> astring() {
    if (pos_ < text_.size() && text_[pos_] == '"') return quoted_string();
    if (pos_ < text_.size() && text_[pos_] == '{') return std::nullopt;
    auto word = atom();
    if (word.empty()) return std::nullopt;
    return std::string(word);
  }
  // Skips one value of any kind; false if the line ends first or nests too deep.
  bool skip_value(int depth = 0) {
    if (depth > kMaxListDepth || at_end()) return false;
    if (text_[pos_] == '"') return quoted_string().has_value();
    if (text_[pos_] == '{') return false;
    if (eat('(')) {
      while (true) {
        skip_spaces();
        if (eat(')')) return true;
        if (!skip_value(depth + 1)) return false;
      }
    }
    return !atom().empty();
  }
  // The atoms of a parenthesised list such as LIST's flags.
  std::optional<std::vector<std::string>> atom_list() {
    if (!eat('(')) return std::nullopt;
    std::vector<std::string> items;
    while (true) {
      skip_spaces();
      if (eat(')')) return items;
      auto word = atom();
      if (word.empty() || items.size() >= 64) return std::nullopt;
      items.emplace_back(word);
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// "* 12 FETCH (UID 345 RFC822.SIZE 6789)": the UID and, if given, the size; items in any order.
struct FetchItems {
  std::uint32_t uid = 0;
  std::optional<std::uint64_t> size;
};

std::optional<FetchItems> parse_fetch(std::string_view text);

// "* LIST (\HasNoChildren) "/" "ISP/Needs attention"".
struct ListEntry {
  std::vector<std::string> flags;
  std::optional<char> delimiter;  // nullopt: NIL, a flat namespace
  std::string name;
};

std::optional<ListEntry> parse_list(std::string_view text);

bool has_flag(const ListEntry& entry, std::string_view flag);

// "UID MOVE" of "UID MOVE 5 \"ISP\"", "CREATE" of "CREATE \"ISP\"": what a refused command is called in a message.
std::string command_name(std::string_view command);

// The folder's name as the server spells it: its separator between levels (none for a flat server),
// modified UTF-7; an error names what cannot be written.
Result<std::string> wire_name(std::string_view folder, std::optional<char> delimiter);

// "3:7,9,12:13": a UID list as an IMAP sequence set (RFC 3501 9), sorted and without repeats.
std::string uid_set(std::vector<std::uint32_t> uids);

}  // namespace ispd::mail::detail
