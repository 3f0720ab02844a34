// libFuzzer target: arbitrary bytes as word/document.xml, wrapped in an
// otherwise valid .docx, so the fuzzer spends its time on the XML and the form
// reader rather than on getting past the zip's checksums.

#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parsing/parse.hpp"

namespace {

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" )"
    R"(ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(</Types>)";

constexpr std::string_view kRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" )"
    R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" )"
    R"(Target="word/document.xml"/></Relationships>)";

struct ZipSourceFree {
  void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};
using ZipSource = std::unique_ptr<zip_source_t, ZipSourceFree>;

struct ZipDiscard {
  void operator()(zip_t* archive) const noexcept { zip_discard(archive); }
};
using Zip = std::unique_ptr<zip_t, ZipDiscard>;

void add_stored(zip_t* archive, const char* name, std::string_view data) {
  zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
  if (source == nullptr) throw std::runtime_error("zip_source_buffer failed");
  const zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    throw std::runtime_error("zip_file_add failed");
  }
  // Stored, not deflated: inflating is libzip's work, not ours, and deflating every input would halve the speed.
  if (zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
    throw std::runtime_error("zip_set_file_compression failed");
  }
}

// A .docx whose word/document.xml is exactly these bytes.
std::string make_docx(std::string_view document_xml) {
  zip_error_t error;
  zip_error_init(&error);
  ZipSource out(zip_source_buffer_create(nullptr, 0, 0, &error));
  zip_error_fini(&error);
  if (!out) throw std::runtime_error("zip_source_buffer_create failed");
  Zip archive(zip_open_from_source(out.get(), ZIP_TRUNCATE, nullptr));
  if (!archive) throw std::runtime_error("zip_open_from_source failed");
  zip_source_keep(out.get());  // the archive releases its reference on close; we still read the buffer after
  add_stored(archive.get(), "[Content_Types].xml", kContentTypes);
  add_stored(archive.get(), "_rels/.rels", kRels);
  add_stored(archive.get(), "word/document.xml", document_xml);
  if (zip_close(archive.get()) != 0) throw std::runtime_error("zip_close failed");
  (void)archive.release();  // zip_close freed it

  zip_stat_t stat;
  if (zip_source_stat(out.get(), &stat) != 0 || zip_source_open(out.get()) != 0) {
    throw std::runtime_error("cannot read the zip back");
  }
  std::string bytes(stat.size, '\0');
  const zip_int64_t read = zip_source_read(out.get(), bytes.data(), bytes.size());
  zip_source_close(out.get());
  if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) throw std::runtime_error("short read of the zip");
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string docx = make_docx(std::string_view(reinterpret_cast<const char*>(data), size));
  if (const auto form = ispd::parse_form(docx)) {
    (void)ispd::to_json(*form).dump();
  }
  return 0;
}
