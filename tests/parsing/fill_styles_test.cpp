// Proves the parser reads every way a person fills the 2026 form. Each example
// form is rewritten into one fill style (legacy check boxes, typed ticks,
// symbol fonts, tracked changes, split runs, reworded labels, ...) and must
// still parse to the example's expected JSON. Small hand-written documents
// cover the awkward rules (unreadable dates, whitespace, paragraphs), and the
// committed LibreOffice and pandoc conversions (tests/data/forms/make-fixtures.sh)
// must read like their originals.
//
// Set ISPD_TEST_DUMP_DIR to a folder to keep the .docx of every failing case.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "parsing/form.hpp"
#include "parsing/parse.hpp"
#include "tests/support/docx_builder.hpp"
#include "tests/support/json_diff.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

using nlohmann::json;
using test::ZipEntries;

constexpr std::size_t kNpos = std::string::npos;

// ---------------------------------------------------------------------------
// Reading and comparing results.

json expected_json(const std::string& example) {
  return json::parse(test::read_file(test::data_path("forms/" + example + ".json")));
}

using test::same_json;

// The parsed form as plain JSON, or the parser's message.
struct Parsed {
  std::optional<json> form;
  std::string error;
};

Parsed parse_docx(const std::string& docx) {
  auto result = parse_form(docx);
  if (!result.ok()) return {std::nullopt, result.error().message};
  return {json::parse(to_json(result.value()).dump()), {}};
}

// Keeps the .docx of a failing case where a person can open it in Word.
void keep_for_inspection(const std::string& name, const std::string& docx) {
  const char* dir = std::getenv("ISPD_TEST_DUMP_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::filesystem::create_directories(dir);
  std::ofstream(std::filesystem::path(dir) / (name + ".docx"), std::ios::binary) << docx;
}

// ---------------------------------------------------------------------------
// Editing WordprocessingML as text. The example forms are regular: no nested
// tables, no nested content controls, no '>' inside attribute values.

// Where the next element called `tag` opens ("<tag>", "<tag ...>", "<tag/>").
std::size_t find_open(std::string_view xml, std::string_view tag, std::size_t from) {
  const std::string needle = "<" + std::string(tag);
  for (std::size_t p = xml.find(needle, from); p != kNpos; p = xml.find(needle, p + 1)) {
    const std::size_t after = p + needle.size();
    if (after < xml.size() && (xml[after] == '>' || xml[after] == ' ' || xml[after] == '/')) return p;
  }
  return kNpos;
}

// One past the end of the element that opens at `open`, nested ones included.
std::size_t element_end(std::string_view xml, std::string_view tag, std::size_t open) {
  std::size_t gt = xml.find('>', open);
  if (gt == kNpos) throw std::runtime_error("unterminated <" + std::string(tag));
  if (xml[gt - 1] == '/') return gt + 1;
  const std::string close = "</" + std::string(tag) + ">";
  int depth = 1;
  std::size_t pos = gt + 1;
  while (depth > 0) {
    const std::size_t next_open = find_open(xml, tag, pos);
    const std::size_t next_close = xml.find(close, pos);
    if (next_close == kNpos) throw std::runtime_error("no " + close);
    if (next_open != kNpos && next_open < next_close) {
      gt = xml.find('>', next_open);
      if (xml[gt - 1] != '/') ++depth;
      pos = gt + 1;
    } else {
      --depth;
      pos = next_close + close.size();
    }
  }
  return pos;
}

// The outermost elements called `tag`, in document order.
std::vector<std::string_view> elements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> found;
  for (std::size_t p = find_open(xml, tag, 0); p != kNpos;) {
    const std::size_t end = element_end(xml, tag, p);
    found.push_back(xml.substr(p, end - p));
    p = find_open(xml, tag, end);
  }
  return found;
}

using Rewriter = std::function<std::string(std::string_view element, std::size_t index)>;

// xml with every outermost element called `tag` replaced by what `rewrite` makes of it.
std::string rewrite(std::string_view xml, std::string_view tag, const Rewriter& rewrite_one) {
  std::string out;
  out.reserve(xml.size());
  std::size_t copied = 0;
  std::size_t index = 0;
  for (std::size_t p = find_open(xml, tag, 0); p != kNpos;) {
    const std::size_t end = element_end(xml, tag, p);
    out.append(xml.substr(copied, p - copied));
    out += rewrite_one(xml.substr(p, end - p), index++);
    copied = end;
    p = find_open(xml, tag, end);
  }
  out.append(xml.substr(copied));
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != kNpos; }

// Every occurrence of `from` replaced; throws when there is none, so a style
// that stops matching the examples fails loudly instead of testing nothing.
std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  std::size_t count = 0;
  for (std::size_t p = text.find(from); p != kNpos; p = text.find(from, p + to.size())) {
    text.replace(p, from.size(), to);
    ++count;
  }
  if (count == 0) throw std::runtime_error("the example has no \"" + std::string(from) + "\"");
  return text;
}

// The same, without the check, for markup that may or may not be there.
std::string erase_all(std::string text, std::string_view what) {
  for (std::size_t p = text.find(what); p != kNpos; p = text.find(what, p)) text.erase(p, what.size());
  return text;
}

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out(text);
  for (const auto& [entity, c] : std::array<std::pair<std::string_view, std::string_view>, 5>{
           {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}}) {
    for (std::size_t p = out.find(entity); p != kNpos; p = out.find(entity, p + 1)) out.replace(p, entity.size(), c);
  }
  return out;
}

// The text of the w:t elements under xml, concatenated.
std::string plain_text(std::string_view xml) {
  std::string text;
  for (const auto t : elements(xml, "w:t")) {
    const std::size_t gt = t.find('>');
    if (t[gt - 1] == '/') continue;
    text += unescape(t.substr(gt + 1, t.size() - gt - 1 - std::string_view("</w:t>").size()));
  }
  return text;
}

bool is_checkbox(std::string_view sdt) { return contains(sdt, "<w14:checkbox>"); }
bool is_ticked(std::string_view sdt) { return contains(sdt, R"(<w14:checked w14:val="1"/>)"); }
bool shows_placeholder(std::string_view sdt) { return contains(sdt, "<w:showingPlcHdr/>"); }
bool is_block_level(std::string_view sdt) { return find_open(sdt, "w:p", 0) != kNpos; }
bool is_date_control(std::string_view sdt) { return find_open(sdt, "w:date", 0) != kNpos; }

std::string_view sdt_content(std::string_view sdt) {
  const std::size_t open = sdt.find("<w:sdtContent>");
  const std::size_t close = sdt.rfind("</w:sdtContent>");
  if (open == kNpos || close == kNpos) return {};
  return sdt.substr(open + 14, close - open - 14);
}

std::string with_sdt_content(std::string_view sdt, std::string_view content) {
  const std::size_t open = sdt.find("<w:sdtContent>");
  const std::size_t close = sdt.rfind("</w:sdtContent>");
  return std::string(sdt.substr(0, open + 14)) + std::string(content) + std::string(sdt.substr(close));
}

// The document with each check box control replaced by what `draw` makes of its state.
std::string replace_checkboxes(std::string_view xml, const std::function<std::string(bool ticked)>& draw) {
  return rewrite(xml, "w:sdt", [&](std::string_view sdt, std::size_t) {
    return is_checkbox(sdt) ? draw(is_ticked(sdt)) : std::string(sdt);
  });
}

// The document with each text or date control replaced by what `change` makes of it.
std::string replace_text_controls(std::string_view xml, const std::function<std::string(std::string_view)>& change) {
  return rewrite(xml, "w:sdt",
                 [&](std::string_view sdt, std::size_t) { return is_checkbox(sdt) ? std::string(sdt) : change(sdt); });
}

std::string run(std::string_view escaped_text, std::string_view rpr = "") {
  std::string r = "<w:r>";
  if (!rpr.empty()) r += "<w:rPr>" + std::string(rpr) + "</w:rPr>";
  return r + R"(<w:t xml:space="preserve">)" + std::string(escaped_text) + "</w:t></w:r>";
}

// A content control around block, row or cell content.
std::string block_content_control(std::string_view content, int id, std::string_view extra_properties = "") {
  return R"(<w:sdt><w:sdtPr><w:id w:val=")" + std::to_string(id) + R"("/>)" + std::string(extra_properties) +
         "</w:sdtPr><w:sdtContent>" + std::string(content) + "</w:sdtContent></w:sdt>";
}

// The document.xml of a zip, to edit in place.
std::string& document(ZipEntries& zip) { return zip.at("word/document.xml"); }

// A relationship from document.xml to an external target, e.g. a mailto: link.
void add_external_relationship(ZipEntries& zip, std::string_view id, std::string_view target) {
  std::string& rels = zip.at("word/_rels/document.xml.rels");
  const std::string relationship =
      R"(<Relationship Id=")" + std::string(id) +
      R"(" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target=")" +
      escape(target) + R"(" TargetMode="External"/>)";
  rels.insert(rels.rfind("</Relationships>"), relationship);
}

// ---------------------------------------------------------------------------
// a. Legacy FORMCHECKBOX fields.

std::string form_checkbox(std::string_view check_box_state) {
  static int number = 0;
  const std::string name = "Check" + std::to_string(++number);
  return R"(<w:bookmarkStart w:id=")" + std::to_string(5000 + number) + R"(" w:name=")" + name + R"("/>)" +
         R"(<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val=")" + name +
         R"("/><w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>)" + std::string(check_box_state) +
         R"(</w:checkBox></w:ffData></w:fldChar></w:r>)"
         R"(<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>)"
         R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)"
         R"(<w:bookmarkEnd w:id=")" +
         std::to_string(5000 + number) + R"("/>)";
}

// ---------------------------------------------------------------------------
// e. A tick typed into the label's own cell, the box cell left empty.

enum class InLabel { mark_after_text, mark_before_text, control_before_text };

