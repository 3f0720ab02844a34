#include "parsing/docx_document.hpp"

#include <cstdlib>
#include <cstring>
#include <optional>
#include <tuple>
#include <utility>

#include "parsing/dates.hpp"
#include "parsing/utf8.hpp"

namespace ispd::docx {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kW14 = "http://schemas.microsoft.com/office/word/2010/wordml";
constexpr const char* kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";

bool named(const xmlNode* node, const char* ns, const char* name) {
  return node->type == XML_ELEMENT_NODE && node->ns != nullptr && node->ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0 &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

bool is_w(const xmlNode* node, const char* name) { return named(node, kW, name); }

const xmlNode* child(const xmlNode* node, const char* ns, const char* name) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (named(c, ns, name)) return c;
  }
  return nullptr;
}

const xmlNode* w_child(const xmlNode* node, const char* name) { return child(node, kW, name); }

// An attribute by local name, whatever its prefix (w:val, w14:val).
std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return std::nullopt;
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) continue;
    std::string value;
    for (const xmlNode* t = a->children; t != nullptr; t = t->next) {
      if (t->content != nullptr) value += reinterpret_cast<const char*>(t->content);
    }
    return value;
  }
  return std::nullopt;
}

// OOXML's on/off values: an element present without w:val means on.
bool on_off(const xmlNode* node) {
  const auto value = attribute(node, "val");
  return !value || !(*value == "0" || *value == "false" || *value == "off");
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

enum class SymbolFont { none, wingdings, wingdings2, webdings };

SymbolFont symbol_font(std::string_view font) {
  if (starts_with_ci(font, "wingdings 2")) return SymbolFont::wingdings2;
  if (starts_with_ci(font, "wingdings")) return SymbolFont::wingdings;
  if (starts_with_ci(font, "webdings")) return SymbolFont::webdings;
  return SymbolFont::none;
}

// What a character of a symbol font shows: a ticked box or mark, an empty box,
// or nothing a form reader cares about.
std::string_view symbol_glyph(SymbolFont font, unsigned code) {
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
    case SymbolFont::none:
      return {};
  }
  return {};
}

// One open complex field (fldChar begin ... separate ... end).
struct Field {
  std::string instruction;
  bool in_result = false;
  std::optional<bool> checkbox;
};

class Walker {
 public:
  explicit Walker(const BodyLimits& limits) : limits_(limits) {}

  Result<std::vector<Line>> run(const xmlNode* body) {
    walk_blocks(body, lines_);
    if (!error_.empty()) return Error{error_};
    return std::move(lines_);
  }

 private:
  bool count_node() {
    if (++nodes_ > limits_.max_nodes) {
      fail("is too complex to be an ISP form (more than " + std::to_string(limits_.max_nodes) +
           " XML elements in its body)");
    }
    return error_.empty();
  }

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  void push_line(std::vector<Line>& out, Line line) {
    if (out.size() >= limits_.max_lines) {
      fail("has more than " + std::to_string(limits_.max_lines) + " paragraphs and table rows; an ISP form has a few hundred");
      return;
    }
    out.push_back(std::move(line));
  }

  static bool skipped(const xmlNode* n) {
    // Deleted or moved-away text, properties, and drawings never read as text.
    return is_w(n, "del") || is_w(n, "moveFrom") || is_w(n, "pPr") || is_w(n, "rPr") || is_w(n, "sectPr") ||
           is_w(n, "tblPr") || is_w(n, "tblGrid") || is_w(n, "trPr") || is_w(n, "tcPr") || is_w(n, "sdtPr") ||
           is_w(n, "sdtEndPr") || is_w(n, "drawing") || is_w(n, "pict") || is_w(n, "object") ||
           is_w(n, "tblPrEx") || is_w(n, "customXmlPr");
  }

  // The child of mc:AlternateContent to read: the first Choice, else Fallback.
  static const xmlNode* alternate(const xmlNode* n) {
    const xmlNode* choice = child(n, kMc, "Choice");
    return choice != nullptr ? choice : child(n, kMc, "Fallback");
  }

