#include "parsing/form_reader.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "parsing/dates.hpp"
#include "parsing/form_lists.hpp"
#include "parsing/form_sections.hpp"
#include "parsing/form_values.hpp"
#include "parsing/label_text.hpp"

namespace ispd {

namespace form_reading {

namespace {

using docx::Cell;
using docx::Line;
using label::Tick;

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

// Reads the form section by section; a line read as a value is marked used,
// so no later field reads it again.
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
  Text free_text(int section, const std::vector<std::string_view>& instructions) {
    const auto it = spans_.find(section);
    if (it == spans_.end()) return std::nullopt;
    std::vector<Words> known;
    known.reserve(instructions.size());
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

}  // namespace form_reading

Result<Form> read_form(const std::vector<docx::Line>& lines) { return form_reading::Reader(lines).read(); }

bool ends_form(const docx::Line& paragraph) {
  const auto text = form_reading::heading_text(paragraph);
  return text && text->size() <= 600 &&
         form_reading::is_form_end(label::words(form_reading::strip_number(*text).second));
}

}  // namespace ispd