// `mark` (or `unticked_mark`, if any) typed into the label cell; or the control itself moved there.
std::string tick_in_label_cell(std::string_view xml, std::string_view mark, InLabel where = InLabel::mark_after_text,
                               std::string_view unticked_mark = "") {
  return rewrite(xml, "w:tr", [&](std::string_view row, std::size_t) {
    const auto cells = elements(row, "w:tc");
    std::vector<bool> box(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) box[i] = contains(cells[i], "<w14:checkbox>");
    for (std::size_t i = 1; i < cells.size(); ++i) {
      // Circulation rows have boxes side by side: the label cannot say which column.
      if (box[i] && box[i - 1]) return std::string(row);
    }
    std::vector<std::string> changed(cells.begin(), cells.end());
    for (std::size_t i = 1; i < cells.size(); ++i) {
      if (!box[i]) continue;
      const std::string control(elements(cells[i], "w:sdt").front());
      const bool ticked = is_ticked(control);
      changed[i] = rewrite(cells[i], "w:sdt", [](std::string_view, std::size_t) { return std::string(); });
      std::string& label = changed[i - 1];
      switch (where) {
        case InLabel::mark_after_text: label.insert(label.rfind("</w:t>"), ticked ? mark : unticked_mark); break;
        case InLabel::mark_before_text:
          label.insert(label.find('>', find_open(label, "w:t", 0)) + 1, ticked ? mark : unticked_mark);
          break;
        case InLabel::control_before_text: label.insert(find_open(label, "w:r", 0), control + run(" ")); break;
      }
    }
    return rewrite(row, "w:tc", [&](std::string_view, std::size_t i) { return changed[i]; });
  });
}

// Rows of label | box | label | box become two rows of label | box.
std::string one_tick_per_row(std::string_view xml) {
  return rewrite(xml, "w:tr", [](std::string_view row, std::size_t) {
    const auto cells = elements(row, "w:tc");
    if (cells.size() != 4 || !contains(cells[1], "<w14:checkbox>") || !contains(cells[3], "<w14:checkbox>")) {
      return std::string(row);
    }
    const auto widen = [](std::string_view cell) {
      std::string out(cell);
      const std::size_t width = out.find("<w:tcW");
      out.insert(out.find("/>", width) + 2, R"(<w:gridSpan w:val="3"/>)");
      return out;
    };
    return "<w:tr>" + std::string(cells[0]) + widen(cells[1]) + "</w:tr><w:tr>" + std::string(cells[2]) +
           widen(cells[3]) + "</w:tr>";
  });
}

// Tables of label | value rows (not section 5's, where order groups a setting) upside down.
std::string reverse_label_value_rows(std::string_view xml) {
  int reversed = 0;
  std::string out = rewrite(xml, "w:tbl", [&](std::string_view table, std::size_t) {
    const auto rows = elements(table, "w:tr");
    const bool label_value = rows.size() >= 2 && std::all_of(rows.begin(), rows.end(), [](std::string_view r) {
                               return elements(r, "w:tc").size() == 2;
                             });
    if (!label_value || plain_text(table).starts_with("Name of setting")) return std::string(table);
    ++reversed;
    return rewrite(table, "w:tr",
                   [&](std::string_view, std::size_t i) { return std::string(rows[rows.size() - 1 - i]); });
  });
  if (reversed == 0) throw std::runtime_error("no label | value tables");
  return out;
}

// ---------------------------------------------------------------------------
// g. Text split across many runs.

// The units of escaped text that must stay whole: one entity or one UTF-8 character.
std::vector<std::string> text_units(std::string_view escaped) {
  std::vector<std::string> units;
  for (std::size_t i = 0; i < escaped.size();) {
    std::size_t length = 1;
    const auto c = static_cast<unsigned char>(escaped[i]);
    if (c == '&') {
      length = escaped.find(';', i) - i + 1;
    } else if (c >= 0xF0) {
      length = 4;
    } else if (c >= 0xE0) {
      length = 3;
    } else if (c >= 0xC0) {
      length = 2;
    }
    units.emplace_back(escaped.substr(i, length));
    i += length;
  }
  return units;
}

enum class Split { by_word, in_fragments, by_character };

// The run's text, if the run holds nothing but properties and one w:t.
std::optional<std::pair<std::string, std::string>> simple_run(std::string_view r) {
  if (!r.starts_with("<w:r>") || !r.ends_with("</w:r>")) return std::nullopt;
  std::string_view body = r.substr(5, r.size() - 5 - 6);
  std::string rpr;
  if (body.starts_with("<w:rPr>")) {
    const std::size_t end = body.find("</w:rPr>");
    rpr = std::string(body.substr(7, end - 7));
    body.remove_prefix(end + 8);
  }
  const std::size_t gt = body.find('>');
  if (!body.starts_with("<w:t") || gt == kNpos || body[gt - 1] == '/' || !body.ends_with("</w:t>")) {
    return std::nullopt;
  }
  const std::string_view text = body.substr(gt + 1, body.size() - gt - 1 - 6);
  if (contains(text, "<")) return std::nullopt;
  return std::make_pair(rpr, std::string(text));
}

std::string split_runs(std::string_view xml, Split how) {
  static constexpr std::array<std::string_view, 6> kExtra = {
      "<w:b/>", "<w:i/>", R"(<w:color w:val="1F3864"/>)", R"(<w:u w:val="single"/>)", R"(<w:lang w:val="en-US"/>)", ""};
  int counter = 0;
  return rewrite(xml, "w:r", [&](std::string_view r, std::size_t) {
    const auto parts = simple_run(r);
    if (!parts) return std::string(r);
    const auto& [rpr, text] = *parts;
    std::vector<std::string> pieces;
    const auto units = text_units(text);
    for (std::size_t i = 0; i < units.size(); ++i) {
      const bool start_new = pieces.empty() || how == Split::by_character ||
                             (how == Split::in_fragments && i % 4 == 0) ||
                             (how == Split::by_word && units[i - 1] == " " && units[i] != " ");
      if (start_new) pieces.emplace_back();
      pieces.back() += units[i];
    }
    std::string out;
    for (const auto& piece : pieces) {
      const int n = counter++;
      if (how == Split::in_fragments && n % 3 == 1) out += R"(<w:proofErr w:type="spellStart"/>)";
      if (how == Split::in_fragments && n % 5 == 2) {
        out += R"(<w:bookmarkStart w:id=")" + std::to_string(7000 + n) + R"(" w:name="_Ref)" + std::to_string(n) +
               R"("/><w:bookmarkEnd w:id=")" + std::to_string(7000 + n) + R"("/>)";
      }
      out += run(piece, rpr + std::string(kExtra[static_cast<std::size_t>(n) % kExtra.size()]));
    }
    return out;
  });
}

// Every text and date control replaced by its content; an unfilled one by
// nothing, or by its placeholder text as plain text when `keep_placeholder_text`.
std::string remove_text_controls(std::string_view xml, bool keep_placeholder_text) {
  return replace_text_controls(xml, [&](std::string_view sdt) {
    const bool block = is_block_level(sdt);
    if (shows_placeholder(sdt) && !keep_placeholder_text) return std::string(block ? "<w:p/>" : "");
    return erase_all(std::string(sdt_content(sdt)), R"(<w:rStyle w:val="PlaceholderText"/>)");
  });
}

// ---------------------------------------------------------------------------
// i. Tracked changes and comments.

int revision_id = 100;

std::string revision_attributes() {
  return R"( w:id=")" + std::to_string(++revision_id) + R"(" w:author="Reviewer" w:date="2026-02-02T10:00:00Z")";
}

std::string deleted_run(std::string_view escaped_text, std::string_view rpr = "") {
  std::string r = "<w:del" + revision_attributes() + "><w:r>";
  if (!rpr.empty()) r += "<w:rPr>" + std::string(rpr) + "</w:rPr>";
  return r + R"(<w:delText xml:space="preserve">)" + std::string(escaped_text) + "</w:delText></w:r></w:del>";
}

std::string inserted(std::string_view content) {
  return "<w:ins" + revision_attributes() + ">" + std::string(content) + "</w:ins>";
}

// A paragraph whose text and mark are both deleted: accepted, it vanishes.
std::string deleted_paragraph() {
  return "<w:p><w:pPr><w:rPr><w:del" + revision_attributes() + "/></w:rPr></w:pPr>" +
         deleted_run("A paragraph the officer deleted.") + "</w:p>";
}

std::string track_changes(std::string_view xml) {
  std::string out = replace_text_controls(xml, [](std::string_view sdt) {
    const bool block = is_block_level(sdt);
    if (shows_placeholder(sdt)) {
      // A value typed, then deleted: the control is empty again.
      const std::string junk = deleted_run(is_date_control(sdt) ? "01/01/2026" : "Deleted draft value");
      return erase_all(with_sdt_content(sdt, block ? "<w:p>" + junk + "</w:p>" : junk), "<w:showingPlcHdr/>");
    }
    std::string content = rewrite(sdt_content(sdt), "w:r",
                                  [](std::string_view r, std::size_t) { return deleted_run("JUNK ") + inserted(r); });
    if (block && elements(content, "w:p").size() >= 2) {
      const std::size_t first_end = content.find("</w:p>") + 6;
      content.insert(first_end, deleted_paragraph());
    }
    return with_sdt_content(sdt, content);
  });
  // An X typed into an empty box and deleted again.
  out = rewrite(out, "w:sdt", [](std::string_view sdt, std::size_t) {
    if (!is_checkbox(sdt) || is_ticked(sdt)) return std::string(sdt);
    return std::string(sdt) + deleted_run("X");
  });
  // Labels: "Offi" + deleted "ZZZ " + inserted "cer name".
  return rewrite(out, "w:tc", [](std::string_view cell, std::size_t) {
    if (contains(cell, "<w:sdt>")) return std::string(cell);
    return rewrite(cell, "w:r", [](std::string_view r, std::size_t) {
      const auto parts = simple_run(r);
      if (!parts) return std::string(r);
      const auto& [rpr, text] = *parts;
      const auto units = text_units(text);
      if (units.size() < 2) return std::string(r);
      std::string head;
      std::string tail;
      for (std::size_t i = 0; i < units.size(); ++i) (i < units.size() / 2 ? head : tail) += units[i];
      return run(head, rpr) + deleted_run("ZZZ ", rpr) + inserted(run(tail, rpr));
    });
  });
}

