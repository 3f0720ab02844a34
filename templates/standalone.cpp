#include "templates/standalone.hpp"

#include <string>
#include <string_view>

namespace ispd::templates::detail {

namespace {

// kainjow-mustache 4.1 drops a line that holds only section tags when the
// section is shown, but leaves it blank when the section is skipped. So such
// lines (and partials') are marked before rendering and removed after, as
// mustache means them to be. Form text never holds the mark: controls are spaces.
constexpr char kStandaloneMark = '\x01';

// Whether a line holds nothing but section, partial and comment tags.
bool standalone(std::string_view line) {
  std::size_t at = line.find_first_not_of(" \t");
  if (at == std::string_view::npos) return false;
  while (at < line.size()) {
    if (line.substr(at, 2) != "{{" || at + 2 >= line.size() ||
        std::string_view("#^/>!").find(line[at + 2]) == std::string_view::npos) {
      return false;
    }
    const std::size_t end = line.find("}}", at + 2);
    if (end == std::string_view::npos) return false;
    at = line.find_first_not_of(" \t", end + 2);
    if (at == std::string_view::npos) return true;
  }
  return true;
}

}  // namespace

std::string marked(std::string_view source) {
  std::string out;
  out.reserve(source.size() + 64);
  while (!source.empty()) {
    const std::size_t end = source.find('\n');
    const std::string_view line = source.substr(0, end);
    if (standalone(line)) {
      out += line.substr(line.find_first_not_of(" \t"));
      out += kStandaloneMark;
    } else {
      out += line;
    }
    if (end == std::string_view::npos) break;
    out += '\n';
    source.remove_prefix(end + 1);
  }
  return out;
}

std::string unmarked(std::string_view rendered) {
  std::string out;
  out.reserve(rendered.size());
  while (!rendered.empty()) {
    const std::size_t end = rendered.find('\n');
    const std::string_view line = rendered.substr(0, end);
    const bool mark_only = line.find(kStandaloneMark) != std::string_view::npos &&
                           line.find_first_not_of(std::string(" \t") + kStandaloneMark) == std::string_view::npos;
    if (!mark_only) {
      for (const char c : line) {
        if (c != kStandaloneMark) out += c;
      }
      if (end != std::string_view::npos) out += '\n';
    }
    if (end == std::string_view::npos) break;
    rendered.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace ispd::templates::detail