  void walk_blocks(const xmlNode* container, std::vector<Line>& out) {
    for (const xmlNode* n = container->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node() || skipped(n)) continue;
      if (is_w(n, "p")) {
        Cell cell;
        begin_cell(cell);
        walk_inline(n);
        end_cell();
        if (!cell.text.empty() || !cell.dates.empty()) push_line(out, Line{false, {std::move(cell)}});
      } else if (is_w(n, "tbl")) {
        walk_table(n, out);
      } else if (is_w(n, "sdt")) {
        if (!showing_placeholder(n)) {
          if (const xmlNode* content = w_child(n, "sdtContent")) walk_blocks(content, out);
        }
      } else if (named(n, kMc, "AlternateContent")) {
        if (const xmlNode* alt = alternate(n)) walk_blocks(alt, out);
      } else {
        walk_blocks(n, out);
      }
    }
  }

  void walk_table(const xmlNode* table, std::vector<Line>& out) {
    for (const xmlNode* n = table->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node() || skipped(n)) continue;
      if (is_w(n, "tr")) {
        walk_row(n, out);
      } else if (is_w(n, "sdt")) {
        if (const xmlNode* content = w_child(n, "sdtContent")) walk_table(content, out);
      } else if (named(n, kMc, "AlternateContent")) {
        if (const xmlNode* alt = alternate(n)) walk_table(alt, out);
      } else {
        walk_table(n, out);
      }
    }
  }

  void walk_row(const xmlNode* row, std::vector<Line>& out) {
    int column = 0;
    if (const xmlNode* props = w_child(row, "trPr")) {
      if (w_child(props, "del") != nullptr) return;  // a row deleted with tracked changes
      if (const xmlNode* before = w_child(props, "gridBefore")) column = std::atoi(attribute(before, "val").value_or("0").c_str());
    }
    Line line{true, {}};
    std::vector<Line> nested;
    collect_cells(row, line, nested, column);
    bool any = false;
    for (const auto& c : line.cells) any = any || !c.text.empty() || !c.dates.empty();
    if (any) push_line(out, std::move(line));
    for (auto& l : nested) push_line(out, std::move(l));
  }

  void collect_cells(const xmlNode* container, Line& line, std::vector<Line>& nested, int& column) {
    for (const xmlNode* n = container->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node() || skipped(n)) continue;
      if (is_w(n, "tc")) {
        if (line.cells.size() >= limits_.max_cells_per_row) {
          fail("has a table row with more than " + std::to_string(limits_.max_cells_per_row) + " cells");
          return;
        }
        Cell cell;
        cell.column = column;
        if (const xmlNode* props = w_child(n, "tcPr")) {
          if (const xmlNode* span = w_child(props, "gridSpan")) {
            cell.span = std::atoi(attribute(span, "val").value_or("1").c_str());
            if (cell.span < 1 || cell.span > 64) cell.span = 1;
          }
        }
        column += cell.span;
        begin_cell(cell);
        walk_cell_content(n, nested);
        end_cell();
        line.cells.push_back(std::move(cell));
      } else if (is_w(n, "sdt")) {
        if (const xmlNode* content = w_child(n, "sdtContent")) collect_cells(content, line, nested, column);
      } else {
        collect_cells(n, line, nested, column);
      }
    }
  }

  // A cell's paragraphs; a table nested in it becomes lines after the row.
  void walk_cell_content(const xmlNode* container, std::vector<Line>& nested) {
    for (const xmlNode* n = container->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node() || skipped(n)) continue;
      if (is_w(n, "p")) {
        if (paragraphs_in_cell_++ > 0) *text_ += '\n';
        walk_inline(n);
      } else if (is_w(n, "tbl")) {
        // Save this cell's state: the nested table's cells are cells of their own.
        auto saved = std::make_tuple(text_, dates_, paragraphs_in_cell_, std::move(fields_));
        fields_.clear();
        walk_table(n, nested);
        std::tie(text_, dates_, paragraphs_in_cell_, fields_) = std::move(saved);
      } else if (is_w(n, "sdt")) {
        if (!showing_placeholder(n)) {
          if (const xmlNode* content = w_child(n, "sdtContent")) walk_cell_content(content, nested);
        }
      } else if (named(n, kMc, "AlternateContent")) {
        if (const xmlNode* alt = alternate(n)) walk_cell_content(alt, nested);
      } else {
        walk_cell_content(n, nested);
      }
    }
  }

  void begin_cell(Cell& cell) {
    text_ = &cell.text;
    dates_ = &cell.dates;
    paragraphs_in_cell_ = 0;
    fields_.clear();
  }

  void end_cell() {
    if (text_ != nullptr && text_->size() > limits_.max_cell_bytes) {
      fail("has a table cell longer than " + std::to_string(limits_.max_cell_bytes / 1024) + " KiB");
    }
    fields_.clear();
  }

  static bool showing_placeholder(const xmlNode* sdt) {
    const xmlNode* props = w_child(sdt, "sdtPr");
    return props != nullptr && w_child(props, "showingPlcHdr") != nullptr && on_off(w_child(props, "showingPlcHdr"));
  }

  void walk_inline(const xmlNode* container) {
    for (const xmlNode* n = container->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node() || skipped(n)) continue;
      if (is_w(n, "r")) {
        walk_run(n);
      } else if (is_w(n, "sdt")) {
        walk_inline_sdt(n);
      } else if (named(n, kMc, "AlternateContent")) {
        if (const xmlNode* alt = alternate(n)) walk_inline(alt);
      } else if (is_w(n, "p")) {
        // A paragraph inside a block-level content control in a cell.
        if (paragraphs_in_cell_++ > 0) *text_ += '\n';
        walk_inline(n);
      } else {
        walk_inline(n);  // hyperlink, ins, moveTo, smartTag, fldSimple, customXml, ...
      }
    }
  }

  void walk_inline_sdt(const xmlNode* sdt) {
    const xmlNode* props = w_child(sdt, "sdtPr");
    if (props != nullptr) {
      if (const xmlNode* box = child(props, kW14, "checkbox")) {
        const xmlNode* checked = child(box, kW14, "checked");
        emit(checked != nullptr && on_off(checked) ? kTickedBox : kUntickedBox);
        return;  // the glyph inside only draws the same state
      }
      if (showing_placeholder(sdt)) return;
      if (const xmlNode* date = w_child(props, "date")) {
        if (const auto full = attribute(date, "fullDate")) {
          if (const auto d = parse_british_date(*full)) dates_->push_back(*d);
        }
      }
    }
    if (const xmlNode* content = w_child(sdt, "sdtContent")) walk_inline(content);
  }

  bool in_instruction() const {
    for (const auto& f : fields_) {
      if (!f.in_result) return true;
    }
    return false;
  }

  void emit(std::string_view text) {
    if (!in_instruction()) *text_ += text;
  }

  void walk_run(const xmlNode* run) {
    std::string font;
    bool placeholder = false;
    if (const xmlNode* props = w_child(run, "rPr")) {
      if (const xmlNode* fonts = w_child(props, "rFonts")) {
        font = attribute(fonts, "ascii").value_or(attribute(fonts, "hAnsi").value_or(""));
      }
      if (const xmlNode* style = w_child(props, "rStyle")) placeholder = attribute(style, "val") == "PlaceholderText";
    }
    const SymbolFont run_symbols = symbol_font(font);
    for (const xmlNode* n = run->children; n != nullptr && error_.empty(); n = n->next) {
      if (n->type != XML_ELEMENT_NODE || !count_node()) continue;
      if (is_w(n, "t")) {
        if (placeholder) continue;
        const xmlChar* content = n->children != nullptr ? n->children->content : nullptr;
        if (content == nullptr) continue;
        emit_text(reinterpret_cast<const char*>(content), run_symbols);
      } else if (is_w(n, "tab") || is_w(n, "ptab")) {
        emit("\t");
      } else if (is_w(n, "br") || is_w(n, "cr")) {
        emit("\n");
      } else if (is_w(n, "noBreakHyphen")) {
        emit("-");
      } else if (is_w(n, "sym")) {
        emit_symbol(n);
      } else if (is_w(n, "fldChar")) {
        field_char(n);
      } else if (is_w(n, "instrText")) {
        if (!fields_.empty() && !fields_.back().in_result && n->children != nullptr && n->children->content != nullptr) {
          auto& instruction = fields_.back().instruction;
          if (instruction.size() < 4096) instruction += reinterpret_cast<const char*>(n->children->content);
        }
      }
    }
  }

  void emit_text(std::string_view text, SymbolFont symbols) {
    std::string clean;
    for (const char32_t code : utf8::decode(text)) {
      if (code == 0xE000 || code == 0xE001) continue;  // our own markers never come from a file
      if (symbols != SymbolFont::none) {
        clean += symbol_glyph(symbols, code);
      } else {
        utf8::append(clean, code);
      }
    }
    emit(clean);
  }

  void emit_symbol(const xmlNode* sym) {
    const auto font = attribute(sym, "font").value_or("");
    const auto hex = attribute(sym, "char").value_or("");
    if (hex.empty() || hex.size() > 6) return;
    unsigned code = 0;
    for (const char c : hex) {
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) return;
      code = code * 16 + static_cast<unsigned>(digit);
    }
    const SymbolFont kind = symbol_font(font);
    if (kind != SymbolFont::none) {
      emit(symbol_glyph(kind, code));
    } else if (code != 0xE000 && code != 0xE001 && (code < 0xF000 || code > 0xF0FF)) {
      std::string glyph;
      utf8::append(glyph, code);
      emit(glyph);
    }
  }

  void field_char(const xmlNode* n) {
    const auto type = attribute(n, "fldCharType").value_or("");
    if (type == "begin") {
      if (fields_.size() >= 32) return;
      Field field;
      if (const xmlNode* data = w_child(n, "ffData")) {
        if (const xmlNode* box = w_child(data, "checkBox")) {
          if (const xmlNode* checked = w_child(box, "checked")) {
            field.checkbox = on_off(checked);
          } else if (const xmlNode* dflt = w_child(box, "default")) {
            field.checkbox = on_off(dflt);
          } else {
            field.checkbox = false;
          }
        }
      }
      fields_.push_back(std::move(field));
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
  std::size_t nodes_ = 0;
  std::string error_;
  std::vector<Line> lines_;
  std::string* text_ = nullptr;
  std::vector<Date>* dates_ = nullptr;
  int paragraphs_in_cell_ = 0;
  std::vector<Field> fields_;
};

}  // namespace

Result<std::vector<Line>> read_body(xmlDoc* document, const BodyLimits& limits) {
  const xmlNode* root = xmlDocGetRootElement(document);
  if (root == nullptr || !named(root, kW, "document")) {
    return Error{"is not a Word document (its main part has no w:document)"};
  }
  const xmlNode* body = w_child(root, "body");
  if (body == nullptr) return Error{"is not a Word document (its main part has no body)"};
  return Walker(limits).run(body);
}

}  // namespace ispd::docx
