#pragma once
// Opens a Word .docx held in memory and hands back the XML parts the parser
// reads, refusing anything that is not a plain, sane .docx: PDFs, old .doc
// files, password-protected (OLE/CFB) files, macro-enabled .docm, damaged or
// truncated zips, and zip bombs. Every size and count read from the file is
// bounded here, whatever the zip's headers claim.

#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace ispd {

struct ArchiveLimits {
  std::size_t max_file_bytes = 32u << 20;   // the .docx itself
  std::size_t max_entries = 4096;           // files inside the zip
  std::size_t max_part_bytes = 32u << 20;   // one inflated part we read
  std::size_t max_total_bytes = 96u << 20;  // all inflated bytes we read
  std::size_t max_ratio = 200;              // inflated : compressed, per part
};

struct DocxParts {
  std::string document_xml;  // word/document.xml (or the part [Content_Types].xml names)
};

// Error messages are one sentence that follows the file's name, e.g.
// "is a PDF, not the Word form; please send the Word form (.docx)".
Result<DocxParts> open_docx(std::string_view bytes, const ArchiveLimits& limits = {});

}  // namespace ispd
