// Reading rules that need a small form of their own rather than an example.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "parsing/parse.hpp"
#include "tests/support/docx_builder.hpp"

namespace ispd {
namespace {

std::string paragraph(const std::string& text) {
  return "<w:p><w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

std::string table(std::initializer_list<std::initializer_list<std::string>> rows) {
  std::string xml = "<w:tbl>";
  for (const auto& row : rows) {
    xml += "<w:tr>";
    for (const auto& cell : row) xml += "<w:tc>" + paragraph(cell) + "</w:tc>";
    xml += "</w:tr>";
  }
  return xml + "</w:tbl>";
}

const std::string kTicked = "\xE2\x98\x92";    // ☒
const std::string kUnticked = "\xE2\x98\x90";  // ☐

Form parse(const std::string& body) {
  const auto form = parse_form(test::make_docx(body));
  if (!form) throw std::runtime_error(form.error().message);
  return *form;
}

// Headings enough for the reader to know the document is an ISP form.
std::string skeleton(const std::string& section_1, const std::string& section_5, const std::string& section_13) {
  return paragraph("1. Confidentiality") + section_1 + paragraph("2. Issuing Agency") +
         table({{"Agency issuing ISP", "Bolton Council"}, {"Date ISP to be reviewed by the issuing agency", "TBC"}}) +
         paragraph("4. Information about the provider") + table({{"Organisation Name", "Brookvale Care Ltd"}}) +
         paragraph("5. Information about the setting(s)") + section_5 +
         paragraph("13. Data minimisation (issuing authority)") + section_13;
}

TEST(FormReader, YesAndNoTypedInOneCellReadAsTheBoxTicked) {
  const Form no = parse(skeleton("", "", table({{"Yes " + kUnticked + "   No " + kTicked}})));
  EXPECT_EQ(no.data_minimisation_issuer, false);
  const Form yes = parse(skeleton("", "", table({{"Yes " + kTicked + "   No " + kUnticked}})));
  EXPECT_EQ(yes.data_minimisation_issuer, true);
}

TEST(FormReader, TwoConfidentialityLevelsReadAsTheMostRestrictiveWithAWarning) {
  const Form form = parse(skeleton(table({{"Restricted: cannot be shared", kUnticked},
                                          {"Confidential: cannot be shared yet", kTicked},
                                          {"Internal: can be shared", kTicked}}),
                                   "", ""));
  EXPECT_EQ(form.confidentiality, Confidentiality::confidential);
  ASSERT_FALSE(form.warnings.empty());
  EXPECT_NE(form.warnings[0].find("more than one confidentiality"), std::string::npos) << form.warnings[0];
}

TEST(FormReader, UnreadableDateIsNullWithItsRawTextInWarnings) {
  const Form form = parse(skeleton("", "", ""));
  EXPECT_FALSE(form.issuing_agency.review_date);
  ASSERT_EQ(form.warnings.size(), 1u);
  EXPECT_NE(form.warnings[0].find("\"TBC\""), std::string::npos) << form.warnings[0];
}

TEST(FormReader, SettingsTableWithAHeaderRowGivesOneSettingPerRow) {
  const Form form = parse(skeleton("",
                                   table({{"Name of setting or school", "Ofsted URN", "CQC URN"},
                                          {"Brookvale House", "SC512848", ""},
                                          {"Oak Lodge", "SC512849", "1-234"}}),
                                   ""));
  ASSERT_EQ(form.settings.size(), 2u);
  EXPECT_EQ(form.settings[1], (Setting{"Oak Lodge", "SC512849", "1-234"}));
  EXPECT_EQ(form.settings[0].cqc_urn, std::nullopt);
}

TEST(FormReader, RepeatedSettingRowsGiveSeveralSettings) {
  const Form form = parse(skeleton("",
                                   table({{"Name of setting or school (if applicable)", "Brookvale House"},
                                          {"Ofsted URN (if applicable)", "SC512848"},
                                          {"CQC URN (if applicable)", ""},
                                          {"Name of setting or school (if applicable)", "Oak Lodge"},
                                          {"Ofsted URN (if applicable)", "SC512849"}}),
                                   ""));
  ASSERT_EQ(form.settings.size(), 2u);
  EXPECT_EQ(form.settings[0].name, "Brookvale House");
  EXPECT_EQ(form.settings[1].ofsted_urn, "SC512849");
}

TEST(FormReader, SettingsTypedOneALineInTheSameCellsReadAsSeveral) {
  const std::string body =
      skeleton("",
               "<w:tbl><w:tr><w:tc>" + paragraph("Name of setting") + "</w:tc><w:tc>" + paragraph("Brookvale House") +
                   paragraph("Oak Lodge") + "</w:tc></w:tr><w:tr><w:tc>" + paragraph("Ofsted URN") + "</w:tc><w:tc>" +
                   paragraph("SC512848") + paragraph("SC512849") + "</w:tc></w:tr></w:tbl>",
               "");
  const Form form = parse(body);
  ASSERT_EQ(form.settings.size(), 2u);
  EXPECT_EQ(form.settings[1], (Setting{"Oak Lodge", "SC512849", std::nullopt}));
}

TEST(FormReader, ValueAfterAColonInTheLabelCellIsRead) {
  const Form form =
      parse(paragraph("2. Issuing Agency") + paragraph("Agency issuing ISP: Wigan Council") +
            paragraph("Officer e-mail: placements@wigan.gov.uk") + paragraph("4. Information about the provider") +
            paragraph("Organisation name: Kestrel Fold Ltd") + paragraph("8. Type of concern(s)") +
            table({{"Safeguarding", kTicked, "Quality", kUnticked}}));
  EXPECT_EQ(form.issuing_agency.agency, "Wigan Council");
  EXPECT_EQ(form.issuing_agency.officer_email, "placements@wigan.gov.uk");
  EXPECT_EQ(form.provider.name, "Kestrel Fold Ltd");
  EXPECT_EQ(form.concerns, (std::vector<std::string>{"safeguarding"}));
}

TEST(FormReader, AWordFileThatIsNotAFormIsRefused) {
  const auto form = parse_form(test::make_docx(paragraph("Minutes of the meeting") + table({{"Item", "Owner"}})));
  ASSERT_FALSE(form.ok());
  EXPECT_NE(form.error().message.find("ISP notification form"), std::string::npos);
}

TEST(FormReader, GuidanceAfterTheFormIsNotReadAsFields) {
  const Form form =
      parse(skeleton("", "", "") + paragraph("Information Sharing Protocol (ISP): Supporting information") +
            paragraph("12. Please detail the actions taken to investigate the concerns") +
            table({{"This is guidance text, not details."}}));
  EXPECT_FALSE(form.details);
}

}  // namespace
}  // namespace ispd

namespace ispd {
namespace {

TEST(FormReader, AHugeOfficerCellIsReadWithoutBlowingUp) {
  std::string cell = "Officer";
  for (int i = 0; i < 6000; ++i) cell += " email: x";
  cell += " team@bolton.gov.uk";
  const Form form = parse(paragraph("2. Issuing Agency") + table({{"Officer name &amp; email", cell}}) +
                          paragraph("4. Information about the provider") + paragraph("8. Type of concern(s)"));
  EXPECT_EQ(form.issuing_agency.officer_email, "team@bolton.gov.uk");
}

}  // namespace
}  // namespace ispd
