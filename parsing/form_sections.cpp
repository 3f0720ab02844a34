#include "parsing/form_sections.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>

#include "parsing/label_text.hpp"

namespace ispd::form_reading {

namespace {

using docx::Cell;
using docx::Line;
using label::Tick;

struct SectionSpec {
  int number;
  std::vector<std::string_view> headings;
};

const std::vector<SectionSpec>& section_specs() {
  static const std::vector<SectionSpec> specs = {
      {1, {"confidentiality"}},
      {2, {"issuing agency", "issuing local authority", "issuing authority"}},
      {3, {"circulation"}},
      {4, {"information about the provider", "information about the service", "provider details"}},
      {5, {"information about the settings", "information about the setting", "setting details"}},
      {6, {"type of service", "types of service"}},
      {7, {"contractual relationship with provider", "contract affected by this isp", "contracts affected"}},
      {8, {"type of concerns", "local authority concern", "local authority concerns"}},
      {9, {"other agencies"}},
      {10,
       {"actions taken by issuing agency", "local authority placement actions taken", "action taken", "actions taken"}},
      {11, {"contractual actions taken"}},
      {12, {"please detail the actions taken to investigate the concerns", "details of the concerns"}},
      {13, {"data minimisation issuing authority", "data minimisation issuing agency"}},
      {14, {"provider response to the isp notification", "provider response"}},
      {15, {"data minimisation provider response"}},
      {16,
       {"section b rescinding isp notification", "section b rescinding isp", "rescinding isp notification", "details"}},
      {17, {"outcomes"}},
      {18, {"contractual outcomes"}},
      {19, {"placement outcomes"}},
      {20, {"additional information"}},
      {21, {"data minimisation rescind notification", "data minimisation rescinding"}},
  };
  return specs;
}

// A line that could be a section heading, read once.
struct Candidate {
  bool heading = false;
  int number = 0;
  Words words;
  bool form_end = false;
};

std::vector<Words> words_of(std::initializer_list<std::string_view> patterns) {
  std::vector<Words> out;
  for (const auto p : patterns) out.push_back(label::words(p));
  return out;
}

// Lines are read as candidates only when the search reaches them, so the
// guidance notes after the form are never read.
class Candidates {
 public:
  explicit Candidates(const std::vector<Line>& lines) : lines_(lines), read_(lines.size()) {}

  const Candidate& operator[](std::size_t i) {
    auto& slot = read_[i];
    if (!slot) {
      slot.emplace();
      const auto text = heading_text(lines_[i]);
      if (text && text->size() <= 600) {
        const auto [number, rest] = strip_number(*text);
        slot->heading = true;
        slot->number = number;
        slot->words = label::words(rest);
        slot->form_end = is_form_end(slot->words);
      }
    }
    return *slot;
  }

 private:
  const std::vector<Line>& lines_;
  std::vector<std::optional<Candidate>> read_;
};

bool heading_matches(const Candidate& line, const Words& known, int section) {
  if (known.size() >= 2 && label::starts_with(line.words, known)) return true;
  const double score = label::similarity(line.words, known);
  if (score >= 0.75 && (known.size() >= 2 || line.words.size() == 1)) return true;
  return line.number == section && score >= 0.5;
}

}  // namespace

std::optional<std::string> heading_text(const Line& line) {
  const Cell* only = nullptr;
  for (const auto& c : line.cells) {
    if (label::clean(c.text).empty()) continue;
    if (only != nullptr) return std::nullopt;
    only = &c;
  }
  if (only == nullptr) return std::nullopt;
  if (label::tick_of(only->text) == Tick::ticked) return std::nullopt;
  if (only->text.find(docx::kUntickedBox) != std::string::npos) return std::nullopt;
  return label::clean(only->text);
}

std::pair<int, std::string_view> strip_number(std::string_view text) {
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  skip_spaces();
  if (text.size() - i > 8 && (text.compare(i, 8, "Section ") == 0 || text.compare(i, 8, "SECTION ") == 0 ||
                              text.compare(i, 8, "section ") == 0)) {
    i += 8;
    skip_spaces();
  }
  int number = 0;
  std::size_t digits = 0;
  while (i < text.size() && digits < 3 && text[i] >= '0' && text[i] <= '9') {
    number = number * 10 + (text[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || digits > 2) return {0, text};
  if (i < text.size() && (text[i] == '.' || text[i] == ')' || text[i] == ':')) ++i;
  if (i >= text.size() || (text[i] != ' ' && text[i] != '\t')) return {0, text};
  skip_spaces();
  return {number, text.substr(i)};
}

bool is_form_end(const Words& cell) {
  static const std::vector<Words> ends =
      words_of({"information sharing protocol isp supporting information", "guidance for partners completing template",
                "supporting information", "operating guidelines"});
  return std::any_of(ends.begin(), ends.end(), [&](const Words& known) {
    return label::starts_with(cell, known) || label::similarity(cell, known) >= 0.85;
  });
}

std::map<int, Span> find_sections(const std::vector<Line>& lines) {
  static const std::vector<std::pair<int, std::vector<Words>>> specs = [] {
    std::vector<std::pair<int, std::vector<Words>>> out;
    for (const auto& spec : section_specs()) {
      std::vector<Words> headings;
      for (const auto h : spec.headings) headings.push_back(label::words(h));
      out.emplace_back(spec.number, std::move(headings));
    }
    return out;
  }();
  Candidates lines_read(lines);
  std::map<int, Span> spans;
  std::size_t at = 0;
  std::size_t form_end = lines.size();
  for (const auto& [number, headings] : specs) {
    for (std::size_t i = at; i < form_end; ++i) {
      const Candidate& line = lines_read[i];
      if (!line.heading) continue;
      if (!spans.empty() && line.form_end) {
        form_end = i;
        break;
      }
      const bool hit = std::any_of(headings.begin(), headings.end(),
                                   [&, n = number](const Words& h) { return heading_matches(line, h, n); });
      if (hit) {
        spans[number] = Span{i + 1, 0, i};
        at = i + 1;
        break;
      }
    }
  }
  if (!spans.empty()) {
    for (std::size_t i = spans.rbegin()->second.begin; i < form_end; ++i) {
      if (lines_read[i].heading && lines_read[i].form_end) {
        form_end = i;
        break;
      }
    }
  }
  // Each section runs to the next found heading, the last to the end of the form.
  for (auto it = spans.begin(); it != spans.end(); ++it) {
    const auto next = std::next(it);
    it->second.end = next != spans.end() ? next->second.heading : form_end;
  }
  return spans;
}

}  // namespace ispd::form_reading
