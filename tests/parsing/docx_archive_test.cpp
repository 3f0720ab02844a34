#include "parsing/docx_archive.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/docx_builder.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

using test::make_docx;
using test::make_zip;
using test::ZipEntries;

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFEu;
constexpr std::uint32_t kFreeSector = 0xFFFFFFFFu;

const char* const kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" )"
    R"(ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(</Types>)";

// The message of a refusal, or a note that the file was wrongly accepted.
std::string refusal(const Result<DocxParts>& result) {
  return result.ok() ? std::string("(accepted)") : result.error().message;
}

void put_le16(std::string& bytes, std::size_t at, std::uint16_t value) {
  bytes[at] = static_cast<char>(value & 0xFF);
  bytes[at + 1] = static_cast<char>(value >> 8);
}

void put_le32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// A minimal OLE compound file (version 3, 512-byte sectors): sector 0 holds the
// FAT, sector 1 the directory with a root entry and up to three streams.
std::string compound_file(const std::vector<std::string>& streams, std::uint32_t after_directory = kEndOfChain) {
  std::string bytes(std::size_t{3} * 512, '\0');
  bytes.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  put_le16(bytes, 0x18, 0x003E);
  put_le16(bytes, 0x1A, 3);
  put_le16(bytes, 0x1C, 0xFFFE);
  put_le16(bytes, 0x1E, 9);
  put_le16(bytes, 0x20, 6);
  put_le32(bytes, 0x2C, 1);  // FAT sectors
  put_le32(bytes, 0x30, 1);  // first directory sector
  put_le32(bytes, 0x38, 0x1000);
  put_le32(bytes, 0x3C, kEndOfChain);
  put_le32(bytes, 0x44, kEndOfChain);
  put_le32(bytes, 0x4C, 0);  // DIFAT[0]: the FAT is sector 0
  for (std::size_t i = 1; i < 109; ++i) put_le32(bytes, 0x4C + 4 * i, kFreeSector);

  const std::size_t fat = 512;
  for (std::size_t i = 0; i < 128; ++i) put_le32(bytes, fat + 4 * i, kFreeSector);
  put_le32(bytes, fat, 0xFFFFFFFDu);          // sector 0 is the FAT
  put_le32(bytes, fat + 4, after_directory);  // sector 1 is the directory

  std::vector<std::pair<std::string, std::uint8_t>> entries{{"Root Entry", 5}};
  for (const auto& name : streams) entries.emplace_back(name, 2);
  for (std::size_t e = 0; e < entries.size() && e < 4; ++e) {
    const std::size_t at = 1024 + 128 * e;
    const auto& [name, type] = entries[e];
    for (std::size_t i = 0; i < name.size(); ++i) bytes[at + 2 * i] = name[i];
    put_le16(bytes, at + 0x40, static_cast<std::uint16_t>((name.size() + 1) * 2));
    bytes[at + 0x42] = static_cast<char>(type);
    put_le32(bytes, at + 0x44, kFreeSector);
    put_le32(bytes, at + 0x48, e + 1 < entries.size() ? static_cast<std::uint32_t>(e + 1) : kFreeSector);
    put_le32(bytes, at + 0x4C, kFreeSector);
    put_le32(bytes, at + 0x74, kEndOfChain);
  }
  return bytes;
}

// Offsets of the local (PK\3\4) or central (PK\1\2) headers of the entry called name.
std::vector<std::size_t> zip_headers(const std::string& zip, std::string_view signature, std::size_t name_at,
                                     std::string_view name) {
  std::vector<std::size_t> found;
  for (std::size_t at = zip.find(signature); at != std::string::npos; at = zip.find(signature, at + 1)) {
    if (zip.compare(at + name_at, name.size(), name) == 0) found.push_back(at);
  }
  return found;
}

std::vector<std::size_t> local_headers(const std::string& zip, std::string_view name) {
  return zip_headers(zip, "PK\x03\x04", 30, name);
}

