#include "parsing/form_reader.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "parsing/dates.hpp"
#include "parsing/label_text.hpp"
#include "util/text.hpp"

namespace ispd {

namespace {

using docx::Cell;
using docx::Line;
using label::Tick;
using Words = std::vector<std::string>;

// ---------------------------------------------------------------------------
// Sections: found by their headings, in the form's order.

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

struct Span {
  std::size_t begin = 0;  // first line after the heading
  std::size_t end = 0;    // one past the last line
  std::size_t heading = 0;
};

std::string joined_text(const Line& line) {
  std::string text;
  for (const auto& c : line.cells) {
    const std::string t = label::clean(c.text);
    if (t.empty()) continue;
    if (!text.empty()) text += ' ';
    text += t;
  }
  return text;
}

// The text of a line that could be a heading: a paragraph, or a table row with
// one cell of text and no box in it.
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

// "12. Please detail" -> (12, "Please detail"); "Section 3: Circulation" -> (3, "Circulation").
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

bool is_form_end(const Words& cell) {
  static const std::vector<Words> ends =
      words_of({"information sharing protocol isp supporting information", "guidance for partners completing template",
                "supporting information", "operating guidelines"});
  return std::any_of(ends.begin(), ends.end(), [&](const Words& known) {
    return label::starts_with(cell, known) || label::similarity(cell, known) >= 0.85;
  });
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

// ---------------------------------------------------------------------------
// Labelled values.

enum class Kind { text, date, tick, name_and_email };

struct FieldSpec {
  std::string_view id;
  Kind kind;
  std::vector<std::string_view> labels;
};

struct Value {
  std::string text;  // cleaned
  std::vector<Date> dates;
  Tick tick = Tick::empty;
  bool present = false;
};

struct Found {
  std::string_view id;
  Value value;
  std::size_t line = 0;
};

struct Matcher {
  const std::vector<FieldSpec>& specs;
  // Pre-split label words, one list per spec.
  std::vector<std::vector<Words>> known;

  explicit Matcher(const std::vector<FieldSpec>& s) : specs(s) {
    for (const auto& spec : specs) {
      std::vector<Words> w;
      for (const auto l : spec.labels) w.push_back(label::words(l));
      known.push_back(std::move(w));
    }
  }

  // The spec a label text names, if any.
  const FieldSpec* match(const std::string& label_text) const {
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
};

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

// Reads every labelled value in lines [begin, end): a label cell's value is
// what follows its colon, else the next cell in its row, else (for text) the
// one-cell row below it. Lines used as values are marked in `used`.
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

// ---------------------------------------------------------------------------
// The reader.

class Reader {
 public:
  explicit Reader(const std::vector<Line>& lines) : lines_(lines), used_(lines.size(), false) {}

  Result<Form> read() {
    spans_ = find_sections(lines_);
    if (spans_.size() < 3) {
      return Error{"does not look like an ISP notification form (its section headings were not found)"};
    }
    read_confidentiality();
    read_issuing_agency();
    read_circulation();
    read_provider_and_settings();
    form_.service_types = read_list(6, service_type_specs(), &form_.service_type_other);
    form_.contracts = read_list(7, contract_specs(), &form_.contract_other);
    form_.concerns = read_list(8, concern_specs(), &form_.concern_other);
    read_other_agencies();
    form_.actions = read_list(10, action_specs(), &form_.action_other);
    form_.contractual_actions = read_list(11, contractual_action_specs(), &form_.contractual_action_other);
    form_.details = free_text(12, {});
    form_.data_minimisation_issuer = yes_no(13);
    form_.provider_response =
        free_text(14, {"providers have been given the space below to respond to the isp",
                       "please include name contact details and position of person providing isp response"});
    form_.data_minimisation_provider = yes_no(15);
    read_rescind();
    if (form_.rescind) {
      form_.stage = Stage::rescind;
    } else if (form_.provider_response) {
      form_.stage = Stage::provider_response;
    }
    return std::move(form_);
  }

 private:
  std::pair<std::size_t, std::size_t> range(int section) const {
    const auto it = spans_.find(section);
    if (it == spans_.end()) return {0, 0};
    return {it->second.begin, it->second.end};
  }

  std::pair<std::size_t, std::size_t> range(int from, int to) const {
    std::size_t begin = lines_.size();
    std::size_t end = 0;
    for (int s = from; s <= to; ++s) {
      const auto it = spans_.find(s);
      if (it == spans_.end()) continue;
      begin = std::min(begin, it->second.begin);
      end = std::max(end, it->second.end);
    }
    return begin < end ? std::pair{begin, end} : std::pair<std::size_t, std::size_t>{0, 0};
  }

  std::vector<Found> labelled(std::pair<std::size_t, std::size_t> r, const Matcher& matcher) {
    return read_labelled(lines_, r.first, r.second, matcher, used_);
  }

  void warn(std::string message) {
    if (form_.warnings.size() < 100) form_.warnings.push_back(std::move(message));
  }

  std::optional<Date> date_of(const Found* f, std::string_view what) {
    if (f == nullptr) return std::nullopt;
    if (!f->value.dates.empty()) return f->value.dates.front();
    if (f->value.text.empty()) return std::nullopt;
    if (auto d = parse_british_date(f->value.text)) return d;
    std::string raw = f->value.text.substr(0, 80);
    warn(std::string(what) + ": could not read \"" + raw + "\" as a date");
    return std::nullopt;
  }

  // --- Section 1
  void read_confidentiality() {
    static const std::vector<FieldSpec> specs = {
        {"restricted", Kind::tick, {"restricted"}},
        {"confidential", Kind::tick, {"confidential"}},
        {"internal", Kind::tick, {"internal"}},
        {"justification",
         Kind::text,
         {"please provide justification if the notification will not be shared with the provider including a point at "
          "which this can be reviewed",
          "justification if the notification will not be shared with the provider", "reason not shared with provider"}},
    };
    static const Matcher matcher(specs);
    const auto found = labelled(range(1), matcher);
    const bool restricted = is_ticked(first(found, "restricted"));
    const bool confidential = is_ticked(first(found, "confidential"));
    const bool internal = is_ticked(first(found, "internal"));
    if (restricted) {
      form_.confidentiality = Confidentiality::restricted;
    } else if (confidential) {
      form_.confidentiality = Confidentiality::confidential;
    } else if (internal) {
      form_.confidentiality = Confidentiality::internal;
    }
    if (static_cast<int>(restricted) + static_cast<int>(confidential) + static_cast<int>(internal) > 1) {
      warn("Section 1: more than one confidentiality level is ticked; read as the most restrictive, " +
           std::string(to_string(*form_.confidentiality)));
    }
    form_.not_shared_justification = as_text(first(found, "justification"));
  }

  // --- Section 2
  void read_issuing_agency() {
    static const std::vector<FieldSpec> specs = {
        {"agency",
         Kind::text,
         {"agency issuing isp", "local authority issuing isp", "issuing agency", "issuing local authority",
          "agency name"}},
        {"officer_name", Kind::text, {"officer name", "name of officer", "issuing officer"}},
        {"officer_email", Kind::text, {"officer email", "email address", "email"}},
        {"officer_name_email",
         Kind::name_and_email,
         {"officer name and email", "officer name email", "name and email"}},
        {"officer_phone",
         Kind::text,
         {"officer telephone number", "officer telephone", "telephone number", "contact number"}},
        {"date_issued_to_provider",
         Kind::date,
         {"date isp issued to the provider", "date issued to provider", "date isp shared with provider"}},
        {"date_sent_for_circulation",
         Kind::date,
         {"date isp sent for circulation", "date isp issued to placements north west", "date isp issued to nwadcs",
          "date isp issued to pnw", "date sent for circulation"}},
        {"review_date",
         Kind::date,
         {"date isp to be reviewed by the issuing agency max 3 months", "date isp to be reviewed by the issuing agency",
          "date isp to be reviewed by the issuing authority", "review date", "date to be reviewed"}},
    };
    static const Matcher matcher(specs);
    const auto found = labelled(range(2), matcher);
    auto& a = form_.issuing_agency;
    a.agency = as_text(first(found, "agency"));
    a.officer_name = as_text(first(found, "officer_name"));
    a.officer_email = email_in(as_text(first(found, "officer_email")));
    a.officer_phone = as_text(first(found, "officer_phone"));
    if (const Found* both = first(found, "officer_name_email")) {
      auto [name, email] = split_name_and_email(both->value.text);
      if (!a.officer_name) a.officer_name = name;
      if (!a.officer_email) a.officer_email = email;
    }
    a.date_issued_to_provider =
        date_of(first(found, "date_issued_to_provider"), "Section 2, date issued to the provider");
    a.date_sent_for_circulation =
        date_of(first(found, "date_sent_for_circulation"), "Section 2, date sent for circulation");
    a.review_date = date_of(first(found, "review_date"), "Section 2, review date");
  }

  static Text email_in(Text text) {
    if (!text) return text;
    // Keep what the officer wrote unless there is more than the address around it.
    if (const auto at = find_address(*text); at && at->second < 256 && at->second != text->size()) {
      return text->substr(at->first, at->second);
    }
    return text;
  }

  static std::pair<Text, Text> split_name_and_email(const std::string& text) {
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

  // --- Section 3
  void read_circulation() {
    const auto [begin, end] = range(3);
    static const std::vector<FieldSpec> audiences = {
        {"childrens_services",
         Kind::tick,
         {"childrens services via commissioning and placement teams", "childrens services"}},
        {"lado", Kind::tick, {"lado"}},
        {"safeguarding_unit", Kind::tick, {"safeguarding unit"}},
        {"health", Kind::tick, {"health responsible icb", "health"}},
        {"adult_services", Kind::tick, {"adults services via commissioning teams", "adult services"}},
        {"police", Kind::tick, {"police"}},
        {"schools", Kind::tick, {"schools alternative provision only", "schools"}},
    };
    static const Matcher matcher(audiences);
    // Grid columns of North West, National and Specify area, from the header row.
    int columns[3] = {-1, -1, -1};
    bool header = false;
    for (std::size_t li = begin; li < end; ++li) {
      const auto& line = lines_[li];
      if (!header) {
        int found_cols[3] = {-1, -1, -1};
        for (const auto& c : line.cells) {
          const Words w = label::words(label::clean(c.text));
          if (label::similarity(w, {"north", "west"}) >= 0.8)
            found_cols[0] = c.column;
          else if (label::similarity(w, {"national"}) >= 0.8)
            found_cols[1] = c.column;
          else if (label::similarity(w, {"specify", "area"}) >= 0.6 || label::similarity(w, {"area"}) >= 0.6)
            found_cols[2] = c.column;
        }
        if (found_cols[0] >= 0 && found_cols[1] >= 0) {
          std::copy(std::begin(found_cols), std::end(found_cols), std::begin(columns));
          header = true;
          used_[li] = true;
          continue;
        }
      }
      if (line.cells.empty()) continue;
      const auto split = label::split_label_cell(line.cells[0].text);
      const FieldSpec* spec = matcher.match(split.label);
      if (spec == nullptr) continue;
      used_[li] = true;
      const Cell* scope_cells[3] = {nullptr, nullptr, nullptr};
      for (std::size_t ci = 1; ci < line.cells.size(); ++ci) {
        const Cell& c = line.cells[ci];
        int slot = -1;
        if (header) {
          for (int s = 0; s < 3; ++s) {
            if (columns[s] >= 0 && columns[s] >= c.column && columns[s] < c.column + c.span) slot = s;
          }
        } else if (ci <= 3) {
          slot = static_cast<int>(ci) - 1;
        }
        if (slot >= 0 && scope_cells[slot] == nullptr) scope_cells[slot] = &c;
      }
      const std::string audience(spec->id);
      if ((scope_cells[0] != nullptr && label::tick_of(scope_cells[0]->text) == Tick::ticked) ||
          (split.tick == Tick::ticked && scope_cells[0] == nullptr)) {
        form_.circulation.push_back({audience, Scope::north_west, std::nullopt});
      }
      if (scope_cells[1] != nullptr && label::tick_of(scope_cells[1]->text) == Tick::ticked) {
        form_.circulation.push_back({audience, Scope::national, std::nullopt});
      }
      if (scope_cells[2] != nullptr) {
        const std::string name = label::without_ticks(scope_cells[2]->text);
        const Tick tick = label::tick_of(scope_cells[2]->text);
        if (tick == Tick::words && !name.empty()) {
          form_.circulation.push_back({audience, Scope::area, name});
        } else if (tick == Tick::ticked) {
          form_.circulation.push_back({audience, Scope::area, std::nullopt});
        }
      }
    }
  }

  // --- Sections 4 and 5 (older forms list the setting under the provider)
  void read_provider_and_settings() {
    static const std::vector<FieldSpec> specs = {
        {"name", Kind::text, {"organisation name", "provider name", "name of provider", "name of organisation"}},
        {"previous_name", Kind::text, {"previous company name", "previous name", "former company name"}},
        {"company_number",
         Kind::text,
         {"company number", "company no", "companies house number", "company registration number"}},
        {"provider_ofsted_urn", Kind::text, {"provider ofsted urn", "organisation ofsted urn"}},
        {"associated_companies",
         Kind::text,
         {"associated company names or numbers", "associated companies", "linked companies"}},
        {"address", Kind::text, {"address of setting or head office", "address"}},
        {"host_authority",
         Kind::text,
         {"host authority for setting or head office", "host authority", "host local authority"}},
        {"whole_organisation", Kind::tick, {"whole organisation affected", "organisation"}},
        {"setting_only", Kind::tick, {"setting only affected", "service establishment specific", "service specific"}},
        {"setting_name",
         Kind::text,
         {"name of setting or school", "name of home property school", "name of setting", "setting name",
          "name of home"}},
        {"setting_ofsted_urn", Kind::text, {"ofsted urn"}},
        {"setting_cqc_urn", Kind::text, {"cqc urn"}},
    };
    static const Matcher matcher(specs);
    const auto r = range(4, 5);
    read_setting_grid(r, matcher);
    const auto found = labelled(r, matcher);
    auto& p = form_.provider;
    p.name = as_text(first(found, "name"));
    p.previous_name = as_text(first(found, "previous_name"));
    p.company_number = as_text(first(found, "company_number"));
    p.ofsted_urn = as_text(first(found, "provider_ofsted_urn"));
    p.associated_companies = as_text(first(found, "associated_companies"));
    p.address = as_text(first(found, "address"));
    p.host_authority = as_text(first(found, "host_authority"));
    const bool whole = is_ticked(first(found, "whole_organisation"));
    const bool setting_only = is_ticked(first(found, "setting_only"));
    if (whole)
      p.affected = Affected::whole_organisation;
    else if (setting_only)
      p.affected = Affected::setting_only;
    if (whole && setting_only)
      warn("Section 4: both \"whole organisation\" and \"setting only\" are ticked; read as whole organisation");

    // Settings, in order: each setting name starts a new one.
    std::vector<Setting> settings;
    for (const auto& f : found) {
      const Text value = as_text(&f);
      if (f.id == "setting_name") {
        settings.push_back(Setting{value, std::nullopt, std::nullopt});
      } else if (f.id == "setting_ofsted_urn" || f.id == "setting_cqc_urn") {
        Text& slot_of_last = [&]() -> Text& {
          if (settings.empty() ||
              (f.id == "setting_ofsted_urn" ? settings.back().ofsted_urn : settings.back().cqc_urn)) {
            settings.push_back(Setting{});
          }
          return f.id == "setting_ofsted_urn" ? settings.back().ofsted_urn : settings.back().cqc_urn;
        }();
        slot_of_last = value;
      }
    }
    for (auto& s : settings) append_setting(s);
  }

  // Several settings typed one per line in the same cells read as several.
  void append_setting(const Setting& s) {
    auto lines_of = [](const Text& t) {
      std::vector<std::string> out;
      if (!t) return out;
      std::size_t start = 0;
      while (start <= t->size()) {
        const std::size_t nl = t->find('\n', start);
        out.push_back(t->substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      return out;
    };
    const auto names = lines_of(s.name);
    const auto urns = lines_of(s.ofsted_urn);
    if (names.size() > 1 && urns.size() == names.size()) {
      const auto cqcs = lines_of(s.cqc_urn);
      for (std::size_t i = 0; i < names.size(); ++i) {
        Setting one{names[i], urns[i], cqcs.size() == names.size() ? Text{cqcs[i]} : std::nullopt};
        if (one.cqc_urn && one.cqc_urn->empty()) one.cqc_urn.reset();
        form_.settings.push_back(std::move(one));
      }
      return;
    }
    if (s.name || s.ofsted_urn || s.cqc_urn) form_.settings.push_back(s);
  }

  // A settings table with a header row (Name | Ofsted URN | CQC URN) and one row per setting.
  void read_setting_grid(std::pair<std::size_t, std::size_t> r, const Matcher& matcher) {
    for (std::size_t li = r.first; li < r.second; ++li) {
      const auto& cells = lines_[li].cells;
      std::vector<std::pair<int, std::string_view>> header;
      bool all_labels = cells.size() >= 2;
      for (const auto& c : cells) {
        const FieldSpec* spec = matcher.match(label::clean(c.text));
        if (spec == nullptr ||
            !(spec->id == "setting_name" || spec->id == "setting_ofsted_urn" || spec->id == "setting_cqc_urn")) {
          all_labels = false;
          break;
        }
        header.emplace_back(c.column, spec->id);
      }
      if (!all_labels) continue;
      used_[li] = true;
      for (std::size_t row = li + 1; row < r.second; ++row) {
        const auto& data = lines_[row].cells;
        if (data.empty() || matcher.match(label::split_label_cell(data[0].text).label) != nullptr) break;
        if (!lines_[row].in_table) break;
        Setting s;
        for (const auto& c : data) {
          for (const auto& [column, id] : header) {
            if (column != c.column) continue;
            const std::string t = label::clean(c.text);
            Text v = t.empty() ? Text{} : Text{t};
            if (id == "setting_name")
              s.name = v;
            else if (id == "setting_ofsted_urn")
              s.ofsted_urn = v;
            else
              s.cqc_urn = v;
          }
        }
        used_[row] = true;
        if (s.name || s.ofsted_urn || s.cqc_urn) form_.settings.push_back(s);
      }
      return;
    }
  }

  // --- Tick lists (sections 6, 7, 8, 10, 11, 17, 18, 19)
  struct ListSpec {
    ListSpec(std::vector<FieldSpec> f, std::span<const std::string_view> o)
        : fields(std::move(f)), order(o), matcher(fields) {}
    ListSpec(const ListSpec&) = delete;
    ListSpec& operator=(const ListSpec&) = delete;
    std::vector<FieldSpec> fields;  // ids are the schema keys
    std::span<const std::string_view> order;
    Matcher matcher;
  };

  static std::vector<FieldSpec> ticks(
      std::initializer_list<std::pair<std::string_view, std::vector<std::string_view>>> items) {
    std::vector<FieldSpec> specs;
    for (const auto& [id, labels] : items) specs.push_back(FieldSpec{id, Kind::tick, labels});
    return specs;
  }

  static const ListSpec& service_type_specs() {
    static const ListSpec spec{
        ticks({{"residential", {"residential"}},
               {"supported_accommodation", {"supported accommodation"}},
               {"fostering", {"fostering"}},
               {"send_school_or_college", {"send school or college", "send school"}},
               {"alternative_provision", {"alternative provision"}},
               {"unregistered_social_care", {"unregistered social care"}},
               {"unregistered_school", {"unregistered school"}},
               {"other", {"other", "other please include additional services that may have been commissioned"}}}),
        kServiceTypes};
    return spec;
  }
  static const ListSpec& contract_specs() {
    static const ListSpec spec{
        ticks({{"residential_fps", {"residential fps"}},
               {"supported_accommodation_fps", {"supported accommodation fps", "sails dps", "sails"}},
               {"send_fps", {"send fps including alternative provision", "send fps"}},
               {"fostering_fps", {"fostering fps"}},
               {"off_contract", {"off contract"}},
               {"local_contract", {"local contract"}},
               {"other", {"other"}}}),
        kContracts};
    return spec;
  }
  static const ListSpec& concern_specs() {
    static const ListSpec spec{
        ticks({{"safeguarding", {"safeguarding", "safeguarding concern"}},
               {"quality", {"quality", "quality concern"}},
               {"criminality", {"criminality", "current criminal investigation", "criminal concern"}},
               {"financial", {"financial", "financial concern"}},
               {"inspection_outcome",
                {"inspection outcome", "inadequate inspection", "inadequate key inspection judgement received",
                 "interim inspection judgement received", "ofsted registration withdrawn"}},
               {"business_continuity", {"business continuity"}},
               {"no_evidence_of_insurance", {"no evidence of insurance provided", "no evidence of insurance"}},
               {"other", {"other", "other providing clarity on allegations vs proven facts"}}}),
        kConcerns};
    return spec;
  }
  static const ListSpec& action_specs() {
    static const ListSpec spec{
        ticks({{"police_investigation", {"police investigation initiated", "police investigation"}},
               {"lado_or_pipot_referral", {"lado or pipot referral made", "lado pipot referral"}},
               {"ending_placements", {"ending placements"}},
               {"reviewing_placements", {"actively reviewing placements", "reviewing placements"}},
               {"suspending_referrals", {"suspending new referrals"}},
               {"action_plan", {"action or improvement plan", "action improvement plan"}},
               {"no_local_action", {"no local action", "no local action referral to pnw"}},
               {"other", {"other actions", "other"}}}),
        kActions};
    return spec;
  }
  static const ListSpec& contractual_action_specs() {
    static const ListSpec spec{ticks({{"temporary_suspension", {"temporary suspension of purchasing arrangements"}},
                                      {"temporary_restriction", {"temporary restriction of purchasing arrangements"}},
                                      {"permanent_ending", {"permanent ending of contractual arrangements"}},
                                      {"voluntary_withdrawal", {"voluntary withdrawal from contract by provider"}},
                                      {"ended_for_breach", {"contract ended due to breach"}},
                                      {"other", {"other"}}}),
                               kContractualActions};
    return spec;
  }
  static const ListSpec& outcome_specs() {
    static const ListSpec spec{
        ticks({{"safeguarding_resolved", {"safeguarding concerns satisfactorily resolved"}},
               {"quality_resolved", {"quality concerns satisfactorily resolved"}},
               {"criminal_resolved", {"criminal concerns satisfactorily resolved"}},
               {"financial_resolved", {"financial concerns satisfactorily resolved"}},
               {"action_plan_progress", {"satisfactory progress against action plan"}},
               {"closed_no_further_concerns",
                {"closed by nwadcs due to no further concerns", "closed by pnw due to no further concerns",
                 "resolved by pnw", "resolved by nwadcs"}},
               {"no_longer_inadequate", {"no longer inadequate"}},
               {"unresolved", {"unable to find a resolution", "unable to find a resolution please explain below"}}}),
        kOutcomes};
    return spec;
  }
  static const ListSpec& contractual_outcome_specs() {
    static const ListSpec spec{ticks({{"suspension_lifted", {"lifting of suspension of purchasing arrangements"}},
                                      {"restrictions_lifted", {"lifting of restrictions on purchasing arrangements"}},
                                      {"none_reached", {"no contractual outcomes reached"}},
                                      {"other", {"other"}}}),
                               kContractualOutcomes};
    return spec;
  }
  static const ListSpec& placement_outcome_specs() {
    static const ListSpec spec{ticks({{"no_actions", {"no actions"}},
                                      {"reviews_concluded", {"placement reviews concluded"}},
                                      {"referrals_reinstated", {"reinstating referrals"}},
                                      {"placement_ended", {"placement ended"}},
                                      {"other", {"other actions", "other"}}}),
                               kPlacementOutcomes};
    return spec;
  }

  // The ticked keys of a section, in the form's order. Text written beside
  // "Other" or in a one-cell row of the section is its "other" text (for
  // section 17, the explanation of an unresolved outcome).
  std::vector<std::string> read_list(int section, const ListSpec& spec, Text* other_text) {
    const auto r = range(section);
    const auto found = labelled(r, spec.matcher);
    std::set<std::string_view> ticked;
    std::string other;
    for (const auto& f : found) {
      if (f.value.tick == Tick::ticked) ticked.insert(f.id);
      if (f.id == "other" && f.value.tick == Tick::words) {
        ticked.insert(f.id);
        other = f.value.text;
      }
    }
    // One-cell rows that are not labels: the section's free text.
    std::string below;
    for (std::size_t li = r.first; li < r.second; ++li) {
      if (used_[li] || !lines_[li].in_table) continue;
      const auto text = heading_text(lines_[li]);
      if (!text || label::tick_of(*text) != Tick::words) continue;
      used_[li] = true;
      if (!below.empty()) below += '\n';
      below += *text;
    }
    if (other.empty())
      other = below;
    else if (!below.empty())
      other += "\n" + below;
    if (other_text != nullptr && !other.empty()) *other_text = other;
    std::vector<std::string> keys;
    for (const auto key : spec.order) {
      if (ticked.count(key) != 0) keys.emplace_back(key);
    }
    return keys;
  }

  // --- Section 9
  void read_other_agencies() {
    static const std::vector<FieldSpec> specs = {
        {"regulator", Kind::text, {"has any regulator been informed about these concerns", "regulator informed"}},
        {"other_agencies",
         Kind::text,
         {"has any other agency raised concerns contributing to this notification being made",
          "other agencies involved"}},
    };
    static const Matcher matcher(specs);
    const auto found = labelled(range(9), matcher);
    form_.regulator_informed = as_text(first(found, "regulator"));
    form_.other_agencies = as_text(first(found, "other_agencies"));
  }

  // --- Free text sections (12, 14, 20): the table text under the heading,
  // or the paragraphs when there is no table, less the form's instructions.
  Text free_text(int section, std::vector<std::string_view> instructions) {
    const auto it = spans_.find(section);
    if (it == spans_.end()) return std::nullopt;
    std::vector<Words> known;
    for (const auto i : instructions) known.push_back(label::words(i));
    auto is_instruction = [&](const std::string& text) {
      const Words w = label::words(text);
      return std::any_of(known.begin(), known.end(),
                         [&](const Words& k) { return label::starts_with(w, k) || label::similarity(w, k) >= 0.6; });
    };
    std::string text;
    auto add = [&](const std::string& t) {
      if (t.empty() || is_instruction(t)) return;
      if (!text.empty()) text += '\n';
      text += t;
    };
    // A value written beside the heading, as older forms have it.
    const Line& heading = lines_[it->second.heading];
    bool any_table = false;
    for (std::size_t li = it->second.begin; li < it->second.end; ++li) any_table = any_table || lines_[li].in_table;
    for (std::size_t ci = 1; ci < heading.cells.size(); ++ci) add(label::clean(heading.cells[ci].text));
    for (std::size_t li = it->second.begin; li < it->second.end; ++li) {
      if (used_[li] || lines_[li].in_table != any_table) continue;
      used_[li] = true;
      add(joined_text(lines_[li]));
    }
    if (text.empty()) return std::nullopt;
    return text;
  }

  // --- Yes / No (sections 13, 15, 21)
  std::optional<bool> yes_no(int section) {
    static const std::vector<FieldSpec> specs = {
        {"yes", Kind::tick, {"yes"}},
        {"no", Kind::tick, {"no please review before finalising", "no"}},
    };
    static const Matcher matcher(specs);
    const auto r = range(section);
    bool yes = false;
    bool no = false;
    bool one_cell = false;
    for (std::size_t li = r.first; li < r.second && !one_cell; ++li) {
      for (const auto& cell : lines_[li].cells) {
        const auto pair = label::yes_no_in(cell.text);
        if (!pair.found) continue;
        yes = pair.yes;
        no = pair.no;
        one_cell = true;
        used_[li] = true;
        break;
      }
    }
    if (!one_cell) {
      const auto found = labelled(r, matcher);
      yes = is_ticked(first(found, "yes"));
      no = is_ticked(first(found, "no"));
    }
    if (yes && no) {
      warn("Section " + std::to_string(section) +
           ": both Yes and No are ticked for data minimisation; read as not answered");
      return std::nullopt;
    }
    if (yes) return true;
    if (no) return false;
    return std::nullopt;
  }

  // --- Section B
  void read_rescind() {
    static const std::vector<FieldSpec> specs = {
        {"date",
         Kind::date,
         {"date isp notification rescinded", "date isp rescinded", "date rescinded", "rescind date"}},
        {"officer_name", Kind::text, {"officer name", "name of officer"}},
        {"officer_email", Kind::text, {"officer email", "email address", "email"}},
        {"officer_name_email",
         Kind::name_and_email,
         {"officer name and email", "officer name email", "name and email"}},
        {"additional_information", Kind::text, {"additional information"}},
    };
    Rescind r;
    static const Matcher matcher(specs);
    const auto found = labelled(range(16), matcher);
    r.date = date_of(first(found, "date"), "Section 16, date rescinded");
    r.officer_name = as_text(first(found, "officer_name"));
    r.officer_email = email_in(as_text(first(found, "officer_email")));
    if (const Found* both = first(found, "officer_name_email")) {
      auto [name, email] = split_name_and_email(both->value.text);
      if (!r.officer_name) r.officer_name = name;
      if (!r.officer_email) r.officer_email = email;
    }
    r.outcomes = read_list(17, outcome_specs(), &r.outcome_explanation);
    r.contractual_outcomes = read_list(18, contractual_outcome_specs(), &r.contractual_outcome_other);
    r.placement_outcomes = read_list(19, placement_outcome_specs(), &r.placement_outcome_other);
    r.additional_information = free_text(20, {});
    if (!r.additional_information) r.additional_information = as_text(first(found, "additional_information"));
    r.data_minimisation = yes_no(21);
    const bool empty = !r.date && !r.officer_name && !r.officer_email && r.outcomes.empty() && !r.outcome_explanation &&
                       r.contractual_outcomes.empty() && !r.contractual_outcome_other && r.placement_outcomes.empty() &&
                       !r.placement_outcome_other && !r.additional_information && !r.data_minimisation;
    if (!empty) form_.rescind = std::move(r);
  }

  const std::vector<Line>& lines_;
  std::vector<bool> used_;
  std::map<int, Span> spans_;
  Form form_;
};

}  // namespace

Result<Form> read_form(const std::vector<docx::Line>& lines) { return Reader(lines).read(); }

bool ends_form(const docx::Line& paragraph) {
  const auto text = heading_text(paragraph);
  return text && text->size() <= 600 && is_form_end(label::words(strip_number(*text).second));
}

}  // namespace ispd