// Tracked moves: text moved away (w:moveFrom, still written with w:t) does not
// count; text moved here (w:moveTo) does.
std::string track_moves(std::string_view xml) {
  int move = 0;
  const auto moved_away = [&](std::string_view text) {
    const std::string name = "move" + std::to_string(++move);
    const std::string range = std::to_string(8000 + move);
    return R"(<w:moveFromRangeStart w:id=")" + range +
           R"(" w:author="Reviewer" w:date="2026-02-02T10:00:00Z" w:name=")" + name + R"("/><w:moveFrom)" +
           revision_attributes() + ">" + run(text) + R"(</w:moveFrom><w:moveFromRangeEnd w:id=")" + range + R"("/>)";
  };
  const auto moved_here = [&](std::string_view runs) {
    const std::string name = "move" + std::to_string(++move);
    const std::string range = std::to_string(8000 + move);
    return R"(<w:moveToRangeStart w:id=")" + range + R"(" w:author="Reviewer" w:date="2026-02-02T10:00:00Z" w:name=")" +
           name + R"("/><w:moveTo)" + revision_attributes() + ">" + std::string(runs) +
           R"(</w:moveTo><w:moveToRangeEnd w:id=")" + range + R"("/>)";
  };
  return replace_text_controls(xml, [&](std::string_view sdt) {
    const bool block = is_block_level(sdt);
    if (shows_placeholder(sdt)) {
      const std::string away = moved_away(is_date_control(sdt) ? "01/01/2026" : "Text moved elsewhere");
      return erase_all(with_sdt_content(sdt, block ? "<w:p>" + away + "</w:p>" : away), "<w:showingPlcHdr/>");
    }
    if (block) {
      return with_sdt_content(sdt, rewrite(sdt_content(sdt), "w:r", [&](std::string_view r, std::size_t) {
                                return moved_away("MOVED ") + moved_here(r);
                              }));
    }
    return with_sdt_content(sdt, moved_away("MOVED ") + moved_here(sdt_content(sdt)));
  });
}

std::string comment_reference(int id) {
  return R"(<w:commentRangeEnd w:id=")" + std::to_string(id) +
         R"("/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id=")" +
         std::to_string(id) + R"("/></w:r>)";
}

void add_comments(ZipEntries& zip) {
  int next = 0;
  std::vector<int> ids;
  std::string& xml = document(zip);
  // Comments on filled values (around run-level controls) ...
  xml = replace_text_controls(xml, [&](std::string_view sdt) {
    if (shows_placeholder(sdt) || is_block_level(sdt)) return std::string(sdt);
    const int id = next++;
    ids.push_back(id);
    return R"(<w:commentRangeStart w:id=")" + std::to_string(id) + R"("/>)" + std::string(sdt) + comment_reference(id);
  });
  // ... and on label cells.
  xml = rewrite(xml, "w:tc", [&](std::string_view cell, std::size_t) {
    if (contains(cell, "<w:sdt>")) return std::string(cell);
    return rewrite(cell, "w:p", [&](std::string_view p, std::size_t) {
      if (p.ends_with("/>") || plain_text(p).empty()) return std::string(p);
      const int id = next++;
      ids.push_back(id);
      std::string out(p);
      const std::size_t body = contains(out, "</w:pPr>") ? out.find("</w:pPr>") + 8 : out.find('>') + 1;
      out.insert(body, R"(<w:commentRangeStart w:id=")" + std::to_string(id) + R"("/>)");
      out.insert(out.rfind("</w:p>"), comment_reference(id));
      return out;
    });
  });
  std::string comments = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments )" +
                         std::string(test::document_namespaces()) + ">";
  for (const int id : ids) {
    comments += R"(<w:comment w:id=")" + std::to_string(id) +
                R"(" w:author="Reviewer" w:date="2026-02-02T10:00:00Z" w:initials="R"><w:p><w:r>)"
                R"(<w:annotationRef/></w:r><w:r><w:t>COMMENT: please check this with the team</w:t></w:r></w:p>)"
                R"(</w:comment>)";
  }
  comments += "</w:comments>";
  zip["word/comments.xml"] = comments;
  std::string& rels = zip.at("word/_rels/document.xml.rels");
  rels.insert(rels.rfind("</Relationships>"),
              R"(<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/)"
              R"(relationships/comments" Target="comments.xml"/>)");
  std::string& types = zip.at("[Content_Types].xml");
  types.insert(types.rfind("</Types>"), R"(<Override PartName="/word/comments.xml" ContentType="application/)"
                                        R"(vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>)");
}

// ---------------------------------------------------------------------------
// j. Hyperlinked e-mail addresses.

enum class Link { element_in_control, element, field, simple_field };

std::string hyperlink_element(std::string_view id, std::string_view address) {
  return R"(<w:hyperlink r:id=")" + std::string(id) + R"(" w:history="1">)" +
         run(escape(address), R"(<w:rStyle w:val="Hyperlink"/>)") + "</w:hyperlink>";
}

std::string hyperlink_field(std::string_view address) {
  return R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r>)"
         R"(<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:)" +
         escape(address) + R"(" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>)" +
         run(escape(address), R"(<w:rStyle w:val="Hyperlink"/>)") + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)";
}

void link_email_addresses(ZipEntries& zip, Link how) {
  int links = 0;
  std::vector<std::pair<std::string, std::string>> relationships;
  document(zip) = rewrite(document(zip), "w:tr", [&](std::string_view row, std::size_t) {
    const auto cells = elements(row, "w:tc");
    if (cells.size() != 2 || plain_text(cells[0]) != "Officer email") return std::string(row);
    return rewrite(row, "w:sdt", [&](std::string_view sdt, std::size_t) {
      if (shows_placeholder(sdt)) return std::string(sdt);
      const std::string address = plain_text(sdt);
      const std::string id = "rIdMail" + std::to_string(++links);
      relationships.emplace_back(id, "mailto:" + address);
      switch (how) {
        case Link::element_in_control:
          return erase_all(with_sdt_content(sdt, hyperlink_element(id, address)), "<w:text/>");
        case Link::element: return hyperlink_element(id, address);
        case Link::field: return hyperlink_field(address);
        case Link::simple_field:
          return R"(<w:fldSimple w:instr=" HYPERLINK &quot;mailto:)" + escape(address) + R"(&quot; ">)" +
                 run(escape(address), R"(<w:rStyle w:val="Hyperlink"/>)") + "</w:fldSimple>";
      }
      return std::string(sdt);
    });
  });
  if (links == 0) throw std::runtime_error("no filled Officer email cell to link");
  for (const auto& [id, target] : relationships) add_external_relationship(zip, id, target);
}

// ---------------------------------------------------------------------------
// k. Extra, duplicated and merged rows.

std::string empty_row_like(std::string_view row) {
  std::string out = "<w:tr>";
  for (const auto cell : elements(row, "w:tc")) {
    const std::size_t open = cell.find("<w:tcPr>");
    const std::size_t close = cell.find("</w:tcPr>");
    out += "<w:tc>";
    if (open != kNpos) out += std::string(cell.substr(open, close + 9 - open));
    out += "<w:p/></w:tc>";
  }
  return out + "</w:tr>";
}

std::string insert_empty_rows(std::string_view xml) {
  return rewrite(xml, "w:tbl", [](std::string_view table, std::size_t) {
    const auto rows = elements(table, "w:tr");
    return rewrite(table, "w:tr", [&](std::string_view row, std::size_t i) {
      const bool several_cells = elements(row, "w:tc").size() >= 2;
      const bool value_row_follows = i + 1 < rows.size() && elements(rows[i + 1], "w:tc").size() == 1;
      // An empty row between a spanning label row and its value row would change the form's meaning.
      if (!several_cells || value_row_follows) return std::string(row);
      return std::string(row) + empty_row_like(row);
    });
  });
}

std::string with_row_property(std::string_view row, std::string_view property) {
  std::string out(row);
  if (contains(out, "<w:trPr>")) {
    out.insert(out.find("<w:trPr>") + 8, property);
  } else {
    out.insert(out.find('>') + 1, "<w:trPr>" + std::string(property) + "</w:trPr>");
  }
  return out;
}

std::string duplicate_header_rows(std::string_view xml) {
  int duplicated = 0;
  std::string out = rewrite(xml, "w:tbl", [&](std::string_view table, std::size_t) {
    const auto rows = elements(table, "w:tr");
    const std::string first = plain_text(rows.front());
    if (!first.starts_with("Please specify") && !first.starts_with("I confirm no personal data")) {
      return std::string(table);
    }
    ++duplicated;
    return rewrite(table, "w:tr", [](std::string_view row, std::size_t i) {
      if (i != 0) return std::string(row);
      const std::string header = with_row_property(row, "<w:tblHeader/>");
      return header + header;
    });
  });
  if (duplicated == 0) throw std::runtime_error("no header rows found");
  return out;
}

std::string with_cell_property(std::string_view cell, std::string_view property) {
  std::string out(cell);
  const std::size_t width = out.find("<w:tcW");
  out.insert(out.find("/>", width) + 2, property);
  return out;
}

