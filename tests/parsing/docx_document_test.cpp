// The walker turns every way Word draws a box or text into plain cell text.

#include <gtest/gtest.h>

#include <string>

#include "parsing/docx_document.hpp"
#include "tests/support/docx_builder.hpp"

namespace ispd::docx {
namespace {

std::vector<Line> body(const std::string& xml) {
  std::string document = R"(<?xml version="1.0" encoding="UTF-8"?><w:document )";
  document += test::document_namespaces();
  document += "><w:body>" + xml + "</w:body></w:document>";
  auto lines = read_body(document);
  if (!lines) throw std::runtime_error(lines.error().message);
  return std::move(lines).value();
}

std::string only_text(const std::string& paragraph_xml) {
  const auto lines = body("<w:p>" + paragraph_xml + "</w:p>");
  return lines.empty() ? std::string() : lines.at(0).cells.at(0).text;
}

const std::string kTicked(kTickedBox);
const std::string kUnticked(kUntickedBox);

TEST(DocxDocument, ContentControlCheckboxBecomesOneMarker) {
  const std::string box = R"(<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="VAL"/></w14:checkbox></w:sdtPr>)"
                          R"(<w:sdtContent><w:r><w:t>GLYPH</w:t></w:r></w:sdtContent></w:sdt>)";
  auto with = [&](const std::string& val, const std::string& glyph) {
    std::string xml = box;
    xml.replace(xml.find("VAL"), 3, val);
    xml.replace(xml.find("GLYPH"), 5, glyph);
    return only_text(xml);
  };
  EXPECT_EQ(with("1", "☒"), kTicked);
  EXPECT_EQ(with("0", "☐"), kUnticked);
  EXPECT_EQ(with("true", "☐"), kTicked) << "the control's state wins over the glyph it draws";
}

TEST(DocxDocument, LegacyFormCheckboxReadsCheckedThenDefault) {
  auto field = [](const std::string& check_box) {
    return only_text(R"(<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>)" + check_box +
                     R"(</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>)"
                     R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)");
  };
  EXPECT_EQ(field(R"(<w:default w:val="0"/><w:checked/>)"), kTicked);
  EXPECT_EQ(field(R"(<w:default w:val="1"/>)"), kTicked);
  EXPECT_EQ(field(R"(<w:default w:val="0"/>)"), kUnticked);
  EXPECT_EQ(field(R"(<w:default w:val="1"/><w:checked w:val="0"/>)"), kUnticked);
}

TEST(DocxDocument, SymbolFontsReadAsBoxes) {
  EXPECT_EQ(only_text(R"(<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>)"), kTicked);
  EXPECT_EQ(only_text(R"(<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>)"), kUnticked);
  EXPECT_EQ(only_text(R"(<w:r><w:sym w:font="Wingdings 2" w:char="F053"/></w:r>)"), kTicked);
  EXPECT_EQ(only_text(R"(<w:r><w:sym w:font="Segoe UI Symbol" w:char="2612"/></w:r>)"), "☒");
  EXPECT_EQ(only_text(R"(<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>þ</w:t></w:r>)"),
            kTicked);
}

TEST(DocxDocument, TrackedChangesReadAsAccepted) {
  EXPECT_EQ(
      only_text(
          R"(<w:r><w:t>Bolton </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>Wigan </w:delText></w:r></w:del>)"
          R"(<w:ins w:id="2" w:author="a"><w:r><w:t>Council</w:t></w:r></w:ins>)"),
      "Bolton Council");
  EXPECT_EQ(
      only_text(
          R"(<w:moveFrom w:id="3" w:author="a"><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:r><w:t>kept</w:t></w:r>)"),
      "kept");
}

TEST(DocxDocument, PlaceholderTextIsEmpty) {
  EXPECT_EQ(
      body(
          R"(<w:p><w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p>)")
          .size(),
      0u);
  EXPECT_EQ(
      only_text(
          R"(<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Click or tap to enter a date.</w:t></w:r><w:r><w:t>x</w:t></w:r>)"),
      "x");
}

TEST(DocxDocument, DatePickerKeepsItsValue) {
  const auto lines = body(
      R"(<w:p><w:sdt><w:sdtPr><w:date w:fullDate="2026-05-01T00:00:00Z"><w:dateFormat w:val="dd/MM/yyyy"/></w:date></w:sdtPr>)"
      R"(<w:sdtContent><w:r><w:t>1 May 2026</w:t></w:r></w:sdtContent></w:sdt></w:p>)");
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].cells[0].dates.size(), 1u);
  EXPECT_EQ(iso_date(lines[0].cells[0].dates[0]), "2026-05-01");
  EXPECT_EQ(lines[0].cells[0].text, "1 May 2026");
}

