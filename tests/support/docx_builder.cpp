#include "tests/support/docx_builder.hpp"

#include <zip.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace ispd::test {

namespace {

struct ZipSourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

}  // namespace

std::string make_zip(const ZipEntries& entries) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, ZipSourceFree> out(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!out) throw std::runtime_error("zip_source_buffer_create failed");
  zip_t* archive = zip_open_from_source(out.get(), ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source failed");
  zip_source_keep(out.get());
  for (const auto& [name, data] : entries) {
    zip_source_t* src = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (src == nullptr || zip_file_add(archive, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(src);
      zip_discard(archive);
      throw std::runtime_error("zip_file_add failed for " + name);
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    throw std::runtime_error("zip_close failed");
  }
  zip_stat_t st;
  if (zip_source_stat(out.get(), &st) != 0 || zip_source_open(out.get()) != 0) {
    throw std::runtime_error("cannot read back the zip");
  }
  std::string bytes(st.size, '\0');
  const zip_int64_t n = zip_source_read(out.get(), bytes.data(), bytes.size());
  zip_source_close(out.get());
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) throw std::runtime_error("short read of the zip");
  return bytes;
}

ZipEntries read_zip(std::string_view zip_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (src == nullptr) throw std::runtime_error("zip_source_buffer_create failed");
  zip_t* archive = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(src);
    throw std::runtime_error("not a zip");
  }
  ZipEntries entries;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) continue;
    std::string data;
    std::vector<char> chunk(65536);
    zip_int64_t n = 0;
    while ((n = zip_fread(file, chunk.data(), chunk.size())) > 0)
      data.append(chunk.data(), static_cast<std::size_t>(n));
    zip_fclose(file);
    entries[st.name] = std::move(data);
  }
  zip_close(archive);
  return entries;
}

std::string_view document_namespaces() {
  return R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
         R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" )"
         R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" )"
         R"(xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14")";
}

std::string make_docx(std::string_view body_xml) {
  ZipEntries entries;
  entries["[Content_Types].xml"] =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
      R"(<Default Extension="xml" ContentType="application/xml"/>)"
      R"(<Override PartName="/word/document.xml" )"
      R"(ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
      R"(</Types>)";
  entries["_rels/.rels"] =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" )"
      R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" )"
      R"(Target="word/document.xml"/></Relationships>)";
  std::string document = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document )";
  document += document_namespaces();
  document += "><w:body>";
  document += body_xml;
  document += "</w:body></w:document>";
  entries["word/document.xml"] = std::move(document);
  return make_zip(entries);
}

}  // namespace ispd::test
