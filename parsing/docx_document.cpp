#include "parsing/docx_document.hpp"

#include <charconv>
#include <optional>
#include <utility>

#include "parsing/dates.hpp"
#include "parsing/safe_xml.hpp"
#include "parsing/utf8.hpp"

namespace ispd::docx {

namespace {

constexpr std::string_view kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kW14 = "http://schemas.microsoft.com/office/word/2010/wordml";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";

// The elements the walker acts on; everything else is walked through.
enum class Tag : unsigned char {
  other,
  skip,  // deleted or moved-away text, drawings: never read
  p,
  r,
  t,
  tab,
  br,
  no_break_hyphen,
  sym,
  fld_char,
  instr_text,
  tbl,
  tr,
  tc,
  tr_pr,
  tc_pr,
  grid_span,
  grid_before,
  del,
  sdt,
  sdt_pr,
  sdt_content,
  showing_plc_hdr,
  date,
  checkbox14,
  checked14,
  r_pr,
  r_fonts,
  r_style,
  ff_data,
  check_box,
  checked,
  default_value,
  alternate_content,
  choice,
  fallback,
};

Tag word_tag(std::string_view local) {
  static const std::pair<std::string_view, Tag> kTags[] = {
      {"p", Tag::p},
      {"r", Tag::r},
      {"t", Tag::t},
      {"tab", Tag::tab},
      {"ptab", Tag::tab},
      {"br", Tag::br},
      {"cr", Tag::br},
      {"noBreakHyphen", Tag::no_break_hyphen},
      {"sym", Tag::sym},
      {"fldChar", Tag::fld_char},
      {"instrText", Tag::instr_text},
      {"delText", Tag::skip},
      {"delInstrText", Tag::skip},
      {"moveFrom", Tag::skip},
      {"drawing", Tag::skip},
      {"pict", Tag::skip},
      {"object", Tag::skip},
      {"tbl", Tag::tbl},
      {"tr", Tag::tr},
      {"tc", Tag::tc},
      {"trPr", Tag::tr_pr},
      {"tcPr", Tag::tc_pr},
      {"gridSpan", Tag::grid_span},
      {"gridBefore", Tag::grid_before},
      {"del", Tag::del},
      {"sdt", Tag::sdt},
      {"sdtPr", Tag::sdt_pr},
      {"sdtContent", Tag::sdt_content},
      {"showingPlcHdr", Tag::showing_plc_hdr},
      {"date", Tag::date},
      {"rPr", Tag::r_pr},
      {"rFonts", Tag::r_fonts},
      {"rStyle", Tag::r_style},
      {"ffData", Tag::ff_data},
      {"checkBox", Tag::check_box},
      {"checked", Tag::checked},
      {"default", Tag::default_value},
  };
  for (const auto& [name, tag] : kTags) {
    if (name == local) return tag;
  }
  return Tag::other;
}

enum class SymbolFont { none, wingdings, wingdings2, webdings };

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

SymbolFont symbol_font(std::string_view font) {
  if (starts_with_ci(font, "wingdings 2")) return SymbolFont::wingdings2;
  if (starts_with_ci(font, "wingdings")) return SymbolFont::wingdings;
  if (starts_with_ci(font, "webdings")) return SymbolFont::webdings;
  return SymbolFont::none;
}

// What a character of a symbol font shows: a ticked box or mark, an empty box,
// or nothing a form reader cares about.
std::string_view symbol_glyph(SymbolFont font, char32_t code) {
  if ((code & 0xFF00) == 0xF000) code &= 0xFF;
  switch (font) {
    case SymbolFont::wingdings:
      if (code == 0xFB || code == 0xFC || code == 0xFD || code == 0xFE) return kTickedBox;
      if (code == 0x6F || code == 0x70 || code == 0x71 || code == 0x72 || code == 0xA8) return kUntickedBox;
      return {};
    case SymbolFont::wingdings2:
      if (code >= 0x4F && code <= 0x54) return kTickedBox;
      if (code == 0x2A || code == 0xA3) return kUntickedBox;
      return {};
    case SymbolFont::webdings:
      if (code == 0x61) return kTickedBox;
      if (code == 0x63) return kUntickedBox;
      return {};
    case SymbolFont::none: return {};
  }
  return {};
}

// An attribute of the current element by local name, whatever its prefix.
std::optional<std::string_view> attribute(const xmlChar** attributes, int count, std::string_view name) {
  for (int i = 0; i < count; ++i) {
    const xmlChar** a = attributes + static_cast<std::ptrdiff_t>(i) * 5;
    if (name == reinterpret_cast<const char*>(a[0])) {
      return std::string_view(reinterpret_cast<const char*>(a[3]), static_cast<std::size_t>(a[4] - a[3]));
    }
  }
  return std::nullopt;
}

// OOXML's on/off values: an element present without w:val means on.
bool on_off(const xmlChar** attributes, int count) {
  const auto value = attribute(attributes, count, "val");
  return !value || !(*value == "0" || *value == "false" || *value == "off");
}

int number(const xmlChar** attributes, int count, int fallback) {
  const auto value = attribute(attributes, count, "val");
  int n = fallback;
  if (value) std::from_chars(value->data(), value->data() + value->size(), n);
  return n;
}

// One open complex field (fldChar begin ... separate ... end).
struct Field {
  std::string instruction;
  bool in_result = false;
  std::optional<bool> checkbox;
  bool explicit_checked = false;
};

// One open content control.
struct Sdt {
  std::optional<bool> checkbox;
  bool placeholder = false;
  std::optional<Date> date;
};

// One open table: its finished lines, and the row and cell being read.
struct Table {
  std::vector<Line> lines;
  Line row{true, {}};
  std::vector<Line> nested;  // rows of tables inside this row's cells
  bool row_deleted = false;
  int column = 0;
  Cell cell;
  bool in_cell = false;
  int paragraphs = 0;
};

class Walker final : public XmlHandler {
 public:
  Walker(const BodyLimits& limits, const StopAfter& stop_after) : limits_(limits), stop_after_(stop_after) {}