std::string merge_cells(std::string_view xml) {
  // "Officer name" spans two rows (vMerge); the row it spans into is empty.
  std::string out = rewrite(xml, "w:tr", [](std::string_view row, std::size_t) {
    const auto cells = elements(row, "w:tc");
    if (cells.size() != 2 || plain_text(cells[0]) != "Officer name") return std::string(row);
    std::string merged = rewrite(row, "w:tc", [](std::string_view cell, std::size_t i) {
      return i == 0 ? with_cell_property(cell, R"(<w:vMerge w:val="restart"/>)") : std::string(cell);
    });
    std::string continuation = rewrite(empty_row_like(row), "w:tc", [](std::string_view cell, std::size_t i) {
      return i == 0 ? with_cell_property(cell, "<w:vMerge/>") : std::string(cell);
    });
    return merged + continuation;
  });
  // The circulation table's label column becomes two grid columns, merged (gridSpan).
  return rewrite(out, "w:tbl", [](std::string_view table, std::size_t) {
    if (!plain_text(elements(table, "w:tr").front()).starts_with("Please specify")) return std::string(table);
    std::string changed = rewrite(table, "w:gridCol", [](std::string_view col, std::size_t i) {
      return i == 0 ? std::string(R"(<w:gridCol w:w="1000"/><w:gridCol w:w="2838"/>)") : std::string(col);
    });
    return rewrite(changed, "w:tr", [](std::string_view row, std::size_t) {
      return rewrite(row, "w:tc", [](std::string_view cell, std::size_t i) {
        return i == 0 ? with_cell_property(cell, R"(<w:gridSpan w:val="2"/>)") : std::string(cell);
      });
    });
  });
}

// ---------------------------------------------------------------------------
// l. Dates.

struct Ymd {
  int year;
  int month;
  int day;
};

Ymd full_date(std::string_view sdt) {
  const std::size_t at = sdt.find(R"(w:fullDate=")");
  const std::string_view iso = sdt.substr(at + 12, 10);
  return {std::stoi(std::string(iso.substr(0, 4))), std::stoi(std::string(iso.substr(5, 2))),
          std::stoi(std::string(iso.substr(8, 2)))};
}

constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string ordinal(int day) {
  const int last = day % 10;
  const char* suffix = (day / 10 == 1) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
  return std::to_string(day) + suffix;
}

using DateFormat = std::function<std::string(const Ymd&)>;

std::string dmy(const Ymd& d, char separator) {
  return two_digits(d.day) + separator + two_digits(d.month) + separator + std::to_string(d.year);
}

// Date controls keep their value, but show it in another format.
std::string redisplay_dates(std::string_view xml, std::string_view word_format, const DateFormat& shown) {
  int changed = 0;
  std::string out = replace_text_controls(xml, [&](std::string_view sdt) {
    if (!is_date_control(sdt) || !contains(sdt, "w:fullDate=")) return std::string(sdt);
    ++changed;
    std::string control(sdt);
    const std::size_t format = control.find(R"(<w:dateFormat w:val=")") + 21;
    control.replace(format, control.find('"', format) - format, word_format);
    return with_sdt_content(control, run(shown(full_date(sdt))));
  });
  if (changed == 0) throw std::runtime_error("no filled date control");
  return out;
}

// Date controls replaced by the date typed as plain text.
std::string type_dates(std::string_view xml, const DateFormat& typed) {
  int changed = 0;
  std::string out = replace_text_controls(xml, [&](std::string_view sdt) {
    if (!is_date_control(sdt)) return std::string(sdt);
    if (!contains(sdt, "w:fullDate=")) return std::string();
    ++changed;
    return run(typed(full_date(sdt)));
  });
  if (changed == 0) throw std::runtime_error("no filled date control");
  return out;
}

// ---------------------------------------------------------------------------
// m. Several settings in section 5.

struct SettingValues {
  std::string name;
  std::string ofsted_urn;
  std::string cqc_urn;
};

// The three rows of section 5, filled with these values as plain text.
std::string setting_rows(std::string_view table, const SettingValues& values) {
  const std::array<std::string, 3> texts = {values.name, values.ofsted_urn, values.cqc_urn};
  std::string rows;
  std::size_t i = 0;
  for (const auto row : elements(table, "w:tr")) {
    rows += rewrite(row, "w:sdt", [&](std::string_view, std::size_t) {
      return texts.at(i).empty() ? std::string() : run(escape(texts.at(i)));
    });
    ++i;
  }
  if (i != 3) throw std::runtime_error("section 5 has " + std::to_string(i) + " rows, not 3");
  return rows;
}

void add_setting(ZipEntries& zip, const SettingValues& values, bool as_second_table) {
  int found = 0;
  document(zip) = rewrite(document(zip), "w:tbl", [&](std::string_view table, std::size_t) {
    if (!plain_text(table).starts_with("Name of setting or school")) return std::string(table);
    ++found;
    std::string out(table);
    if (as_second_table) {
      // Word needs a paragraph between two tables, or it would join them.
      const std::size_t first_row = out.find("<w:tr>");
      out += "<w:p/>" + out.substr(0, first_row) + setting_rows(table, values) + "</w:tbl>";
    } else {
      out.insert(out.rfind("</w:tbl>"), setting_rows(table, values));
    }
    return out;
  });
  if (found != 1) throw std::runtime_error("section 5 table not found");
}

// Section 5's rows in a repeating-section content control, one item per setting.
void add_setting_as_repeating_item(ZipEntries& zip, const SettingValues& values) {
  int found = 0;
  document(zip) = rewrite(document(zip), "w:tbl", [&](std::string_view table, std::size_t) {
    if (!plain_text(table).starts_with("Name of setting or school")) return std::string(table);
    ++found;
    const std::size_t first_row = table.find("<w:tr>");
    const std::size_t rows_end = table.rfind("</w:tbl>");
    const std::string first =
        block_content_control(table.substr(first_row, rows_end - first_row), 9101, "<w15:repeatingSectionItem/>");
    const std::string second = block_content_control(setting_rows(table, values), 9102, "<w15:repeatingSectionItem/>");
    return std::string(table.substr(0, first_row)) +
           block_content_control(first + second, 9100, "<w15:repeatingSection/>") + "</w:tbl>";
  });
  if (found != 1) throw std::runtime_error("section 5 table not found");
}

json setting_json(const SettingValues& values) {
  const auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return json{{"name", text(values.name)}, {"ofsted_urn", text(values.ofsted_urn)}, {"cqc_urn", text(values.cqc_urn)}};
}

// ---------------------------------------------------------------------------
// More of what real editors write: revision ids, smart tags, wrappers, legacy text fields.

// Word stamps rsid attributes and paraIds on paragraphs, runs and rows, and
// leaves empty marker elements (last rendered page breaks, proofing marks, _GoBack).
std::string add_word_noise(std::string xml) {
  xml = replace_all(std::move(xml), R"(<w:r><w:t xml:space="preserve">)",
                    R"(<w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve">)");
  xml = replace_all(std::move(xml), "<w:p>",
                    R"(<w:p w14:paraId="1A2B3C4D" w14:textId="77777777" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">)"
                    R"(<w:proofErr w:type="gramStart"/>)");
  xml = replace_all(std::move(xml), "<w:r>", R"(<w:r w:rsidRPr="00D4E5F6">)");
  xml =
      replace_all(std::move(xml), "<w:tr>", R"(<w:tr w:rsidR="00A1B2C3" w14:paraId="5E6F7A8B" w14:textId="77777777">)");
  const std::size_t body = xml.find("<w:body>") + 8;
  xml.insert(body, R"(<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>)");
  return xml;
}

// Filled values wrapped in smart tags (run-level controls) or custom XML (block-level ones).
std::string wrap_values_in_smart_tags(std::string_view xml) {
  return replace_text_controls(xml, [](std::string_view sdt) {
    if (shows_placeholder(sdt)) return std::string(sdt);
    if (!is_block_level(sdt)) {
      return with_sdt_content(sdt, R"(<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" )"
                                   R"(w:element="PersonName">)" +
                                       std::string(sdt_content(sdt)) + "</w:smartTag>");
    }
    return with_sdt_content(sdt, rewrite(sdt_content(sdt), "w:p", [](std::string_view p, std::size_t) {
                              const std::size_t first_run = find_open(p, "w:r", 0);
                              const std::size_t close = p.rfind("</w:p>");
                              if (first_run == kNpos) return std::string(p);
                              return std::string(p.substr(0, first_run)) +
                                     R"(<w:customXml w:uri="http://example.org/edrms" w:element="value">)" +
                                     std::string(p.substr(first_run, close - first_run)) + "</w:customXml></w:p>";
                            }));
  });
}

// A legacy text form field (FORMTEXT) showing `result` (runs).
std::string form_text(std::string_view result, bool date) {
  static int number = 0;
  const std::string name = "Text" + std::to_string(++number);
  const std::string input =
      date ? R"(<w:textInput><w:type w:val="date"/><w:format w:val="dd/MM/yyyy"/></w:textInput>)" : "<w:textInput/>";
  return R"(<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val=")" + name +
         R"("/><w:enabled/><w:calcOnExit w:val="0"/>)" + input +
         R"(</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>)"
         R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r>)" +
         std::string(result) + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)";
}

// Five en spaces: what Word shows in a legacy text field nobody has filled.
constexpr std::string_view kEmptyFormText = "\u2002\u2002\u2002\u2002\u2002";

// A form made with legacy form fields throughout: FORMTEXT for values, FORMCHECKBOX for boxes.
std::string use_legacy_form_fields(std::string_view xml) {
  std::string out = replace_text_controls(xml, [](std::string_view sdt) {
    const bool date = is_date_control(sdt);
    if (is_block_level(sdt)) {
      if (shows_placeholder(sdt)) return "<w:p>" + form_text(run(kEmptyFormText), false) + "</w:p>";
      return std::string(sdt_content(sdt));
    }
    if (shows_placeholder(sdt)) return form_text(run(kEmptyFormText), date);
    return form_text(sdt_content(sdt), date);
  });
  return replace_checkboxes(out, [](bool on) {
    return form_checkbox(on ? R"(<w:default w:val="0"/><w:checked/>)" : R"(<w:default w:val="0"/>)");
  });
}

// ---------------------------------------------------------------------------
// "Other (please specify)": the box beside "Other" ticked and the row below filled.

