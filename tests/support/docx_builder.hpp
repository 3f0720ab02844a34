#pragma once
// Builds .docx files in memory for tests: real zips made with libzip, from XML
// snippets or from an example form whose document.xml a test has rewritten.

#include <map>
#include <string>
#include <string_view>

namespace ispd::test {

// The entries of a zip, name -> contents. Order is by name.
using ZipEntries = std::map<std::string, std::string>;

// A zip holding exactly these entries, deflated.
std::string make_zip(const ZipEntries& entries);

// The entries of a zip (for reading an example form to rewrite it).
ZipEntries read_zip(std::string_view zip_bytes);

// A minimal but complete .docx whose body is body_xml (the children of w:body).
std::string make_docx(std::string_view body_xml);

// The namespace declarations a document.xml root needs (w, w14, r, mc).
std::string_view document_namespaces();

}  // namespace ispd::test
