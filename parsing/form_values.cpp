#include "parsing/form_values.hpp"

#include <optional>

#include "util/text.hpp"

namespace ispd::form_reading {

namespace {

using docx::Cell;
using docx::Line;
using label::Tick;

Value value_of_cell(const Cell& cell) {
  Value v;
  v.text = label::clean(cell.text);
  v.dates = cell.dates;
  v.tick = label::tick_of(cell.text);
  v.present = true;
  return v;
}

Value value_of_text(const std::string& text, Tick tick) {
  Value v;
  v.text = label::clean(text);
  v.tick = tick != Tick::empty ? tick : label::tick_of(text);
  v.present = !v.text.empty() || tick != Tick::empty;
  return v;
}

// An e-mail address in free text: (start, length), or nothing.
std::optional<std::pair<std::size_t, std::size_t>> find_address(std::string_view text) {
  auto local_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '%' || c == '+' || c == '\'' || c == '-';
  };
  auto domain_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  };
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && local_char(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && domain_char(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // "… @bolton.gov.uk."
    while (begin < at && text[begin] == '.') ++begin;
    const std::string_view domain = text.substr(at + 1, end - at - 1);
    const auto dot = domain.find('.');
    if (begin < at && dot != std::string_view::npos && dot > 0) return std::pair{begin, end - begin};
  }
  return std::nullopt;
}

using text::lower;

std::size_t find_ci(std::string_view text, std::string_view word, std::size_t from = 0) {
  if (word.empty() || text.size() < word.size()) return std::string_view::npos;
  for (std::size_t i = from; i + word.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < word.size() && same; ++k) same = lower(text[i + k]) == word[k];
    if (same) return i;
  }
  return std::string_view::npos;
}

bool ends_with_ci(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && find_ci(text.substr(text.size() - suffix.size()), suffix) == 0;
}

}  // namespace

Matcher::Matcher(const std::vector<FieldSpec>& s) : specs(s) {
  for (const auto& spec : specs) {
    std::vector<Words> w;
    for (const auto l : spec.labels) w.push_back(label::words(l));
    known.push_back(std::move(w));
  }
}

const FieldSpec* Matcher::match(const std::string& label_text) const {
  const Words cell = label::words(label_text);
  if (cell.empty() || cell.size() > 40) return nullptr;
  const FieldSpec* best = nullptr;
  double best_score = 0.6;
  std::size_t best_len = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    for (const auto& k : known[i]) {
      const double score = label::similarity(cell, k);
      if (score > best_score + 1e-9 || (best != nullptr && score > best_score - 1e-9 && k.size() > best_len)) {
        best = &specs[i];
        best_score = score;
        best_len = k.size();
      }
    }
  }
  return best;
}

std::vector<Found> read_labelled(const std::vector<Line>& lines, std::size_t begin, std::size_t end,
                                 const Matcher& matcher, std::vector<bool>& used) {
  std::vector<Found> found;
  for (std::size_t li = begin; li < end && li < lines.size(); ++li) {
    if (used[li]) continue;
    const auto& cells = lines[li].cells;
    for (std::size_t ci = 0; ci < cells.size(); ++ci) {
      const auto split = label::split_label_cell(cells[ci].text);
      const FieldSpec* spec = matcher.match(split.label);
      if (spec == nullptr) continue;
      used[li] = true;
      Value value;
      const bool next_cell = ci + 1 < cells.size();
      if (spec->kind == Kind::tick) {
        if (split.tick != Tick::empty) {
          value = value_of_text("", split.tick);
        } else if (!split.rest.empty() && label::tick_of(split.rest) != Tick::words) {
          value = value_of_text(split.rest, Tick::empty);
        } else if (next_cell) {
          const auto next_split = label::split_label_cell(cells[ci + 1].text);
          if (matcher.match(next_split.label) == nullptr || label::tick_of(cells[ci + 1].text) != Tick::words) {
            value = value_of_cell(cells[ci + 1]);
            ++ci;
          }
        }
      } else if (!split.rest.empty()) {
        value = value_of_text(split.rest, Tick::empty);
        value.dates = cells[ci].dates;
      } else if (next_cell) {
        value = value_of_cell(cells[ci + 1]);
        ++ci;
      } else if (!cells[ci].dates.empty()) {
        value.dates = cells[ci].dates;
        value.present = true;
      } else if (li + 1 < end && !used[li + 1]) {
        // The value in the row below: a one-cell row that is not itself a label.
        const Line& below = lines[li + 1];
        const auto text = heading_text(below);
        if (below.in_table && below.cells.size() == 1 && text &&
            matcher.match(label::split_label_cell(below.cells[0].text).label) == nullptr) {
          value = value_of_cell(below.cells[0]);
          used[li + 1] = true;
        }
      }
      found.push_back(Found{spec->id, std::move(value), li});
    }
  }
  return found;
}

const Found* first(const std::vector<Found>& found, std::string_view id) {
  for (const auto& f : found) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Text as_text(const Found* f) {
  if (f == nullptr || f->value.text.empty()) return std::nullopt;
  return f->value.text;
}

bool is_ticked(const Found* f) { return f != nullptr && f->value.tick == Tick::ticked; }

Text email_in(Text text) {
  if (!text) return text;
  // Keep what the officer wrote unless there is more than the address around it.
  if (const auto at = find_address(*text); at && at->second < 256 && at->second != text->size()) {
    return text->substr(at->first, at->second);
  }
  return text;
}

std::pair<Text, Text> split_name_and_email(const std::string& text) {
  const auto at = find_address(text);
  if (!at) return {text.empty() ? Text{} : Text{text}, std::nullopt};
  std::string email = text.substr(at->first, at->second);
  std::string before = text.substr(0, at->first);
  if (ends_with_ci(before, "mailto:")) before.resize(before.size() - 7);
  std::string name = before + " " + text.substr(at->first + at->second);
  // Drop the words that label the address, and the brackets around it.
  for (const std::string_view word : {"e-mail address", "email address", "e-mail", "email"}) {
    // Each search goes on from the last place, so a cell full of "email" stays linear.
    for (std::size_t p = find_ci(name, word); p != std::string::npos; p = find_ci(name, word, p + 1)) {
      std::size_t end = p + word.size();
      while (end < name.size() && (name[end] == ' ' || name[end] == ':')) ++end;
      name.replace(p, end - p, " ");
    }
  }
  for (char& c : name) {
    if (c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']') c = ' ';
  }
  name = label::clean(name);
  auto strip_dash = [](std::string& s) {
    static constexpr std::string_view kDashes[] = {"\xE2\x80\x93", "\xE2\x80\x94"};  // en and em dash
    auto separator = [](char c) {
      return c == ' ' || c == '-' || c == ',' || c == ';' || c == ':' || c == '/' || c == '|' || c == '\n';
    };
    bool changed = true;
    while (changed && !s.empty()) {
      changed = false;
      for (const auto d : kDashes) {
        if (s.size() >= d.size() && s.compare(s.size() - d.size(), d.size(), d) == 0) {
          s.erase(s.size() - d.size());
          changed = true;
        }
        if (s.size() >= d.size() && s.compare(0, d.size(), d) == 0) {
          s.erase(0, d.size());
          changed = true;
        }
      }
      while (!s.empty() && separator(s.back())) {
        s.pop_back();
        changed = true;
      }
      while (!s.empty() && separator(s.front())) {
        s.erase(0, 1);
        changed = true;
      }
    }
  };
  strip_dash(name);
  name = label::clean(name);
  return {name.empty() ? Text{} : Text{name}, Text{email}};
}

}  // namespace ispd::form_reading