struct OtherSpecified {
  std::string first_label;  // the first label of the section's table
  std::string text;
  std::string list;   // the JSON list that gains "other"
  std::string field;  // the JSON field that holds the text
};

const std::vector<OtherSpecified> kOthers = {
    {"Residential", "Therapeutic day provision", "service_types", "service_type_other"},
    {"Safeguarding", "Concerns about the use of restraint (allegation, under investigation)", "concerns",
     "concern_other"},
    {"Police investigation initiated", "Information sharing meeting with other authorities", "actions", "action_other"},
    {"Temporary suspension of purchasing arrangements", "Spot purchasing paused pending review", "contractual_actions",
     "contractual_action_other"},
};

std::string specify_others(std::string_view xml) {
  int done = 0;
  std::string out = rewrite(xml, "w:tbl", [&](std::string_view table, std::size_t) {
    const auto rows = elements(table, "w:tr");
    const std::string first_label = plain_text(elements(rows.front(), "w:tc").front());
    const auto other = std::find_if(kOthers.begin(), kOthers.end(),
                                    [&](const OtherSpecified& o) { return o.first_label == first_label; });
    if (other == kOthers.end()) return std::string(table);
    ++done;
    return rewrite(table, "w:tr", [&](std::string_view row, std::size_t i) {
      if (i + 1 == rows.size()) {
        // The spanning row under the tick list: its control gets the text.
        return rewrite(row, "w:sdt", [&](std::string_view sdt, std::size_t) {
          return erase_all(with_sdt_content(sdt, "<w:p>" + run(escape(other->text)) + "</w:p>"), "<w:showingPlcHdr/>");
        });
      }
      const auto cells = elements(row, "w:tc");
      return rewrite(row, "w:tc", [&](std::string_view cell, std::size_t c) {
        if (c == 0 || !plain_text(cells[c - 1]).starts_with("Other")) return std::string(cell);
        std::string ticked =
            replace_all(std::string(cell), R"(<w14:checked w14:val="0"/>)", R"(<w14:checked w14:val="1"/>)");
        return replace_all(ticked, ">☐<", ">☒<");
      });
    });
  });
  if (done != static_cast<int>(kOthers.size())) throw std::runtime_error("not every Other row was found");
  return out;
}