std::vector<std::size_t> central_headers(const std::string& zip, std::string_view name) {
  return zip_headers(zip, "PK\x01\x02", 46, name);
}

// What libzip itself hands back for an entry, read to the end or the first error.
std::size_t bytes_libzip_returns(const std::string& zip, const char* name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    return 0;
  }
  std::size_t total = 0;
  if (zip_file_t* file = zip_fopen(archive, name, 0)) {
    std::vector<char> chunk(1 << 16);
    zip_int64_t n = 0;
    while ((n = zip_fread(file, chunk.data(), chunk.size())) > 0) total += static_cast<std::size_t>(n);
    zip_fclose(file);
  }
  zip_discard(archive);
  return total;
}

TEST(DocxArchive, OpensMinimalDocxAndReturnsDocumentXml) {
  const auto result = open_docx(make_docx("<w:p><w:r><w:t>Hello</w:t></w:r></w:p>"));
  ASSERT_TRUE(result.ok()) << refusal(result);
  EXPECT_NE(result->document_xml.find("<w:t>Hello</w:t>"), std::string::npos);
}

TEST(DocxArchive, OpensTheExampleNotificationForm) {
  const auto result = open_docx(test::read_file(test::data_path("forms/internal-new-notification.docx")));
  ASSERT_TRUE(result.ok()) << refusal(result);
  EXPECT_NE(result->document_xml.find("<w:body>"), std::string::npos);
}

TEST(DocxArchive, ReadsTheMainPartThatContentTypesNames) {
  std::string types = kContentTypes;
  types.replace(types.find("/word/document.xml"), 18, "/word/main.xml");
  const auto result = open_docx(make_zip({{"[Content_Types].xml", types}, {"word/main.xml", "<main/>"}}));
  ASSERT_TRUE(result.ok()) << refusal(result);
  EXPECT_EQ(result->document_xml, "<main/>");
}

TEST(DocxArchive, FallsBackToWordDocumentXmlWithoutContentTypes) {
  const auto result = open_docx(make_zip({{"word/document.xml", "<doc/>"}}));
  ASSERT_TRUE(result.ok()) << refusal(result);
  EXPECT_EQ(result->document_xml, "<doc/>");
}

TEST(DocxArchive, RefusesEmptyFile) { EXPECT_EQ(refusal(open_docx("")), "is empty"); }

TEST(DocxArchive, RefusesFileLargerThanTheLimit) {
  const std::string big(33 * kMiB, 'x');
  EXPECT_EQ(refusal(open_docx(big)), "is larger than 32 MiB; an ISP form is far smaller");
}

