#include "parsing/parse.hpp"

#include "parsing/docx_document.hpp"
#include "parsing/form_reader.hpp"
#include "parsing/safe_xml.hpp"

namespace ispd {

Result<Form> parse_form(std::string_view docx_bytes, const ArchiveLimits& limits) {
  auto parts = open_docx(docx_bytes, limits);
  if (!parts) return parts.error();
  auto xml = parse_xml(parts->document_xml, "word/document.xml");
  if (!xml) return xml.error();
  auto lines = docx::read_body(xml->get());
  if (!lines) return lines.error();
  return read_form(*lines);
}

}  // namespace ispd