TEST(DocxDocument, HyperlinkAndFieldShowTheirDisplayTextOnly) {
  EXPECT_EQ(only_text(R"(<w:hyperlink r:id="rId9"><w:r><w:t>qa@bolton.gov.uk</w:t></w:r></w:hyperlink>)"),
            "qa@bolton.gov.uk");
  EXPECT_EQ(
      only_text(
          R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "mailto:qa@bolton.gov.uk"</w:instrText></w:r>)"
          R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>qa@bolton.gov.uk</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)"),
      "qa@bolton.gov.uk");
}

TEST(DocxDocument, TablesBecomeRowsWithGridColumns) {
  const auto lines = body(
      R"(<w:p><w:r><w:t>3. Circulation</w:t></w:r></w:p><w:tbl>)"
      R"(<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>)"
      R"(<w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>)"
      R"(<w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr><w:tc><w:p><w:r><w:t>deleted row</w:t></w:r></w:p></w:tc></w:tr>)"
      R"(</w:tbl>)");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[0].in_table);
  ASSERT_EQ(lines[1].cells.size(), 2u);
  EXPECT_EQ(lines[1].cells[0].span, 2);
  EXPECT_EQ(lines[1].cells[1].column, 2);
  EXPECT_EQ(lines[1].cells[1].text, "B\nC");
}

TEST(DocxDocument, NestedTableRowsFollowTheirRow) {
  const auto lines =
      body(R"(<w:tbl><w:tr><w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p>)"
           R"(<w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>)");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].cells[0].text, "outer");
  EXPECT_EQ(lines[1].cells[0].text, "inner");
}

TEST(DocxDocument, StopsWhereTheCallerSaysTheFormEnds) {
  std::string document = R"(<?xml version="1.0"?><w:document )";
  document += test::document_namespaces();
  document +=
      "><w:body><w:p><w:r><w:t>form</w:t></w:r></w:p><w:p><w:r><w:t>guidance</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>more guidance</w:t></w:r></w:p><w:p><w:unclosed></w:p></w:body></w:document>";
  const auto lines =
      read_body(document, {}, [](const Line& line, std::size_t) { return line.cells[0].text == "guidance"; });
  ASSERT_TRUE(lines.ok()) << "damaged XML after the stop is never read: " << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->back().cells[0].text, "guidance");
  EXPECT_FALSE(read_body(document).ok()) << "without the stop, the damage is found";
}

TEST(DocxDocument, RefusesDamagedXml) {
  std::string document = R"(<?xml version="1.0"?><w:document )";
  document += test::document_namespaces();
  document += "><w:body><w:p><w:r><w:t>form</w:t></w:r></w:p>";
  const auto lines = read_body(document);
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.error().message.find("damaged XML"), std::string::npos) << lines.error().message;
}

TEST(DocxDocument, OurMarkersCannotBeSmuggledInAsText) {
  EXPECT_EQ(only_text("<w:r><w:t>\xEE\x80\x81Yes</w:t></w:r>"), "Yes");
}

TEST(DocxDocument, RefusesABodyWithTooManyElements) {
  std::string xml;
  for (int i = 0; i < 200; ++i) xml += "<w:p><w:r><w:t>x</w:t></w:r></w:p>";
  std::string document = R"(<?xml version="1.0"?><w:document )";
  document += test::document_namespaces();
  document += "><w:body>" + xml + "</w:body></w:document>";
  BodyLimits limits;
  limits.max_nodes = 100;
  const auto lines = read_body(document, limits);
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.error().message.find("too complex"), std::string::npos);
}

}  // namespace
}  // namespace ispd::docx