TEST(DocxArchive, RefusesPdfWithPleaseSendWordForm) {
  const std::string message = refusal(open_docx("%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n"));
  EXPECT_NE(message.find("PDF"), std::string::npos) << message;
  EXPECT_NE(message.find("please send the Word form (.docx)"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesEncryptedDocxInCompoundFileAsPasswordProtected) {
  const std::string message = refusal(open_docx(compound_file({"EncryptionInfo", "EncryptedPackage"})));
  EXPECT_EQ(message, "is password-protected; please remove the password and send it again");
}

TEST(DocxArchive, RefusesCompoundFileWithOnlyEncryptedPackageAsPasswordProtected) {
  EXPECT_NE(refusal(open_docx(compound_file({"EncryptedPackage"}))).find("password"), std::string::npos);
}

TEST(DocxArchive, RefusesOldWordDocAskingForDocx) {
  const std::string message = refusal(open_docx(compound_file({"WordDocument", "1Table"})));
  EXPECT_NE(message.find("old Word 97-2003 .doc"), std::string::npos) << message;
  EXPECT_NE(message.find("save it as .docx"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesOtherOfficeCompoundFileAsNotDocx) {
  EXPECT_EQ(refusal(open_docx(compound_file({"Workbook"}))), "is an old Office file, not a Word .docx form");
}

TEST(DocxArchive, RefusesCompoundFileWhoseDirectoryChainLoops) {
  // Sector 1 chains to itself: the walk must stop rather than loop forever.
  const std::string message = refusal(open_docx(compound_file({"EncryptionInfo"}, 1)));
  EXPECT_EQ(message, "is an old Office file, not a Word .docx form");
}

TEST(DocxArchive, RefusesCompoundFileWhoseDirectoryPointsPastTheEnd) {
  std::string bytes = compound_file({"WordDocument"});
  put_le32(bytes, 0x30, 0x7FFFFFFF);
  EXPECT_EQ(refusal(open_docx(bytes)), "is an old Office file, not a Word .docx form");
  EXPECT_EQ(refusal(open_docx(bytes.substr(0, 600))), "is an old Office file, not a Word .docx form");
  EXPECT_EQ(refusal(open_docx(bytes.substr(0, 8))), "is an old Office file, not a Word .docx form");
}

TEST(DocxArchive, RefusesRtfAskingForDocx) {
  const std::string message = refusal(open_docx("{\\rtf1\\ansi Hello}"));
  EXPECT_NE(message.find("RTF"), std::string::npos) << message;
  EXPECT_NE(message.find(".docx"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesFileThatIsNotAZip) {
  EXPECT_EQ(refusal(open_docx("Dear colleague, please find the form attached.")), "is not a Word .docx file");
}

TEST(DocxArchive, RefusesTruncatedDocxAsDamaged) {
  const std::string form = test::read_file(test::data_path("forms/internal-new-notification.docx"));
  const std::string message = refusal(open_docx(form.substr(0, form.size() / 2)));
  EXPECT_NE(message.find("damaged"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesZipWithCorruptedDeflateDataAsDamaged) {
  std::string zip = make_docx(std::string(20000, 'a') + "<w:p/>");
  const std::size_t header = local_headers(zip, "word/document.xml").at(0);
  const auto extra = static_cast<unsigned char>(zip[header + 28]) | (static_cast<unsigned char>(zip[header + 29]) << 8);
  const std::size_t data = header + 30 + 17 + static_cast<std::size_t>(extra);
  for (std::size_t i = 0; i < 40; ++i) zip[data + i] = static_cast<char>(0xFF);
  EXPECT_NE(refusal(open_docx(zip)).find("damaged"), std::string::npos);
}

TEST(DocxArchive, RefusesZipWithTooManyParts) {
  ZipEntries entries{{"word/document.xml", "<doc/>"}};
  for (int i = 0; i < 4100; ++i) entries["word/media/image" + std::to_string(i) + ".png"] = "x";
  EXPECT_NE(refusal(open_docx(make_zip(entries))).find("has too many parts (4101"), std::string::npos);
}

TEST(DocxArchive, RefusesPathTraversalEntry) {
  const auto message =
      refusal(open_docx(make_zip({{"word/document.xml", "<doc/>"}, {"../../etc/passwd", "root:x:0:0"}})));
  EXPECT_EQ(message, "contains a file path that escapes the document (\"../../etc/passwd\"), which no Word file has");
}

TEST(DocxArchive, RefusesAbsoluteAndBackslashPaths) {
  for (const char* name : {"/etc/passwd", R"(..\..\windows\win.ini)", R"(word\..\..\x)", R"(C:\x)", "word/../../x"}) {
    const auto message = refusal(open_docx(make_zip({{"word/document.xml", "<doc/>"}, {name, "x"}})));
    EXPECT_NE(message.find("escapes the document"), std::string::npos) << name << ": " << message;
  }
}

TEST(DocxArchive, AcceptsNamesWithDotsThatStayInside) {
  const auto result = open_docx(make_zip({{"word/document.xml", "<doc/>"}, {"word/media/image..png", "x"}}));
  EXPECT_TRUE(result.ok()) << refusal(result);
}

TEST(DocxArchive, RefusesDocmByContentType) {
  std::string types = kContentTypes;
  types.replace(types.find("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), 80,
                "application/vnd.ms-word.document.macroEnabled.main+xml");
  const auto message = refusal(open_docx(make_zip({{"[Content_Types].xml", types}, {"word/document.xml", "<d/>"}})));
  EXPECT_EQ(message, "is a macro-enabled .docm; macros are refused, please save it as a plain .docx");
}

TEST(DocxArchive, RefusesDocmByVbaProject) {
  const auto message = refusal(open_docx(
      make_zip({{"[Content_Types].xml", kContentTypes}, {"word/document.xml", "<d/>"}, {"word/vbaProject.bin", "x"}})));
  EXPECT_NE(message.find("macro"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesZipWithoutDocumentXml) {
  const auto message = refusal(open_docx(make_zip({{"xl/workbook.xml", "<workbook/>"}})));
  EXPECT_EQ(message, "is not a Word document (it has no word/document.xml)");
}

TEST(DocxArchive, RefusesContentTypesWithDtd) {
  const std::string types = R"(<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>)";
  const auto message = refusal(open_docx(make_zip({{"[Content_Types].xml", types}, {"word/document.xml", "<d/>"}})));
  EXPECT_NE(message.find("DTD"), std::string::npos) << message;
}

TEST(DocxArchive, RefusesZipBombOverThePartLimit) {
  const auto message = refusal(open_docx(make_zip({{"word/document.xml", std::string(60 * kMiB, '\0')}})));
  EXPECT_EQ(message, "looks like a zip bomb (a part would inflate to more than 32 MiB); refused");
}

TEST(DocxArchive, RefusesZipBombByRatio) {
  const auto message = refusal(open_docx(make_zip({{"word/document.xml", std::string(30 * kMiB, '\0')}})));
  EXPECT_NE(message.find("zip bomb"), std::string::npos) << message;
  EXPECT_NE(message.find("200 times its compressed size"), std::string::npos) << message;
}

TEST(DocxArchive, AcceptsSmallPartThatCompressesVeryWell) {
  const auto result = open_docx(make_zip({{"word/document.xml", std::string(std::size_t{900} << 10, ' ') + "<d/>"}}));
  EXPECT_TRUE(result.ok()) << refusal(result);
}

TEST(DocxArchive, RefusesPartWhoseZipHeadersUnderstateItsSize) {
  std::string zip =
      make_zip({{"[Content_Types].xml", kContentTypes}, {"word/document.xml", std::string(40 * kMiB, '\0')}});
  const auto local = local_headers(zip, "word/document.xml");
  const auto central = central_headers(zip, "word/document.xml");
  ASSERT_EQ(local.size(), 1u);
  ASSERT_EQ(central.size(), 1u);
  put_le32(zip, local[0] + 22, 1000);
  put_le32(zip, central[0] + 24, 1000);

  // The premise: libzip reads well past what the headers declare.
  EXPECT_GT(bytes_libzip_returns(zip, "word/document.xml"), 1000u);
  const auto message = refusal(open_docx(zip));
  EXPECT_EQ(message, "looks like a zip bomb (a part inflates to more than its zip header declares); refused");
}

TEST(DocxArchive, RefusesWhenAllPartsTogetherInflateBeyondTheLimit) {
  ArchiveLimits limits;
  limits.max_total_bytes = 1000;
  const auto message = refusal(open_docx(make_docx(std::string(2000, ' ')), limits));
  EXPECT_EQ(message, "looks like a zip bomb (its parts would inflate to more than 1000 bytes in all); refused");
}

TEST(DocxArchive, RefusesZipLevelEncryptedEntryAsPasswordProtected) {
  std::string zip = make_docx("<w:p/>");
  // Bit 0 of the general purpose flags marks an entry as encrypted, in both headers.
  for (const std::size_t at : local_headers(zip, "word/document.xml")) zip[at + 6] |= 1;
  for (const std::size_t at : central_headers(zip, "word/document.xml")) zip[at + 8] |= 1;
  EXPECT_EQ(refusal(open_docx(zip)), "is password-protected; please remove the password and send it again");
}

}  // namespace
}  // namespace ispd
