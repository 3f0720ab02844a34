#include "parsing/parse.hpp"

#include "parsing/docx_document.hpp"
#include "parsing/form_reader.hpp"

namespace ispd {

namespace {
// The 2026 form has about 90 table rows before its guidance; older ones fewer.
constexpr std::size_t kRowsBeforeGuidance = 20;
}  // namespace

Result<Form> parse_form(std::string_view docx_bytes, const ArchiveLimits& limits) {
  auto parts = open_docx(docx_bytes, limits);
  if (!parts) return parts.error();
  // The guidance notes after the form are neither read nor parsed: the reader
  // would ignore them anyway, and they are a third of the document.
  const auto after_form = [](const docx::Line& paragraph, std::size_t table_rows) {
    return table_rows >= kRowsBeforeGuidance && ends_form(paragraph);
  };
  auto lines = docx::read_body(parts->document_xml, {}, after_form);
  if (!lines) return lines.error();
  return read_form(*lines);
}

}  // namespace ispd
