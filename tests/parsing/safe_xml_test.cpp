#include "parsing/safe_xml.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parsing/docx_archive.hpp"
#include "tests/support/docx_builder.hpp"

namespace ispd {
namespace {

constexpr std::string_view kDtdRefusal =
    "has XML with a document type declaration (DTD) in word/document.xml; "
    "Word files never contain one, so it is refused as unsafe";

std::string refusal(const Result<XmlDoc>& result) {
  return result.ok() ? std::string("(accepted)") : result.error().message;
}

// UTF-16LE with a byte order mark, so no ASCII "<!DOCTYPE" appears in the bytes.
std::string utf16le(std::string_view ascii) {
  std::string out = "\xFF\xFE";
  for (const char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

TEST(SafeXml, ParsesWellFormedXml) {
  const auto result =
      parse_xml(R"(<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>)", "word/document.xml");
  ASSERT_TRUE(result.ok()) << refusal(result);
  const xmlNode* root = xmlDocGetRootElement(result->get());
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "document");
}

TEST(SafeXml, RefusesBillionLaughsInDocumentXmlAsDtd) {
  std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    const std::string previous = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    for (int j = 0; j < 10; ++j) laughs += "&" + previous + ";";
    laughs += "\">";
  }
  laughs += "]><lolz>&lol9;</lolz>";
  const auto docx = open_docx(test::make_zip({{"word/document.xml", laughs}}));
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  EXPECT_EQ(refusal(parse_xml(docx->document_xml, "word/document.xml")), kDtdRefusal);
}

TEST(SafeXml, RefusesExternalEntityAsDtd) {
  const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>)";
  const auto docx = open_docx(test::make_zip({{"word/document.xml", xxe}}));
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  EXPECT_EQ(refusal(parse_xml(docx->document_xml, "word/document.xml")), kDtdRefusal);
}

TEST(SafeXml, RefusesExternalDtdReference) {
  const std::string xml = R"(<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.invalid/d.dtd"><d/>)";
  EXPECT_EQ(refusal(parse_xml(xml, "word/document.xml")), kDtdRefusal);
}

TEST(SafeXml, RefusesEntityDeclarationWithoutDoctype) {
  EXPECT_EQ(refusal(parse_xml("<d><!ENTITY x 'y'></d>", "word/document.xml")), kDtdRefusal);
}

TEST(SafeXml, RefusesDtdHiddenByUtf16Encoding) {
  const std::string xml = utf16le(
      R"(<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>)");
  ASSERT_EQ(xml.find("<!DOCTYPE"), std::string::npos);
  EXPECT_EQ(refusal(parse_xml(xml, "word/document.xml")), kDtdRefusal);
}

TEST(SafeXml, ParsesUtf16Xml) {
  const auto result = parse_xml(utf16le(R"(<?xml version="1.0" encoding="UTF-16"?><d>ok</d>)"), "word/document.xml");
  EXPECT_TRUE(result.ok()) << refusal(result);
}

TEST(SafeXml, ReportsDamagedXmlWithItsLine) {
  EXPECT_EQ(refusal(parse_xml("<d>\n<p>\n</d>", "word/document.xml")), "has damaged XML in word/document.xml (line 3)");
}

TEST(SafeXml, RefusesEmptyPartAsDamaged) {
  EXPECT_NE(refusal(parse_xml("", "word/document.xml")).find("damaged XML in word/document.xml"), std::string::npos);
}

TEST(SafeXml, RefusesUndeclaredEntityAsDamaged) {
  EXPECT_NE(refusal(parse_xml("<d>&x;</d>", "word/document.xml")).find("damaged"), std::string::npos);
}

TEST(SafeXml, RefusesNestingDeeperThanLibxmlDefaultLimit) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  for (int i = 0; i < 5000; ++i) deep += "</a>";
  EXPECT_NE(refusal(parse_xml(deep, "word/document.xml")).find("damaged"), std::string::npos);
}

TEST(SafeXml, RefusesPartOver64MiB) {
  const std::string huge = "<d>" + std::string(64u << 20, ' ') + "</d>";
  EXPECT_EQ(refusal(parse_xml(huge, "word/document.xml")),
            "has an XML part too large to read (word/document.xml is over 64 MiB); refused");
}

TEST(SafeXml, PrintsNothingToStderr) {
  testing::internal::CaptureStderr();
  (void)parse_xml("<d>\n<p>\n</d>", "word/document.xml");
  (void)parse_xml(R"(<?xml version="1.0" encoding="no-such-encoding"?><d/>)", "word/document.xml");
  (void)parse_xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><d>\xC3\x28\xFF</d>", "word/document.xml");
  // libxml2 2.9 reports bad bytes in a legacy encoding through its global handler, not the parser's.
  (void)parse_xml("<?xml version=\"1.0\" encoding=\"SHIFT_JIS\"?><d>\x81\x20\xFF\xFF</d>", "word/document.xml");
  (void)parse_xml(utf16le(R"(<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d><d/>)"), "word/document.xml");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace ispd
