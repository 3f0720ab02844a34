#pragma once
// The parser's one entry point: the bytes of a .docx in, a Form or a one-line
// reason out. A pure function of its input, so it can be fuzzed.

#include <string_view>

#include "parsing/docx_archive.hpp"
#include "parsing/form.hpp"
#include "util/result.hpp"

namespace ispd {

Result<Form> parse_form(std::string_view docx_bytes, const ArchiveLimits& limits = {});

}  // namespace ispd
