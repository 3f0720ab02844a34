#pragma once
// Sections: found by their headings, in the form's order, so that the same
// label in two sections is told apart. Internal to the form reader.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsing/docx_document.hpp"

namespace ispd::form_reading {

// A label or heading as label::words() reads it.
using Words = std::vector<std::string>;

struct Span {
  std::size_t begin = 0;  // first line after the heading
  std::size_t end = 0;    // one past the last line
  std::size_t heading = 0;
};

// The text of a line that could be a heading: a paragraph, or a table row with
// one cell of text and no box in it.
std::optional<std::string> heading_text(const docx::Line& line);

// "12. Please detail" -> (12, "Please detail"); "Section 3: Circulation" -> (3, "Circulation").
std::pair<int, std::string_view> strip_number(std::string_view text);

// True for the words of a heading that ends the form and begins its guidance
// notes ("Information Sharing Protocol (ISP): Supporting information").
bool is_form_end(const Words& cell);

// The sections found, by number. Each runs from the line after its heading
// to the next found heading, the last to the end of the form.
std::map<int, Span> find_sections(const std::vector<docx::Line>& lines);

}  // namespace ispd::form_reading
