#include "templates/data_text.hpp"

#include <utility>

#include "templates/words.hpp"

namespace ispd::templates::detail {

namespace {

constexpr std::string_view kDash = " \xE2\x80\x94 ";

// How many bytes at `at` are a character that would break a line or reorder
// what a reader sees: C0 and C1 controls, DEL, the line and paragraph
// separators and the bidirectional controls. 0 for anything else.
std::size_t control_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U; };
  const unsigned c = byte(at);
  if (c < 0x20 || c == 0x7F) return 1;
  if (c == 0xC2 && byte(at + 1) >= 0x80 && byte(at + 1) <= 0x9F) return 2;
  if (c == 0xE2 && byte(at + 1) == 0x80 && byte(at + 2) >= 0xA8 && byte(at + 2) <= 0xAE) return 3;
  if (c == 0xE2 && byte(at + 1) == 0x81 && byte(at + 2) >= 0xA6 && byte(at + 2) <= 0xA9) return 3;
  return 0;
}

// The bytes of a line break at `at` (CR LF, CR, LF, or U+2028/U+2029), or 0.
std::size_t break_length(std::string_view text, std::size_t at) {
  if (text[at] == '\r') return at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
  if (text[at] == '\n') return 1;
  if (text.substr(at, 3) == "\xE2\x80\xA8" || text.substr(at, 3) == "\xE2\x80\xA9") return 3;
  return 0;
}

// Form text as the mail shows it: one line (every control a space), or, for
// `paragraphs`, lines broken by LF alone. Runs of spaces fold; nullopt when nothing is left.
std::optional<std::string> cleaned(std::string_view text, bool paragraphs) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t line_break = break_length(text, i); line_break > 0 && paragraphs) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && !out.ends_with("\n\n")) out += '\n';
      space = false;
      i += line_break;
      continue;
    }
    if (const std::size_t control = control_length(text, i); control > 0 || text[i] == ' ') {
      space = true;
      i += control > 0 ? control : 1;
      continue;
    }
    if (space && !out.empty() && out.back() != '\n') out += ' ';
    space = false;
    out += text[i++];
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  if (out.empty()) return std::nullopt;
  return out;
}

// A key the form does not have, readable: "partners", "some new key".
std::string plain_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

}  // namespace

std::optional<std::string> shown(const std::optional<std::string>& text, bool paragraphs) {
  return text ? cleaned(*text, paragraphs) : std::nullopt;
}

std::vector<std::string> shown(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const auto& text : texts) {
    if (auto value = cleaned(text, false)) out.push_back(std::move(*value));
  }
  return out;
}

std::string words_for(std::string_view field, std::string_view key) {
  const auto words = form_words(field, key);
  return words ? std::string(*words) : plain_key(key);
}

std::string date_words(const std::string& iso) {
  static constexpr std::string_view kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
  const auto digits = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      value = value * 10 + (iso[i] - '0');
    }
    return value;
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  const int year = digits(0, 4);
  const int month = digits(5, 2);
  const int day = digits(8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return iso;
  return std::to_string(day) + " " + std::string(kMonths[month - 1]) + " " + std::to_string(year);
}

std::string sentence(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text += '.';
  return text;
}

std::string scope_words(std::string_view scope) {
  if (scope.starts_with("area:") && scope.size() > 5) return std::string(scope.substr(5));
  if (scope == "area") return "an area not named on the form";
  return words_for("scope", scope);
}

std::string list_words(std::string_view list) {
  const std::size_t slash = list.find('/');
  if (slash == std::string_view::npos) return words_for("audience", list);
  return words_for("audience", list.substr(0, slash)) + std::string(kDash) + scope_words(list.substr(slash + 1));
}

std::string counted(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

}  // namespace ispd::templates::detail