// Word's "Strict Open XML Document": the same markup under ISO/IEC 29500 Strict namespaces.
void use_strict_namespaces(ZipEntries& zip) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kStrict = {{
      {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
       "http://purl.oclc.org/ooxml/wordprocessingml/main"},
      {"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "http://purl.oclc.org/ooxml/officeDocument/relationships"},
  }};
  for (auto& [name, part] : zip) {
    if (name == "[Content_Types].xml" || name.starts_with("docProps/")) continue;
    for (const auto& [transitional, strict] : kStrict) {
      for (std::size_t p = part.find(transitional); p != kNpos; p = part.find(transitional, p + strict.size())) {
        part.replace(p, transitional.size(), strict);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The fill styles.

struct FillStyle {
  std::string name;
  std::function<void(ZipEntries&)> apply;
  std::vector<std::string> must_contain = {};      // proof the rewrite happened
  std::vector<std::string> must_not_contain = {};  // proof the old way is gone
  std::function<void(json&)> expect = {};          // how the expected JSON changes, if it does
};

void PrintTo(const FillStyle& style, std::ostream* os) { *os << style.name; }

FillStyle checkbox_style(std::string name, std::string ticked, std::string unticked,
                         std::vector<std::string> must_contain) {
  return {std::move(name),
          [ticked, unticked](ZipEntries& zip) {
            document(zip) = replace_checkboxes(document(zip), [&](bool on) { return on ? ticked : unticked; });
          },
          std::move(must_contain),
          {"<w14:checkbox>"}};
}

std::string glyph(std::string_view text, std::string_view font = "Segoe UI Symbol") {
  const std::string f(font);
  return run(text, R"(<w:rFonts w:ascii=")" + f + R"(" w:eastAsia=")" + f + R"(" w:hAnsi=")" + f + R"("/>)");
}

std::string symbol(std::string_view font, std::string_view code) {
  return R"(<w:r><w:sym w:font=")" + std::string(font) + R"(" w:char=")" + std::string(code) + R"("/></w:r>)";
}

FillStyle label_style(std::string name, std::vector<std::pair<std::string, std::string>> changes) {
  return {std::move(name), [changes = std::move(changes)](ZipEntries& zip) {
            for (const auto& [from, to] : changes) {
              document(zip) = replace_all(document(zip), ">" + from + "</w:t>", ">" + to + "</w:t>");
            }
          }};
}

FillStyle typed_date_style(std::string name, DateFormat format) {
  return {std::move(name),
          [format = std::move(format)](ZipEntries& zip) { document(zip) = type_dates(document(zip), format); },
          {},
          {"<w:date "}};
}

std::vector<FillStyle> fill_styles() {
  std::vector<FillStyle> styles;

  // a. Legacy form fields.
  styles.push_back(checkbox_style("legacy_formcheckbox_checked_element",
                                  form_checkbox(R"(<w:default w:val="0"/><w:checked/>)"),
                                  form_checkbox(R"(<w:default w:val="0"/>)"), {"FORMCHECKBOX", "<w:checked/>"}));
  styles.push_back(checkbox_style("legacy_formcheckbox_default_on", form_checkbox(R"(<w:default w:val="1"/>)"),
                                  form_checkbox(R"(<w:default w:val="0"/>)"), {R"(<w:default w:val="1"/>)"}));
  // Word writes w:checked w:val="0" when a box that defaults to ticked is cleared.
  styles.push_back(checkbox_style(
      "legacy_formcheckbox_checked_overrides_default", form_checkbox(R"(<w:default w:val="0"/><w:checked w:val="1"/>)"),
      form_checkbox(R"(<w:default w:val="1"/><w:checked w:val="0"/>)"), {R"(<w:checked w:val="0"/>)"}));

  // b. Typed glyphs.
  const std::array<std::tuple<const char*, const char*, const char*>, 8> glyphs = {{
      {"glyph_ballot_box_with_x", "☒", "☐"},
      {"glyph_ballot_box_with_check", "☑", "☐"},
      {"glyph_check_mark", "✓", ""},
      {"glyph_heavy_check_mark", "✔", "☐"},
      {"glyph_ballot_x", "✗", ""},
      {"glyph_heavy_ballot_x", "✘", "☐"},
      {"glyph_capital_x", "X", ""},
      {"glyph_small_x", "x", "☐"},
  }};
  for (const auto& [name, on, off] : glyphs) {
    const std::string off_run = *off == '\0' ? std::string() : glyph(off);
    styles.push_back(checkbox_style(name, glyph(on), off_run, {glyph(on)}));
  }

  // c. Symbol fonts.
  styles.push_back(checkbox_style("wingdings_symbol_F0FE_F0A8", symbol("Wingdings", "F0FE"),
                                  symbol("Wingdings", "F0A8"), {"<w:sym "}));
  styles.push_back(checkbox_style("wingdings_symbol_F0FE_F06F", symbol("Wingdings", "F0FE"),
                                  symbol("Wingdings", "F06F"), {"<w:sym "}));
  styles.push_back(checkbox_style("wingdings2_symbol_F053_F0A3", symbol("Wingdings 2", "F053"),
                                  symbol("Wingdings 2", "F0A3"), {"<w:sym "}));
  styles.push_back(
      checkbox_style("wingdings_text_thorn", glyph("þ", "Wingdings"), glyph("¨", "Wingdings"), {"Wingdings"}));
  styles.push_back(
      checkbox_style("wingdings_text_y_acute", glyph("ý", "Wingdings"), glyph("o", "Wingdings"), {"Wingdings"}));

  // d. Words in the box's cell.
  const std::array<std::tuple<const char*, const char*, const char*>, 4> words = {{
      {"words_yes_no", "Yes", "No"},
      {"words_y_na", "Y", "N/A"},
      {"words_ticked_dash", "Ticked", "-"},
      {"words_x_empty", "x", ""},
  }};
  for (const auto& [name, on, off] : words) {
    styles.push_back(checkbox_style(name, run(escape(on)), *off == '\0' ? std::string() : run(escape(off)), {}));
  }

  // e. A tick typed into the label's cell.
  for (const auto& [name, mark] : std::array<std::pair<const char*, const char*>, 3>{
           {{"label_cell_tick_x", " X"}, {"label_cell_tick_ballot", " ☒"}, {"label_cell_tick_dash_yes", " - yes"}}}) {
    styles.push_back(
        {name, [m = std::string(mark)](ZipEntries& zip) { document(zip) = tick_in_label_cell(document(zip), m); }});
  }

  styles.push_back({"label_cell_tick_ballot_before_text", [](ZipEntries& zip) {
                      document(zip) = tick_in_label_cell(document(zip), "☒ ", InLabel::mark_before_text);
                    }});
  styles.push_back({"label_cell_ballots_before_every_label", [](ZipEntries& zip) {
                      document(zip) = tick_in_label_cell(document(zip), "☒ ", InLabel::mark_before_text, "☐ ");
                    }});
  styles.push_back({"label_cell_ballots_after_every_label", [](ZipEntries& zip) {
                      document(zip) = tick_in_label_cell(document(zip), " ☒", InLabel::mark_after_text, " ☐");
                    }});
  styles.push_back(
      {"label_cell_holds_the_control",
       [](ZipEntries& zip) { document(zip) = tick_in_label_cell(document(zip), "", InLabel::control_before_text); },
       {"<w14:checkbox>"}});
  styles.push_back({"one_tick_per_row", [](ZipEntries& zip) { document(zip) = one_tick_per_row(document(zip)); }});

  // f. Placeholders.
  styles.push_back({"placeholders_emptied",
                    [](ZipEntries& zip) {
                      document(zip) = replace_text_controls(document(zip), [](std::string_view sdt) {
                        if (!shows_placeholder(sdt)) return std::string(sdt);
                        std::string s = erase_all(std::string(sdt), "<w:showingPlcHdr/>");
                        s = erase_all(s, R"(<w:rStyle w:val="PlaceholderText"/>)");
                        s = erase_all(s, "Click or tap here to enter text.");
                        return erase_all(s, "Click or tap to enter a date.");
                      });
                    },
                    {},
                    {"<w:showingPlcHdr/>", "Click or tap"}});
  styles.push_back({"placeholders_without_flag",
                    [](ZipEntries& zip) { document(zip) = erase_all(document(zip), "<w:showingPlcHdr/>"); },
                    {"Click or tap here to enter text."},
                    {"<w:showingPlcHdr/>"}});
  styles.push_back({"placeholders_without_flag_or_style",
                    [](ZipEntries& zip) {
                      document(zip) = erase_all(document(zip), "<w:showingPlcHdr/>");
                      document(zip) = erase_all(document(zip), R"(<w:rStyle w:val="PlaceholderText"/>)");
                    },
                    {"Click or tap here to enter text."},
                    {"<w:showingPlcHdr/>", "PlaceholderText"}});

  styles.push_back({"placeholders_with_custom_text",
                    [](ZipEntries& zip) {
                      document(zip) = replace_text_controls(document(zip), [](std::string_view sdt) {
                        if (!shows_placeholder(sdt)) return std::string(sdt);
                        std::string s = erase_all(std::string(sdt), "Click or tap here to enter text.");
                        s = erase_all(s, "Click or tap to enter a date.");
                        s = erase_all(s, R"(<w:rStyle w:val="PlaceholderText"/>)");
                        const std::size_t text = s.find("</w:t>");
                        return s.insert(text, is_date_control(sdt) ? "Enter a date" : "Enter details here");
                      });
                    },
                    {"Enter details here"},
                    {"Click or tap"}});

  // g. Controls removed, runs split.
  styles.push_back({"text_controls_removed",
                    [](ZipEntries& zip) { document(zip) = remove_text_controls(document(zip), false); },
                    {},
                    {"<w:text/>", "<w:date ", "Click or tap"}});
  styles.push_back({"text_controls_removed_placeholder_text_left",
                    [](ZipEntries& zip) { document(zip) = remove_text_controls(document(zip), true); },
                    {"Click or tap here to enter text."},
                    {"<w:text/>", "<w:date ", "<w:showingPlcHdr/>"}});
  styles.push_back({"runs_split_by_word",
                    [](ZipEntries& zip) { document(zip) = split_runs(document(zip), Split::by_word); },
                    {">Officer </w:t>"}});
  styles.push_back({"runs_split_in_fragments",
                    [](ZipEntries& zip) { document(zip) = split_runs(document(zip), Split::in_fragments); },
                    {">Offi</w:t>", ">cer </w:t>", ">name</w:t>"}});
  styles.push_back({"runs_split_by_character",
                    [](ZipEntries& zip) { document(zip) = split_runs(document(zip), Split::by_character); },
                    {">O</w:t>"},
                    {">Officer name</w:t>"}});
  styles.push_back({"text_controls_removed_and_runs_split",
                    [](ZipEntries& zip) {
                      document(zip) = split_runs(remove_text_controls(document(zip), false), Split::in_fragments);
                    },
                    {},
                    {"<w:text/>", ">Officer name</w:t>"}});

  // h. Labels reworded a little.
  styles.push_back(
      label_style("labels_case_and_colons",
                  {{"Agency issuing ISP", "AGENCY ISSUING ISP:"},
                   {"Officer name", "officer name:"},
                   {"Officer email", "Officer Email:"},
                   {"Officer telephone number", "OFFICER TELEPHONE NUMBER"},
                   {"Date ISP issued to the provider", "date ISP issued to the provider:"},
                   {"Date ISP sent for circulation", "Date ISP Sent For Circulation:"},
                   {"Organisation Name", "ORGANISATION NAME:"},
                   {"Company number", "Company Number:"},
                   {"Host Authority for setting or head office", "host authority for setting or head office"},
                   {"Residential", "RESIDENTIAL"},
                   {"Safeguarding", "safeguarding:"},
                   {"LADO", "Lado:"},
                   {"Yes", "YES:"},
                   {"2. Issuing Agency", "2. ISSUING AGENCY"},
                   {"5. Information about the setting(s)", "5. information about the setting(s):"}}));
  styles.push_back(label_style(
      "labels_reworded", {{"Officer email", "Officer e-mail"},
                          {"Officer telephone number", "Officer Telephone"},
                          {"Childrens Services via commissioning and placement teams",
                           "Children's Services via commissioning &amp; placement teams"},
                          {"Adult’s services via commissioning teams", "Adult's services via commissioning teams"},
                          {"Action or Improvement Plan", "Action &amp; Improvement Plan"},
                          {"Associated company name(s) or number(s)", "Associated company name(s) &amp; number(s)"},
                          {"Has any regulator been informed about these concerns? (please specify which)",
                           "Has any regulator been informed about these concerns?"}}));
  styles.push_back(
      label_style("labels_spacing_and_if_applicable",
                  {{"Previous company name (if applicable)", "Previous company name"},
                   {"Provider Ofsted URN (if applicable)", "Provider Ofsted URN"},
                   {"Name of setting or school (if applicable)", "Name of setting or school"},
                   {"Ofsted URN (if applicable)", "Ofsted URN"},
                   {"CQC URN (if applicable)", "CQC URN"},
                   {"Date ISP to be reviewed by the issuing agency (max 3 months)",
                    "Date ISP to be reviewed by the issuing agency"},
                   {"Agency issuing ISP", "  Agency   issuing  ISP "},
                   {"Officer name", R"(Officer</w:t><w:tab/><w:t xml:space="preserve">name)"},
                   {"Company number", "Company  number "},
                   {"Host Authority for setting or head office", " Host Authority for setting or  head office"},
                   {"Date ISP sent for circulation", "Date ISP sent for  circulation"},
                   {"Date ISP issued to the provider", "Date ISP issued to the\u00A0provider"},
                   {"Organisation Name", "Organisation\u00A0Name"}}));

  styles.push_back(label_style("labels_with_required_marks", {{"Agency issuing ISP", "Agency issuing ISP *"},
                                                              {"Officer name", "Officer name*"},
                                                              {"Officer email", "Officer email *"},
                                                              {"Organisation Name", "Organisation Name*"},
                                                              {"Company number", "Company number *"}}));

  // i. Tracked changes and comments.
  styles.push_back({"tracked_changes",
                    [](ZipEntries& zip) { document(zip) = track_changes(document(zip)); },
                    {"<w:ins ", "<w:del ", "<w:delText"}});
  styles.push_back({"tracked_moves",
                    [](ZipEntries& zip) { document(zip) = track_moves(document(zip)); },
                    {"<w:moveFrom ", "<w:moveTo "}});
  styles.push_back({"comments", add_comments, {"<w:commentRangeStart", "<w:commentReference"}});

  // j. Hyperlinked e-mail addresses.
  styles.push_back({"email_hyperlink_in_control",
                    [](ZipEntries& zip) { link_email_addresses(zip, Link::element_in_control); },
                    {"<w:hyperlink "}});
  styles.push_back({"email_hyperlink_element",
                    [](ZipEntries& zip) { link_email_addresses(zip, Link::element); },
                    {"<w:hyperlink "}});
  styles.push_back({"email_hyperlink_field",
                    [](ZipEntries& zip) { link_email_addresses(zip, Link::field); },
                    {"HYPERLINK \"mailto:"}});
  styles.push_back({"email_hyperlink_simple_field",
                    [](ZipEntries& zip) { link_email_addresses(zip, Link::simple_field); },
                    {"<w:fldSimple "}});

  // Content-control boxes written as ST_OnOff "true", or with no w14:checked at all.
  styles.push_back({"checkbox_controls_true_or_absent",
                    [](ZipEntries& zip) {
                      document(zip) = replace_all(document(zip), R"(<w14:checked w14:val="1"/>)",
                                                  R"(<w14:checked w14:val="true"/>)");
                      document(zip) = replace_all(document(zip), R"(<w14:checked w14:val="0"/>)", "");
                    },
                    {R"(w14:val="true")"},
                    {R"(<w14:checked w14:val="0"/>)"}});
  styles.push_back({"legacy_form_fields_throughout",
                    [](ZipEntries& zip) { document(zip) = use_legacy_form_fields(document(zip)); },
                    {"FORMTEXT", "FORMCHECKBOX"},
                    {"<w:sdt>"}});
  styles.push_back({"word_revision_ids_and_markers",
                    [](ZipEntries& zip) { document(zip) = add_word_noise(document(zip)); },
                    {"<w:lastRenderedPageBreak/>", "w:rsidR="}});
  styles.push_back({"values_in_smart_tags_and_custom_xml",
                    [](ZipEntries& zip) { document(zip) = wrap_values_in_smart_tags(document(zip)); },
                    {"<w:smartTag ", "<w:customXml "}});
  styles.push_back({"tables_in_content_controls",
                    [](ZipEntries& zip) {
                      document(zip) = rewrite(document(zip), "w:tbl", [](std::string_view table, std::size_t i) {
                        return block_content_control(table, 9000 + static_cast<int>(i),
                                                     R"(<w:lock w:val="sdtLocked"/>)");
                      });
                    },
                    {"<w:sdtContent><w:tbl>"}});
  styles.push_back({"cells_in_content_controls",
                    [](ZipEntries& zip) {
                      int id = 9500;
                      document(zip) = rewrite(document(zip), "w:tr", [&](std::string_view row, std::size_t) {
                        return rewrite(row, "w:tc", [&](std::string_view cell, std::size_t i) {
                          return i % 2 == 1 ? block_content_control(cell, id++) : std::string(cell);
                        });
                      });
                    },
                    {"<w:sdtContent><w:tc>"}});

  styles.push_back({"strict_open_xml",
                    use_strict_namespaces,
                    {"http://purl.oclc.org/ooxml/wordprocessingml/main"},
                    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}});

  // k. Extra rows.
  styles.push_back({"empty_rows_inserted", [](ZipEntries& zip) { document(zip) = insert_empty_rows(document(zip)); }});
  styles.push_back(
      {"label_value_rows_reordered", [](ZipEntries& zip) { document(zip) = reverse_label_value_rows(document(zip)); }});
  styles.push_back({"header_rows_duplicated",
                    [](ZipEntries& zip) { document(zip) = duplicate_header_rows(document(zip)); },
                    {"<w:tblHeader/>"}});
  styles.push_back({"merged_cells",
                    [](ZipEntries& zip) { document(zip) = merge_cells(document(zip)); },
                    {R"(<w:vMerge w:val="restart"/>)", "<w:vMerge/>"}});
  styles.push_back({"rows_cant_split",
                    [](ZipEntries& zip) {
                      document(zip) = rewrite(document(zip), "w:tr", [](std::string_view row, std::size_t) {
                        return with_row_property(row, "<w:cantSplit/>");
                      });
                    },
                    {"<w:cantSplit/>"}});

  // l. Dates.
  styles.push_back({"date_control_shows_long_date", [](ZipEntries& zip) {
                      document(zip) = redisplay_dates(document(zip), "d MMMM yyyy", [](const Ymd& d) {
                        return std::to_string(d.day) + " " + std::string(kMonths.at(d.month - 1)) + " " +
                               std::to_string(d.year);
                      });
                    }});
  styles.push_back({"date_control_shows_dotted_short_year", [](ZipEntries& zip) {
                      document(zip) = redisplay_dates(document(zip), "dd.MM.yy", [](const Ymd& d) {
                        return two_digits(d.day) + "." + two_digits(d.month) + "." + two_digits(d.year % 100);
                      });
                    }});
  styles.push_back({"date_control_without_full_date",
                    [](ZipEntries& zip) {
                      document(zip) = rewrite(document(zip), "w:date", [](std::string_view date, std::size_t) {
                        std::string out(date);
                        const std::size_t at = out.find(R"( w:fullDate=")");
                        if (at != kNpos) out.erase(at, out.find('"', at + 13) + 1 - at);
                        return out;
                      });
                    },
                    {},
                    {"w:fullDate"}});
  styles.push_back(typed_date_style("dates_typed_dd_mm_yyyy", [](const Ymd& d) { return dmy(d, '/'); }));
  styles.push_back(typed_date_style("dates_typed_d_m_yy", [](const Ymd& d) {
    return std::to_string(d.day) + "/" + std::to_string(d.month) + "/" + two_digits(d.year % 100);
  }));
  styles.push_back(typed_date_style("dates_typed_dd_mm_yyyy_dots", [](const Ymd& d) { return dmy(d, '.'); }));
  styles.push_back(typed_date_style("dates_typed_dd_mm_yyyy_dashes", [](const Ymd& d) { return dmy(d, '-'); }));
  styles.push_back(typed_date_style("dates_typed_d_mon_yyyy", [](const Ymd& d) {
    return std::to_string(d.day) + " " + std::string(kMonths.at(d.month - 1).substr(0, 3)) + " " +
           std::to_string(d.year);
  }));
  styles.push_back(typed_date_style("dates_typed_ordinal_day_month_yyyy", [](const Ymd& d) {
    return ordinal(d.day) + " " + std::string(kMonths.at(d.month - 1)) + " " + std::to_string(d.year);
  }));
  styles.push_back(typed_date_style("dates_typed_iso", [](const Ymd& d) {
    return std::to_string(d.year) + "-" + two_digits(d.month) + "-" + two_digits(d.day);
  }));

  // m. Several settings.
  const SettingValues second{"Brookvale Cottage", "SC600123", "1-2345678901"};
  styles.push_back({"second_setting_rows",
                    [second](ZipEntries& zip) { add_setting(zip, second, false); },
                    {"Brookvale Cottage"},
                    {},
                    [second](json& expected) { expected["settings"].push_back(setting_json(second)); }});
  const SettingValues third{"Mill Lane & Annexe", "", "1-9876543210"};
  styles.push_back({"second_setting_table",
                    [third](ZipEntries& zip) { add_setting(zip, third, true); },
                    {"Mill Lane &amp; Annexe"},
                    {},
                    [third](json& expected) { expected["settings"].push_back(setting_json(third)); }});
  styles.push_back({"other_boxes_ticked_and_specified",
                    [](ZipEntries& zip) { document(zip) = specify_others(document(zip)); },
                    {"Therapeutic day provision"},
                    {},
                    [](json& expected) {
                      for (const auto& other : kOthers) {
                        expected[other.list].push_back("other");
                        expected[other.field] = other.text;
                      }
                    }});
  const SettingValues fourth{"Brookvale Lodge", "SC600124", ""};
  styles.push_back({"second_setting_repeating_section",
                    [fourth](ZipEntries& zip) { add_setting_as_repeating_item(zip, fourth); },
                    {"<w15:repeatingSectionItem/>", "Brookvale Lodge"},
                    {},
                    [fourth](json& expected) { expected["settings"].push_back(setting_json(fourth)); }});
  return styles;
}

const std::vector<FillStyle>& all_fill_styles() {
  static const std::vector<FillStyle> styles = fill_styles();
  return styles;
}

const std::vector<std::string> kExamples = {"internal-new-notification", "restricted-criminality", "rescind"};

std::string test_name_part(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '_';
  }
  return text;
}

class FillStyleTest : public ::testing::TestWithParam<std::tuple<std::string, FillStyle>> {};

TEST_P(FillStyleTest, ReadsLikeTheExample) {
  const auto& [example, style] = GetParam();
  ZipEntries zip = test::read_zip(test::read_file(test::data_path("forms/" + example + ".docx")));
  const std::string original = document(zip);
  style.apply(zip);
  const std::string& rewritten = document(zip);
  ASSERT_NE(rewritten, original) << "the style " << style.name << " changed nothing";
  for (const auto& needle : style.must_contain) {
    ASSERT_TRUE(contains(rewritten, needle)) << "the rewrite did not add " << needle;
  }
  for (const auto& needle : style.must_not_contain) {
    ASSERT_FALSE(contains(rewritten, needle)) << "the rewrite left " << needle;
  }
  json expected = expected_json(example);
  if (style.expect) style.expect(expected);

  const std::string docx = test::make_zip(zip);
  const Parsed parsed = parse_docx(docx);
  const bool ok = parsed.form.has_value() && expected == *parsed.form;
  if (!ok) keep_for_inspection(test_name_part(example) + "." + style.name, docx);
  ASSERT_TRUE(parsed.form.has_value()) << "refused: " << parsed.error;
  EXPECT_TRUE(same_json(expected, *parsed.form));
}

INSTANTIATE_TEST_SUITE_P(AllExamples, FillStyleTest,
                         ::testing::Combine(::testing::ValuesIn(kExamples), ::testing::ValuesIn(all_fill_styles())),
                         [](const ::testing::TestParamInfo<FillStyleTest::ParamType>& param_info) {
                           return test_name_part(std::get<0>(param_info.param)) + "_" +
                                  std::get<1>(param_info.param).name;
                         });

// The rewrites themselves must not drift: each example really holds the
// controls the styles replace (so a style cannot pass by matching nothing).
TEST(FillStyleRewrites, ExamplesHoldTheControlsTheStylesReplace) {
  for (const auto& example : kExamples) {
    const ZipEntries zip = test::read_zip(test::read_file(test::data_path("forms/" + example + ".docx")));
    const std::string& xml = zip.at("word/document.xml");
    int boxes = 0;
    int ticked = 0;
    int text_controls = 0;
    for (const auto sdt : elements(xml, "w:sdt")) {
      if (is_checkbox(sdt)) {
        ++boxes;
        ticked += is_ticked(sdt) ? 1 : 0;
      } else {
        ++text_controls;
      }
    }
    EXPECT_EQ(boxes, 77) << example;
    EXPECT_GE(ticked, 10) << example;
    EXPECT_EQ(text_controls, 41) << example;
  }
}

// ---------------------------------------------------------------------------
// Small hand-written documents for the awkward rules.

std::string paragraph(std::string_view escaped_text) { return "<w:p>" + run(escaped_text) + "</w:p>"; }

// A table whose cells are given as their inner XML (paragraphs).
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::string out = R"(<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>)"
                    "<w:tblGrid>";
  for (std::size_t i = 0; i < columns; ++i) out += R"(<w:gridCol w:w="2400"/>)";
  out += "</w:tblGrid>";
  for (const auto& row : rows) {
    out += "<w:tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += "<w:tc><w:tcPr>";
      if (i + 1 == row.size() && row.size() < columns) {
        out += R"(<w:gridSpan w:val=")" + std::to_string(columns - row.size() + 1) + R"("/>)";
      }
      out += "</w:tcPr>" + (row[i].empty() ? std::string("<w:p/>") : row[i]) + "</w:tc>";
    }
    out += "</w:tr>";
  }
  return out + "</w:tbl>";
}