  Result<std::vector<Line>> run(std::string_view xml) {
    const auto streamed = stream_xml(xml, "word/document.xml", *this);
    if (!error_.empty()) return Error{error_};
    if (!streamed) return streamed.error();
    if (!seen_document_) return Error{"is not a Word document (its main part has no w:document)"};
    return std::move(lines_);
  }

  bool start(std::string_view local, std::string_view uri, const xmlChar** attributes, int count) override {
    if (++nodes_ > limits_.max_nodes) {
      return fail("is too complex to be an ISP form (more than " + std::to_string(limits_.max_nodes) +
                  " XML elements in its body)");
    }
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    const Tag tag = classify(local, uri);
    if (stack_.empty() && (uri == kW || uri == kWStrict) && local == "document") seen_document_ = true;
    const Tag parent = stack_.empty() ? Tag::other : stack_.back();
    const Tag grandparent = stack_.size() < 2 ? Tag::other : stack_[stack_.size() - 2];
    if (tag == Tag::skip || (tag == Tag::del && parent != Tag::tr_pr) || !take_alternate(tag)) {
      skip_ = 1;
      return true;
    }
    stack_.push_back(tag);
    switch (tag) {
      case Tag::del:
        if (!tables_.empty()) tables_.back().row_deleted = true;  // a row deleted with tracked changes
        break;
      case Tag::alternate_content: alternates_.push_back(false); break;
      case Tag::p: begin_paragraph(); break;
      case Tag::tbl:
        if (tables_.size() >= 16) return fail("has tables nested more than 16 deep");
        tables_.emplace_back();
        break;
      case Tag::tr:
        if (!tables_.empty()) {
          auto& t = tables_.back();
          t.row = Line{true, {}};
          t.row_deleted = false;
          t.column = 0;
        }
        break;
      case Tag::grid_before:
        if (parent == Tag::tr_pr && !tables_.empty()) tables_.back().column = std::max(0, number(attributes, count, 0));
        break;
      case Tag::tc:
        if (!tables_.empty()) {
          auto& t = tables_.back();
          if (t.row.cells.size() >= limits_.max_cells_per_row) {
            return fail("has a table row with more than " + std::to_string(limits_.max_cells_per_row) + " cells");
          }
          t.cell = Cell{};
          t.cell.column = t.column;
          t.in_cell = true;
          t.paragraphs = 0;
          fields_.clear();
        }
        break;
      case Tag::grid_span:
        if (parent == Tag::tc_pr && !tables_.empty()) {
          const int span = number(attributes, count, 1);
          tables_.back().cell.span = span >= 1 && span <= 64 ? span : 1;
        }
        break;
      case Tag::r:
        symbols_ = SymbolFont::none;
        placeholder_run_ = false;
        break;
      case Tag::r_fonts:
        if (parent == Tag::r_pr && grandparent == Tag::r) {
          const auto font = attribute(attributes, count, "ascii");
          symbols_ = symbol_font(font ? *font : attribute(attributes, count, "hAnsi").value_or(""));
        }
        break;
      case Tag::r_style:
        if (parent == Tag::r_pr && grandparent == Tag::r) {
          placeholder_run_ = attribute(attributes, count, "val") == "PlaceholderText";
        }
        break;
      case Tag::t:
        in_text_ = parent == Tag::r && !placeholder_run_;
        text_.clear();
        break;
      case Tag::tab:
        if (parent == Tag::r) emit("\t");
        break;
      case Tag::br:
        if (parent == Tag::r) emit("\n");
        break;
      case Tag::no_break_hyphen:
        if (parent == Tag::r) emit("-");
        break;
      case Tag::sym:
        if (parent == Tag::r) emit_symbol(attributes, count);
        break;
      case Tag::fld_char: field_char(attribute(attributes, count, "fldCharType").value_or("")); break;
      case Tag::check_box:
        if (parent == Tag::ff_data && grandparent == Tag::fld_char && !fields_.empty() && !fields_.back().in_result) {
          fields_.back().checkbox = false;
        }
        break;
      case Tag::default_value:
        if (parent == Tag::check_box && !fields_.empty() && !fields_.back().explicit_checked) {
          fields_.back().checkbox = on_off(attributes, count);
        }
        break;
      case Tag::checked:
        if (parent == Tag::check_box && !fields_.empty()) {
          fields_.back().checkbox = on_off(attributes, count);
          fields_.back().explicit_checked = true;
        }
        break;
      case Tag::instr_text: in_instruction_text_ = !fields_.empty() && !fields_.back().in_result; break;
      case Tag::sdt: sdts_.emplace_back(); break;
      case Tag::checkbox14:
        if (parent == Tag::sdt_pr && !sdts_.empty()) sdts_.back().checkbox = false;
        break;
      case Tag::checked14:
        if (parent == Tag::checkbox14 && !sdts_.empty()) sdts_.back().checkbox = on_off(attributes, count);
        break;
      case Tag::showing_plc_hdr:
        if (parent == Tag::sdt_pr && !sdts_.empty()) sdts_.back().placeholder = on_off(attributes, count);
        break;
      case Tag::date:
        if (parent == Tag::sdt_pr && !sdts_.empty()) {
          if (const auto full = attribute(attributes, count, "fullDate")) sdts_.back().date = parse_british_date(*full);
        }
        break;
      case Tag::sdt_content: return start_sdt_content();
      default: break;
    }
    return error_.empty();
  }

