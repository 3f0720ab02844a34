#pragma once
// Reads the ISP form's fields out of a Word body by the form's own label text,
// never by table or cell position, so that reworded labels, extra or merged
// rows, older versions of the form and every way of ticking a box still read.

#include <vector>

#include "parsing/docx_document.hpp"
#include "parsing/form.hpp"
#include "util/result.hpp"

namespace ispd {

Result<Form> read_form(const std::vector<docx::Line>& lines);

// True for the paragraph where the form ends and its guidance notes begin
// ("Information Sharing Protocol (ISP): Supporting information").
bool ends_form(const docx::Line& paragraph);

}  // namespace ispd
