#pragma once
// A Word body reduced to what a form reader needs: a sequence of lines, each a
// paragraph outside any table or one table row, each holding cells of plain
// text. Everything a person sees as a tick box becomes one marker character in
// the text, whatever Word feature drew it; deleted text, field codes and
// content-control placeholder text are gone; date pickers keep their value.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parsing/form.hpp"
#include "util/result.hpp"

namespace ispd::docx {

// Private-use characters that stand for a box drawn by a control, a legacy
// form field or a symbol font; typed glyphs such as ☒ stay as typed.
inline constexpr std::string_view kTickedBox = "\xEE\x80\x81";    // U+E001
inline constexpr std::string_view kUntickedBox = "\xEE\x80\x80";  // U+E000

struct Cell {
  std::string text;         // paragraphs joined by '\n'
  std::vector<Date> dates;  // values of date-picker controls in the cell
  int column = 0;           // first grid column the cell covers
  int span = 1;             // grid columns it covers
};

struct Line {
  bool in_table = false;
  std::vector<Cell> cells;  // a paragraph is one cell
};

struct BodyLimits {
  std::size_t max_lines = 20000;
  std::size_t max_cells_per_row = 64;
  std::size_t max_cell_bytes = 256u << 10;
  std::size_t max_nodes = 4u << 20;
};

// Called with each paragraph outside a table as it is read; true stops the
// reading there (the rest of the document is neither parsed nor checked).
using StopAfter = std::function<bool(const Line& paragraph, std::size_t table_rows_so_far)>;

// The body of word/document.xml, in reading order, streamed through the safe
// XML reader without building a tree.
Result<std::vector<Line>> read_body(std::string_view document_xml, const BodyLimits& limits = {},
                                    const StopAfter& stop_after = {});

}  // namespace ispd::docx