  bool end(std::string_view /*local*/, std::string_view /*uri*/) override {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    if (stack_.empty()) return true;
    const Tag tag = stack_.back();
    stack_.pop_back();
    switch (tag) {
      case Tag::t:
        if (in_text_) emit_text(text_);
        in_text_ = false;
        break;
      case Tag::instr_text: in_instruction_text_ = false; break;
      case Tag::p: return end_paragraph();
      case Tag::tc:
        if (!tables_.empty() && tables_.back().in_cell) {
          auto& t = tables_.back();
          t.in_cell = false;
          t.column += t.cell.span;
          t.row.cells.push_back(std::move(t.cell));
          fields_.clear();
        }
        break;
      case Tag::tr:
        if (!tables_.empty()) end_row(tables_.back());
        break;
      case Tag::tbl:
        if (!tables_.empty()) {
          Table done = std::move(tables_.back());
          tables_.pop_back();
          auto& into = tables_.empty() ? lines_ : tables_.back().nested;
          for (auto& line : done.lines) {
            if (!push(into, std::move(line))) return false;
          }
        }
        break;
      case Tag::sdt:
        if (!sdts_.empty()) sdts_.pop_back();
        break;
      case Tag::alternate_content:
        if (!alternates_.empty()) alternates_.pop_back();
        break;
      default: break;
    }
    return error_.empty();
  }

