#include "parsing/label_text.hpp"

#include <algorithm>
#include <array>

#include "parsing/docx_document.hpp"
#include "parsing/utf8.hpp"

namespace ispd::label {

namespace {

constexpr std::array<std::string_view, 22> kStopWords = {
    "the",   "a",  "an", "of", "to", "by", "for", "if",   "applicable", "please", "specify",
    "which", "is", "be", "in", "on", "at", "as",  "this", "that",       "and",    "or"};

bool is_ticked_glyph(char32_t c) {
  switch (c) {
    case 0x2612:
    case 0x2611:
    case 0x2713:
    case 0x2714:
    case 0x2717:
    case 0x2718:
    case 0x22A0:
    case 0x2BBD:
    case 0x1F5F9:
    case 0x1F5F8:
    case 0x2715:
    case 0x2716:
    case 0x274E:
    case 0x2705:
    case 0x2613:
    case 0x25A0:
    case 0x25A3:
    case 0x1F5F7: return true;
    default: return false;
  }
}

bool is_unticked_glyph(char32_t c) {
  switch (c) {
    case 0x2610:
    case 0x25A1:
    case 0x25A2:
    case 0x25FB:
    case 0x2B1C:
    case 0x274F:
    case 0x2750:
    case 0x2751:
    case 0x2752:
    case 0x25FD:
    case 0x1F5F6: return true;
    default: return false;
  }
}

constexpr char32_t kTickedMarker = 0xE001;
constexpr char32_t kUntickedMarker = 0xE000;

bool is_box(char32_t c) {
  return c == kTickedMarker || c == kUntickedMarker || is_ticked_glyph(c) || is_unticked_glyph(c);
}

// Spaces of every width, including the five en spaces of an empty legacy text field.
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0x0060:
    case 0x00B4: return '\'';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2212: return '-';
    default: return c;
  }
}

std::string lower_ascii(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char32_t c : utf8::decode(s)) utf8::append(out, fold(c));
  return out;
}

std::string synonym(std::string word) {
  if (word == "tel" || word == "phone" || word == "telephone") return "telephone";
  if (word == "organization") return "organisation";
  if (word == "organizations") return "organisations";
  if (word == "judgment") return "judgement";
  return word;
}

bool alike(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const std::size_t shorter = std::min(a.size(), b.size());
  if (shorter >= 4 && (a.compare(0, shorter, b, 0, shorter) == 0)) return true;
  std::size_t common = 0;
  while (common < shorter && a[common] == b[common]) ++common;
  return common >= 6;
}

const std::array<std::string_view, 6> kPlaceholders = {"click or tap here to enter text",
                                                       "click or tap to enter a date",
                                                       "click here to enter text",
                                                       "click here to enter a date",
                                                       "choose an item",
                                                       "enter text here"};

bool is_placeholder(std::string_view line) {
  if (line.size() < 14 || line.size() > 40) return false;
  const char first = line.front();
  if (first != 'C' && first != 'c' && first != 'E' && first != 'e') return false;
  std::string simple;
  for (const char c : lower_ascii(line)) {
    if ((c >= 'a' && c <= 'z') || c == ' ') simple += c;
  }
  while (!simple.empty() && simple.back() == ' ') simple.pop_back();
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), simple) != kPlaceholders.end();
}

}  // namespace

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> raw;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) raw.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = utf8::next(text, i, c);
    c = fold(c);
    if (c == '(' && i + 2 < text.size() && (text[i + 1] == 's' || text[i + 1] == 'S') && text[i + 2] == ')') {
      i += 3;  // "placement(s)" reads as "placement"
      continue;
    }
    i += length;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += static_cast<char>(c);
    } else if (c != '\'') {  // "Adult's" reads as "adults"
      flush();
    }
  }
  flush();
  std::vector<std::string> out;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    std::string w = std::move(raw[k]);
    if (w == "e" && k + 1 < raw.size() && raw[k + 1] == "mail") {  // "e-mail"
      w = "email";
      ++k;
    }
    if (w.size() > 1 && std::find(kStopWords.begin(), kStopWords.end(), w) == kStopWords.end()) {
      out.push_back(synonym(std::move(w)));
    }
  }
  return out;
}

bool starts_with(const std::vector<std::string>& cell, const std::vector<std::string>& known) {
  if (known.empty() || known.size() > cell.size()) return false;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (!alike(cell[i], known[i])) return false;
  }
  return true;
}

double similarity(const std::vector<std::string>& cell, const std::vector<std::string>& known) {
  if (cell.empty() || known.empty()) return 0;
  if (starts_with(cell, known)) {
    return 0.8 + 0.2 * static_cast<double>(known.size()) / static_cast<double>(cell.size());
  }
  std::array<bool, 64> used{};
  if (known.size() > used.size()) return 0;
  std::size_t shared = 0;
  for (const auto& w : cell) {
    for (std::size_t j = 0; j < known.size(); ++j) {
      if (!used[j] && alike(w, known[j])) {
        used[j] = true;
        ++shared;
        break;
      }
    }
  }
  return 2.0 * static_cast<double>(shared) / static_cast<double>(cell.size() + known.size());
}