// The 2026 form's section headings, each followed by the content given for it:
// a form reduced to its skeleton, so a test shows only what it is about.
std::string small_form(const std::map<int, std::string>& sections) {
  static const std::array<std::string_view, 21> kHeadings = {
      "1. Confidentiality",
      "2. Issuing Agency",
      "3. Circulation",
      "4. Information about the provider",
      "5. Information about the setting(s)",
      "6. Type of service",
      "7. Contractual relationship with provider:",
      "8. Type of concern(s)",
      "9. Other agencies",
      "10. Actions taken by issuing agency (select multiple if required)",
      "11. Contractual actions taken",
      "12. Please detail the actions taken to investigate the concerns, the status of these investigations and "
      "actions taken by the provider to resolve the issue identified above.",
      "13. Data minimisation (issuing authority)",
      "14. Provider response to the ISP notification",
      "15. Data minimisation (provider response)",
      "16. Details",
      "17. Outcomes",
      "18. Contractual outcomes",
      "19. Placement outcomes",
      "20. Additional Information (please include any allegations found to be unsubstantiated)",
      "21. Data minimisation (rescind notification)"};
  std::string body = paragraph("Notification under the North West Children’s Services Information Sharing Protocol") +
                     paragraph("SECTION A: Issuing ISP notification");
  for (int number = 1; number <= 21; ++number) {
    if (number == 16) body += paragraph("SECTION B: Rescinding ISP notification");
    body += paragraph(escape(kHeadings.at(static_cast<std::size_t>(number - 1))));
    const auto it = sections.find(number);
    if (it != sections.end()) body += it->second;
  }
  return body;
}