  bool text(std::string_view chars) override {
    if (skip_ > 0) return true;
    if (in_text_) {
      text_ += chars;
      if (text_.size() > limits_.max_cell_bytes) return fail(cell_too_long());
    } else if (in_instruction_text_ && !fields_.empty() && fields_.back().instruction.size() < 4096) {
      fields_.back().instruction += chars;
    }
    return true;
  }

 private:
  static Tag classify(std::string_view local, std::string_view uri) {
    if (uri == kW || uri == kWStrict) return word_tag(local);
    if (uri == kW14) {
      if (local == "checkbox") return Tag::checkbox14;
      if (local == "checked") return Tag::checked14;
      return Tag::other;
    }
    if (uri == kMc) {
      if (local == "AlternateContent") return Tag::alternate_content;
      if (local == "Choice") return Tag::choice;
      if (local == "Fallback") return Tag::fallback;
    }
    return Tag::other;
  }

  // Of mc:AlternateContent's branches only the first is read.
  bool take_alternate(Tag tag) {
    if (tag != Tag::choice && tag != Tag::fallback) return true;
    if (alternates_.empty() || alternates_.back()) return false;
    alternates_.back() = true;
    return true;
  }

  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  std::string cell_too_long() const {
    return "has a table cell longer than " + std::to_string(limits_.max_cell_bytes / 1024) + " KiB";
  }

  bool push(std::vector<Line>& into, Line line) {
    if (++line_count_ > limits_.max_lines) {
      return fail("has more than " + std::to_string(limits_.max_lines) +
                  " paragraphs and table rows; an ISP form has a few hundred");
    }
    into.push_back(std::move(line));
    return true;
  }

  // Where text goes now: the open table cell, or the open paragraph outside tables.
  Cell* sink() {
    if (!tables_.empty()) return tables_.back().in_cell ? &tables_.back().cell : nullptr;
    return in_paragraph_ ? &paragraph_ : nullptr;
  }

  void begin_paragraph() {
    if (tables_.empty()) {
      paragraph_ = Cell{};
      in_paragraph_ = true;
      fields_.clear();
    } else if (tables_.back().in_cell && tables_.back().paragraphs++ > 0) {
      tables_.back().cell.text += '\n';
    }
    for (const auto& d : pending_dates_) {
      if (Cell* c = sink()) c->dates.push_back(d);
    }
    pending_dates_.clear();
  }

  bool end_paragraph() {
    if (!tables_.empty() || !in_paragraph_) return error_.empty();
    in_paragraph_ = false;
    if (paragraph_.text.empty() && paragraph_.dates.empty()) return true;
    Line line{false, {std::move(paragraph_)}};
    const bool stop = stop_after_ && stop_after_(line, table_rows_);
    if (!push(lines_, std::move(line))) return false;
    return !stop;
  }