Tick tick_of(std::string_view text) {
  bool ticked = false;
  bool unticked = false;
  std::string rest;
  for (const char32_t c : utf8::decode(text)) {
    if (c == kTickedMarker || is_ticked_glyph(c)) {
      ticked = true;
    } else if (c == kUntickedMarker || is_unticked_glyph(c)) {
      unticked = true;
    } else {
      utf8::append(rest, fold(c));
    }
  }
  if (ticked) return Tick::ticked;
  std::string simple;
  for (const char c : rest) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      simple += c;
    } else if (!simple.empty() && simple.back() != ' ') {
      simple += ' ';
    }
  }
  while (!simple.empty() && simple.back() == ' ') simple.pop_back();
  if (simple.empty()) {
    if (unticked) return Tick::unticked;
    // Only punctuation such as "-" reads as a deliberate blank.
    const bool blank = std::all_of(rest.begin(), rest.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t'; });
    return blank ? Tick::empty : Tick::unticked;
  }
  static constexpr std::array<std::string_view, 10> kYes = {"x",       "y",    "yes",      "ticked", "tick",
                                                            "checked", "true", "selected", "yes x",  "v"};
  static constexpr std::array<std::string_view, 10> kNo = {
      "no", "n", "n a", "na", "none", "false", "unticked", "not applicable", "not ticked", "nil"};
  if (std::find(kYes.begin(), kYes.end(), simple) != kYes.end()) return Tick::ticked;
  if (std::find(kNo.begin(), kNo.end(), simple) != kNo.end()) return Tick::unticked;
  if (is_placeholder(simple)) return unticked ? Tick::unticked : Tick::empty;
  return Tick::words;
}

std::string clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::string line;
  bool pending_space = false;
  auto end_line = [&] {
    if (!line.empty() && !is_placeholder(line)) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    line.clear();
    pending_space = false;
  };
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = utf8::next(text, i, c);
    const std::string_view bytes = text.substr(i, length);
    i += length;
    if (c == kTickedMarker || c == kUntickedMarker || c == 0xFEFF || c == 0x00AD) continue;
    if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x0B) {
      end_line();
    } else if (is_space(c)) {
      pending_space = !line.empty();
    } else if (c < 0x20 || c == 0x7F) {
      continue;
    } else {
      if (pending_space) line += ' ';
      pending_space = false;
      if (c == 0xFFFD) {
        utf8::append(line, c);
      } else {
        line += bytes;
      }
    }
  }
  end_line();
  return out;
}

std::string without_ticks(std::string_view text) {
  std::string kept;
  for (const char32_t c : utf8::decode(text)) {
    if (!is_box(c)) utf8::append(kept, c);
  }
  return clean(kept);
}

LabelCell split_label_cell(std::string_view text) {
  LabelCell cell;
  // Boxes and tick glyphs anywhere in the cell (before or after the label).
  std::string boxes;
  std::string rest;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = utf8::next(text, i, c);
    if (is_box(c)) {
      utf8::append(boxes, c);
    } else {
      rest.append(text.substr(i, length));
    }
    i += length;
  }
  if (!boxes.empty()) cell.tick = tick_of(boxes);
  std::string s = clean(rest);
  // A tick word typed after the label: "Residential X", "Quality - yes".
  if (cell.tick == Tick::empty) {
    static constexpr std::array<std::string_view, 6> kWords = {" x", " yes", " y", " ticked", " (x)", " [x]"};
    std::string lower = lower_ascii(s);
    for (const auto w : kWords) {
      if (lower.size() > w.size() + 1 && lower.compare(lower.size() - w.size(), w.size(), w) == 0) {
        s.erase(s.size() - w.size());
        while (!s.empty() && (s.back() == ' ' || s.back() == '-' || s.back() == ':' || s.back() == ',')) s.pop_back();
        cell.tick = Tick::ticked;
        break;
      }
    }
  }
  const std::size_t colon = s.find(':');
  if (colon != std::string::npos && colon > 0) {
    cell.label = s.substr(0, colon);
    cell.rest = clean(s.substr(colon + 1));
  } else {
    cell.label = s;
  }
  return cell;
}

YesNo yes_no_in(std::string_view text) {
  // The cell as a sequence of words and marks. Marks follow their words
  // ("Yes ☒ No ☐") unless the cell starts with a mark ("☐ Yes ☒ No").
  enum class Item { yes, no, other, ticked, unticked };
  std::vector<Item> items;
  std::string word;
  auto flush = [&] {
    if (word == "yes")
      items.push_back(Item::yes);
    else if (word == "no")
      items.push_back(Item::no);
    else if (word == "x")
      items.push_back(Item::ticked);
    else if (!word.empty())
      items.push_back(Item::other);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    i += utf8::next(text, i, c);
    c = fold(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += static_cast<char>(c);
      continue;
    }
    flush();
    if (c == kTickedMarker || is_ticked_glyph(c))
      items.push_back(Item::ticked);
    else if (c == kUntickedMarker || is_unticked_glyph(c))
      items.push_back(Item::unticked);
  }
  flush();
  YesNo result;
  bool has_yes = false;
  bool has_no = false;
  bool has_mark = false;
  for (std::size_t k = 0; k < items.size(); ++k) {
    has_yes = has_yes || items[k] == Item::yes;
    has_no = has_no || items[k] == Item::no;
    if (items[k] != Item::ticked && items[k] != Item::unticked) continue;
    has_mark = true;
    const bool ticked = items[k] == Item::ticked;
    const bool marks_first = items.front() == Item::ticked || items.front() == Item::unticked;
    const Item* owner = nullptr;
    if (!marks_first && k > 0 && (items[k - 1] == Item::yes || items[k - 1] == Item::no)) {
      owner = &items[k - 1];
    } else if (marks_first && k + 1 < items.size() && (items[k + 1] == Item::yes || items[k + 1] == Item::no)) {
      owner = &items[k + 1];
    }
    if (owner == nullptr || !ticked) continue;
    (*owner == Item::yes ? result.yes : result.no) = true;
  }
  result.found = has_yes && has_no && has_mark;
  return result;
}

}  // namespace ispd::label