std::string issuing_agency_section(const std::string& date_sent_cell) {
  return small_form({{2, table({{paragraph("Agency issuing ISP"), paragraph("Bolton Council")},
                                {paragraph("Officer name"), paragraph("Team Manager, Commissioning")},
                                {paragraph("Date ISP sent for circulation"), date_sent_cell}})}});
}

json parse_small(const std::string& body) {
  const Parsed parsed = parse_docx(test::make_docx(body));
  if (!parsed.form) throw std::runtime_error("refused: " + parsed.error);
  return *parsed.form;
}

bool warnings_mention(const json& form, std::string_view text) {
  for (const auto& warning : form.at("warnings")) {
    if (contains(warning.get<std::string>(), text)) return true;
  }
  return false;
}

class UnreadableDateTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UnreadableDateTest, IsNullWithItsTextInWarningsWhenTyped) {
  const json form = parse_small(issuing_agency_section(paragraph(GetParam())));
  EXPECT_EQ(form.at("issuing_agency").at("agency"), "Bolton Council");
  EXPECT_TRUE(form.at("issuing_agency").at("date_sent_for_circulation").is_null())
      << form.at("issuing_agency").at("date_sent_for_circulation");
  EXPECT_TRUE(warnings_mention(form, GetParam())) << form.at("warnings").dump();
}

TEST_P(UnreadableDateTest, IsNullWithItsTextInWarningsWhenTypedOverADatePicker) {
  // Typing over a date picker leaves the control without a w:fullDate.
  const std::string picker =
      R"(<w:p><w:sdt><w:sdtPr><w:id w:val="1"/><w:date><w:dateFormat w:val="dd/MM/yyyy"/><w:lid w:val="en-GB"/>)"
      R"(<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date></w:sdtPr><w:sdtContent>)" +
      run(escape(GetParam())) + "</w:sdtContent></w:sdt></w:p>";
  const json form = parse_small(issuing_agency_section(picker));
  EXPECT_EQ(form.at("issuing_agency").at("agency"), "Bolton Council");
  EXPECT_TRUE(form.at("issuing_agency").at("date_sent_for_circulation").is_null())
      << form.at("issuing_agency").at("date_sent_for_circulation");
  EXPECT_TRUE(warnings_mention(form, GetParam())) << form.at("warnings").dump();
}

INSTANTIATE_TEST_SUITE_P(Texts, UnreadableDateTest, ::testing::Values("TBC", "31/02/2026", "end of March"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name;
                           for (const char c : param_info.param)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(SmallDocuments, ReadableDateGivesNoWarning) {
  const json form = parse_small(issuing_agency_section(paragraph("03/02/2026")));
  EXPECT_EQ(form.at("issuing_agency").at("date_sent_for_circulation"), "2026-02-03");
  EXPECT_EQ(form.at("warnings"), json::array());
}

TEST(SmallDocuments, FoldsSpacesAndTabsAndTrims) {
  const std::string agency = R"(<w:p><w:r><w:t xml:space="preserve">   Bolton  </w:t><w:tab/>)"
                             R"(<w:t xml:space="preserve">   Council </w:t></w:r></w:p>)";
  const std::string officer = R"(<w:p><w:r><w:t xml:space="preserve">Team  </w:t></w:r>)"
                              R"(<w:r><w:t xml:space="preserve">  Manager,</w:t></w:r><w:r><w:tab/></w:r>)"
                              R"(<w:r><w:t xml:space="preserve">Commissioning	 </w:t></w:r></w:p>)";
  const json form = parse_small(
      small_form({{2, table({{paragraph("Agency issuing ISP"), agency}, {paragraph("Officer name"), officer}})}}));
  EXPECT_EQ(form.at("issuing_agency").at("agency"), "Bolton Council");
  EXPECT_EQ(form.at("issuing_agency").at("officer_name"), "Team Manager, Commissioning");
}

TEST(SmallDocuments, JoinsParagraphsOfOneCellWithNewlines) {
  const std::string address = paragraph("Unit 4") + paragraph("Mill Brook Business Park") + paragraph("Bolton BL9 9ZZ");
  const std::string details =
      paragraph("First line of the details.") + paragraph("Second line.") + paragraph("Third line.") + "<w:p/><w:p/>";
  const json form =
      parse_small(small_form({{4, table({{paragraph("Organisation Name"), paragraph("Brookvale Care Ltd")},
                                         {paragraph("Address of setting or head office"), address}})},
                              {12, table({{details}})}}));
  EXPECT_EQ(form.at("provider").at("name"), "Brookvale Care Ltd");
  EXPECT_EQ(form.at("provider").at("address"), "Unit 4\nMill Brook Business Park\nBolton BL9 9ZZ");
  EXPECT_EQ(form.at("details"), "First line of the details.\nSecond line.\nThird line.");
}

TEST(SmallDocuments, EmptyAndWhitespaceOnlyValuesAreNull) {
  const json form = parse_small(
      small_form({{2, table({{paragraph("Agency issuing ISP"), paragraph("Bolton Council")},
                             {paragraph("Officer name"), paragraph("   ")},
                             {paragraph("Officer email"), "<w:p/>"},
                             {paragraph("Officer telephone number"), R"(<w:p><w:r><w:tab/></w:r></w:p>)"}})}}));
  EXPECT_EQ(form.at("issuing_agency").at("agency"), "Bolton Council");
  EXPECT_TRUE(form.at("issuing_agency").at("officer_name").is_null()) << form.at("issuing_agency").at("officer_name");
  EXPECT_TRUE(form.at("issuing_agency").at("officer_email").is_null()) << form.at("issuing_agency").at("officer_email");
  EXPECT_TRUE(form.at("issuing_agency").at("officer_phone").is_null()) << form.at("issuing_agency").at("officer_phone");
}

// Section 13's boxes sit beside "Yes" and "No"; what is written in a box decides.
struct YesNoCase {
  std::string name;
  std::string yes_box;
  std::string no_box;
  json expected;
};

void PrintTo(const YesNoCase& c, std::ostream* os) { *os << c.name; }

class DataMinimisationWordsTest : public ::testing::TestWithParam<YesNoCase> {};

TEST_P(DataMinimisationWordsTest, ReadsTheBoxesBesideYesAndNo) {
  const auto& c = GetParam();
  const auto cell = [](const std::string& text) { return text.empty() ? std::string("<w:p/>") : paragraph(text); };
  const json form = parse_small(
      small_form({{2, table({{paragraph("Agency issuing ISP"), paragraph("Bolton Council")}})},
                  {13, table({{paragraph("I confirm no personal data of children or named individuals is included.")},
                              {paragraph("Yes"), cell(c.yes_box), paragraph("No (please review before finalising)"),
                               cell(c.no_box)}})}}));
  EXPECT_EQ(form.at("issuing_agency").at("agency"), "Bolton Council");
  EXPECT_EQ(form.at("data_minimisation_issuer"), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Words, DataMinimisationWordsTest,
                         ::testing::Values(YesNoCase{"XBesideYes", "X", "", true},
                                           YesNoCase{"XBesideNo", "", "X", false},
                                           YesNoCase{"BallotBesideNo", "☐", "☒", false},
                                           YesNoCase{"YesBesideYesNoBesideNo", "Yes", "No", true},
                                           YesNoCase{"TickedBesideNo", "-", "Ticked", false},
                                           YesNoCase{"NothingTicked", "☐", "N/A", nullptr}),
                         [](const ::testing::TestParamInfo<YesNoCase>& param_info) { return param_info.param.name; });

// ---------------------------------------------------------------------------
// Forms re-saved by LibreOffice and converted by pandoc (make-fixtures.sh).

class ResavedFormTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ResavedFormTest, LibreOfficeResaveReadsLikeTheOriginal) {
  const std::string docx = test::read_file(test::data_path("forms/" + GetParam() + ".libreoffice.docx"));
  const Parsed parsed = parse_docx(docx);
  ASSERT_TRUE(parsed.form.has_value()) << "refused: " << parsed.error;
  EXPECT_TRUE(same_json(expected_json(GetParam()), *parsed.form));
}

TEST_P(ResavedFormTest, LibreOfficeOdtRoundTripReadsLikeTheOriginal) {
  const std::string docx = test::read_file(test::data_path("forms/" + GetParam() + ".libreoffice-odt.docx"));
  const Parsed parsed = parse_docx(docx);
  ASSERT_TRUE(parsed.form.has_value()) << "refused: " << parsed.error;
  EXPECT_TRUE(same_json(expected_json(GetParam()), *parsed.form));
}

INSTANTIATE_TEST_SUITE_P(Examples, ResavedFormTest, ::testing::ValuesIn(kExamples),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return test_name_part(param_info.param);
                         });

TEST(ConvertedForms, PandocFromMarkdownReadsLikeTheInternalExample) {
  const std::string docx = test::read_file(test::data_path("forms/internal-new-notification.pandoc.docx"));
  const Parsed parsed = parse_docx(docx);
  ASSERT_TRUE(parsed.form.has_value()) << "refused: " << parsed.error;
  EXPECT_TRUE(same_json(expected_json("internal-new-notification"), *parsed.form));
}

}  // namespace
}  // namespace ispd