  void end_row(Table& t) {
    bool any = false;
    for (const auto& c : t.row.cells) any = any || !c.text.empty() || !c.dates.empty();
    if (!t.row_deleted && any) {
      if (!push(t.lines, std::move(t.row))) return;
      ++table_rows_;
    }
    for (auto& line : t.nested) {
      if (!push(t.lines, std::move(line))) return;
    }
    t.nested.clear();
    t.row = Line{true, {}};
  }

  bool start_sdt_content() {
    if (sdts_.empty()) return true;
    const Sdt& sdt = sdts_.back();
    if (sdt.checkbox) {
      emit(*sdt.checkbox ? kTickedBox : kUntickedBox);
      skip_ = 1;  // the glyph inside only draws the same state
      stack_.pop_back();
    } else if (sdt.placeholder) {
      skip_ = 1;
      stack_.pop_back();
    } else if (sdt.date) {
      if (Cell* c = sink()) {
        c->dates.push_back(*sdt.date);
      } else {
        pending_dates_.push_back(*sdt.date);
      }
    }
    return error_.empty();
  }

  bool in_instruction() const {
    for (const auto& f : fields_) {
      if (!f.in_result) return true;
    }
    return false;
  }

  void emit(std::string_view text) {
    Cell* c = sink();
    if (c == nullptr || in_instruction()) return;
    c->text += text;
    if (c->text.size() > limits_.max_cell_bytes) fail(cell_too_long());
  }

  void emit_text(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (const char32_t code : utf8::decode(text)) {
      if (code == 0xE000 || code == 0xE001) continue;  // our own markers never come from a file
      if (symbols_ != SymbolFont::none) {
        clean += symbol_glyph(symbols_, code);
      } else {
        utf8::append(clean, code);
      }
    }
    emit(clean);
  }

  void emit_symbol(const xmlChar** attributes, int count) {
    const auto hex = attribute(attributes, count, "char").value_or("");
    unsigned code = 0;
    if (hex.empty() || hex.size() > 6) return;
    const auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
    if (error != std::errc() || end != hex.data() + hex.size()) return;
    const SymbolFont kind = symbol_font(attribute(attributes, count, "font").value_or(""));
    if (kind != SymbolFont::none) {
      emit(symbol_glyph(kind, code));
    } else if (code != 0xE000 && code != 0xE001 && (code < 0xF000 || code > 0xF0FF) && code < 0x110000) {
      std::string glyph;
      utf8::append(glyph, code);
      emit(glyph);
    }
  }

  void field_char(std::string_view type) {
    if (type == "begin") {
      if (fields_.size() < 32) fields_.emplace_back();
    } else if (type == "separate") {
      if (!fields_.empty()) fields_.back().in_result = true;
    } else if (type == "end") {
      if (fields_.empty()) return;
      Field field = std::move(fields_.back());
      fields_.pop_back();
      if (!field.checkbox && field.instruction.find("FORMCHECKBOX") != std::string::npos) field.checkbox = false;
      if (field.checkbox) emit(*field.checkbox ? kTickedBox : kUntickedBox);
    }
  }

  const BodyLimits& limits_;
  const StopAfter& stop_after_;
  std::string error_;
  std::size_t nodes_ = 0;
  std::size_t line_count_ = 0;
  std::size_t table_rows_ = 0;
  bool seen_document_ = false;
  int skip_ = 0;  // depth inside a subtree that is never read
  std::vector<Tag> stack_;
  std::vector<bool> alternates_;
  std::vector<Sdt> sdts_;
  std::vector<Field> fields_;
  std::vector<Table> tables_;
  std::vector<Date> pending_dates_;
  std::vector<Line> lines_;
  Cell paragraph_;
  bool in_paragraph_ = false;
  SymbolFont symbols_ = SymbolFont::none;
  bool placeholder_run_ = false;
  bool in_text_ = false;
  bool in_instruction_text_ = false;
  std::string text_;
};

}  // namespace

Result<std::vector<Line>> read_body(std::string_view document_xml, const BodyLimits& limits,
                                    const StopAfter& stop_after) {
  return Walker(limits, stop_after).run(document_xml);
}

}  // namespace ispd::docx
