// Officers still send saved copies of the 2025 and pre-2022 forms. These tests
// build such forms (labels from form-schema.md's "Earlier versions still in
// circulation" and the seed's change log), fill them with the internal
// example's data, and check each old label lands in its 2026 field. Fields an
// older form lacks must be null or [].

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsing/form.hpp"
#include "parsing/parse.hpp"
#include "tests/support/docx_builder.hpp"
#include "tests/support/json_diff.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Building documents.

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string run(std::string_view text) { return R"(<w:r><w:t xml:space="preserve">)" + escape(text) + "</w:t></w:r>"; }

// Paragraphs, one per line of text; an empty cell still needs one paragraph.
std::string paragraphs(std::string_view text) {
  if (text.empty()) return "<w:p/>";
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    out += "<w:p>" + run(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)) +
           "</w:p>";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string heading(std::string_view text) {
  return R"(<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>)" + run(text) + "</w:p>";
}

// One table cell: its paragraphs, and how many grid columns it covers.
struct Cell {
  std::string xml;
  int span = 1;
  Cell(const char* text) : xml(paragraphs(text)) {}         // NOLINT(google-explicit-constructor)
  Cell(const std::string& text) : xml(paragraphs(text)) {}  // NOLINT(google-explicit-constructor)
  static Cell raw(std::string xml_text, int columns = 1) {
    Cell c("");
    c.xml = std::move(xml_text);
    c.span = columns;
    return c;
  }
};

using Row = std::vector<Cell>;

std::string table(const std::vector<Row>& rows) {
  int columns = 0;
  for (const auto& row : rows) {
    int width = 0;
    for (const auto& cell : row) width += cell.span;
    columns = std::max(columns, width);
  }
  std::string out = R"(<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>)"
                    "<w:tblGrid>";
  for (int i = 0; i < columns; ++i) out += R"(<w:gridCol w:w="2400"/>)";
  out += "</w:tblGrid>";
  for (const auto& row : rows) {
    out += "<w:tr>";
    for (const auto& cell : row) {
      out += "<w:tc><w:tcPr>";
      if (cell.span > 1) out += R"(<w:gridSpan w:val=")" + std::to_string(cell.span) + R"("/>)";
      out += "</w:tcPr>" + cell.xml + "</w:tc>";
    }
    out += "</w:tr>";
  }
  return out + "</w:tbl>";
}

// A Word 2010 content-control check box.
Cell box(bool ticked) {
  const char* on = ticked ? "1" : "0";
  return Cell::raw(std::string(R"(<w:p><w:sdt><w:sdtPr><w:id w:val="1"/><w14:checkbox><w14:checked w14:val=")") + on +
                   R"("/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" )"
                   R"(w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts )"
                   R"(w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w:t>)" +
                   (ticked ? "☒" : "☐") + "</w:t></w:r></w:sdtContent></w:sdt></w:p>");
}

// A Word 97-2003 form check box (FORMCHECKBOX), as the pre-2022 form used.
Cell legacy_box(bool ticked) {
  return Cell::raw(
      std::string(R"(<w:p><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>)"
                  R"(<w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>)") +
      (ticked ? "<w:checked/>" : "") +
      R"(</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX )"
      R"(</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>)"
      R"(<w:fldChar w:fldCharType="end"/></w:r></w:p>)");
}

// A Word 97-2003 text form field (FORMTEXT) holding text.
Cell legacy_text(std::string_view text) {
  return Cell::raw(R"(<w:p><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>)"
                   R"(<w:calcOnExit w:val="0"/><w:textInput/></w:ffData></w:fldChar></w:r><w:r><w:instrText )"
                   R"(xml:space="preserve"> FORMTEXT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>)"
                   "</w:r>" +
                   run(text) + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)");
}

// Label | box pairs laid out `per_row` to a row, the last row padded with empty cells.
std::vector<Row> tick_rows(const std::vector<std::string>& labels, const std::set<std::string>& ticked, int per_row,
                           Cell (*make_box)(bool)) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i % static_cast<std::size_t>(per_row) == 0) rows.emplace_back();
    rows.back().push_back(labels[i]);
    rows.back().push_back(make_box(ticked.count(labels[i]) > 0));
  }
  while (rows.back().size() < 2 * static_cast<std::size_t>(per_row)) rows.back().push_back("");
  return rows;
}

const std::string kTitle = "Notification under the North West Children’s Services Information Sharing Protocol";
const std::string kDetailsHeading =
    "Please detail the actions taken to investigate the concerns, the status of these investigations and actions "
    "taken by the provider to resolve the issue identified above.";
const std::string kDetails =
    "Following a missing-from-home episode in January 2026 the host authority completed an unannounced visit on "
    "27/01/2026.\n"
    "Staffing rotas showed the home operated below its registered staffing ratio on four nights; this is a proven "
    "fact confirmed by the provider.\n"
    "The provider has submitted an improvement plan covering recruitment, night-time staffing and missing-from-home "
    "procedures. Progress will be reviewed fortnightly by the commissioning team.";
const std::string kGuidance = heading("Information Sharing Protocol (ISP): Supporting information") +
                              paragraphs("Placements North West will save the ISP in the provider folder.");

// ---------------------------------------------------------------------------
// The 2025 form: what changed at the 2025 review is on it (previous company
// name, CQC URN, SEND FPS, Inadequate inspection, Other actions); the 2026
// additions (confidentiality, circulation, type of service, other agencies,
// contractual actions, data minimisation) are not.

const std::vector<std::string> kAffected2025 = {"Organisation", "Service/establishment specific"};
const std::vector<std::string> kContracts2025 = {
    "Residential FPS", "SaILs DPS", "SEND FPS (Including Alternative Provision)", "Fostering FPS", "Off contract"};
const std::vector<std::string> kConcerns2025 = {"Safeguarding concern", "Quality concern",
                                                "Current criminal investigation", "Financial concern",
                                                "Inadequate inspection"};
const std::vector<std::string> kActions2025 = {
    "Ending placement(s)",     "Actively reviewing placement(s)",   "Suspending new referrals",
    "Action/Improvement plan", "No local action - Referral to PNW", "Other actions"};
const std::vector<std::string> kOutcomes2025 = {"Safeguarding concerns satisfactorily resolved",
                                                "Quality concerns satisfactorily resolved",
                                                "Criminal concerns satisfactorily resolved",
                                                "Financial concerns satisfactorily resolved",
                                                "Satisfactory progress against action plan",
                                                "Unable to find a resolution",
                                                "Closed by PNW due to no further concerns",
                                                "Resolved by PNW",
                                                "No longer inadequate"};

struct Form2025 {
  std::string agency = "Bolton Council";
  Cell officer = "Team Manager, Commissioning – commissioning.qa@bolton.gov.uk";
  std::string date_to_pnw = "03/02/2026";
  std::string review_date = "01/05/2026";
  std::string organisation = "Brookvale Care Ltd";
  std::string company_number = "10482736";
  std::string address = "Unit 4, Mill Brook Business Park, Bolton, BL9 9ZZ";
  std::string host_authority = "Bolton Council";
  std::string setting = "Brookvale House";
  std::string setting_ofsted_urn = "SC512848";
  std::string details = kDetails;
  std::string rescind_date;
  Cell rescind_officer = "";
  std::string additional_information;
  std::set<std::string> ticked = {
      "Service/establishment specific",  "Residential FPS",        "Safeguarding concern", "Quality concern",
      "Actively reviewing placement(s)", "Action/Improvement plan"};
  // Headings as the first, spanning row of each table instead of paragraphs above it.
  bool headings_in_tables = false;
};

// A table under its heading: a paragraph above it, or its own first row.
std::string section(const Form2025& form, const std::string& title, std::vector<Row> rows) {
  if (!form.headings_in_tables) return heading(title) + table(rows);
  int columns = 0;
  for (const auto& row : rows) {
    int width = 0;
    for (const auto& cell : row) width += cell.span;
    columns = std::max(columns, width);
  }
  rows.insert(rows.begin(), Row{Cell::raw(paragraphs(title), columns)});
  return table(rows);
}

std::string build_2025(const Form2025& f) {
  std::string body = heading(kTitle) + heading("SECTION A: Issuing ISP notification");
  body += section(f, "Issuing Local Authority",
                  {{"Local Authority issuing ISP", f.agency},
                   {"Officer name & email", f.officer},
                   {"Date ISP issued to Placements North West", f.date_to_pnw},
                   {"Date ISP to be reviewed by the issuing authority", f.review_date}});
  body += section(f, "Information about the service",
                  {{"Organisation Name", f.organisation},
                   {"Previous company name (if applicable)", ""},
                   {"Company number", f.company_number},
                   {"Address", f.address},
                   {"Host Authority", f.host_authority}});
  std::vector<Row> service = tick_rows(kAffected2025, f.ticked, 2, box);
  service.push_back({"Name of home/property/school (if applicable)", Cell::raw(paragraphs(f.setting), 3)});
  service.push_back({"Ofsted URN", Cell::raw(paragraphs(f.setting_ofsted_urn), 3)});
  service.push_back({"CQC URN (if applicable)", Cell::raw("<w:p/>", 3)});
  body += section(f, "Indicate if this ISP relates to the organisation as a whole or a specific service", service);
  body += section(f, "Contract affected by this ISP", tick_rows(kContracts2025, f.ticked, 2, box));
  body += section(f, "Local Authority concern", tick_rows(kConcerns2025, f.ticked, 2, box));
  body += section(f, "Action taken", tick_rows(kActions2025, f.ticked, 2, box));
  body += section(f, kDetailsHeading, {{f.details}});
  body += section(f, "Provider response to the ISP notification", {{""}});
  body += section(f, "SECTION B: Rescinding ISP",
                  {{"Date ISP rescinded", f.rescind_date}, {"Officer name & email", f.rescind_officer}});
  body += section(f, "Outcomes", tick_rows(kOutcomes2025, f.ticked, 2, box));
  body += section(f, "Additional information", {{f.additional_information}});
  return body + kGuidance;
}

// ---------------------------------------------------------------------------
// The pre-2022 form: before the 2022 review added Action/Improvement plan, No
// local action and the newer outcomes, and removed the Ofsted judgements. Its
// boxes and text fields are Word 97-2003 form fields.

const std::vector<std::string> kContractsPre2022 = {"Residential FPS", "SaILs DPS", "Fostering FPS", "Off contract"};
const std::vector<std::string> kConcernsPre2022 = {"Safeguarding concern", "Quality concern",
                                                   "Current criminal investigation", "Financial concern"};
const std::vector<std::string> kOfstedJudgements = {"Inadequate Key Inspection judgement received",
                                                    "Interim Inspection judgement received",
                                                    "Ofsted registration withdrawn"};
const std::vector<std::string> kActionsPre2022 = {"Ending placement(s)", "Actively reviewing placement(s)",
                                                  "Suspending new referrals"};
const std::vector<std::string> kOutcomesPre2022 = {
    "Safeguarding concerns satisfactorily resolved", "Quality concerns satisfactorily resolved",
    "Criminal concerns satisfactorily resolved", "Financial concerns satisfactorily resolved"};

std::string build_pre_2022(const std::set<std::string>& ticked) {
  std::string body = heading(kTitle) + heading("SECTION A: Issuing ISP notification");
  body += heading("Issuing Local Authority") +
          table({{"Local Authority issuing ISP", legacy_text("Bolton Council")},
                 {"Officer name & email", legacy_text("Team Manager, Commissioning (commissioning.qa@bolton.gov.uk)")},
                 {"Date ISP issued to Placements North West", legacy_text("03.02.2026")},
                 {"Date ISP to be reviewed by the issuing authority", legacy_text("1st May 2026")}});
  body += heading("Information about the service") +
          table({{"Organisation Name", legacy_text("Brookvale Care Ltd")},
                 {"Company number", legacy_text("10482736")},
                 {"Address", legacy_text("Unit 4, Mill Brook Business Park, Bolton, BL9 9ZZ")},
                 {"Host Authority", legacy_text("Bolton Council")}});
  std::vector<Row> service = tick_rows(kAffected2025, ticked, 1, legacy_box);
  service.push_back({"Name of home/property/school (if applicable)", legacy_text("Brookvale House")});
  service.push_back({"Ofsted URN", legacy_text("SC512848")});
  body += heading("Indicate if this ISP relates to the organisation as a whole or a specific service") + table(service);
  body += heading("Contract affected by this ISP") + table(tick_rows(kContractsPre2022, ticked, 1, legacy_box));
  body += heading("Local Authority concern") + table(tick_rows(kConcernsPre2022, ticked, 1, legacy_box));
  body += heading("Ofsted judgements") + table(tick_rows(kOfstedJudgements, ticked, 1, legacy_box));
  body += heading("Local Authority placement actions taken") + table(tick_rows(kActionsPre2022, ticked, 1, legacy_box));
  body += heading(kDetailsHeading) + table({{kDetails}});
  body += heading("Provider response to the ISP notification") + table({{""}});
  body += heading("SECTION B: Rescinding ISP") + table({{"Date ISP rescinded", ""}, {"Officer name & email", ""}});
  body += heading("Outcomes") + table(tick_rows(kOutcomesPre2022, ticked, 1, legacy_box));
  body += heading("Additional information") + table({{""}});
  return body + kGuidance;
}

const std::set<std::string> kTickedPre2022 = {"Service/establishment specific", "Residential FPS",
                                              "Safeguarding concern", "Quality concern",
                                              "Actively reviewing placement(s)"};

// ---------------------------------------------------------------------------
// Parsing and comparing.

json parse_body(const std::string& body) {
  auto result = parse_form(test::make_docx(body));
  if (!result.ok()) throw std::runtime_error("refused: " + result.error().message);
  return json::parse(to_json(result.value()).dump());
}

using test::same_json;

// The internal example's expected JSON, cut down to what an older form can say.
// Warnings are left out: an older form may rightly draw some.
json internal_example_as_older_form() {
  json expected = json::parse(test::read_file(test::data_path("forms/internal-new-notification.json")));
  expected.erase("warnings");
  expected["confidentiality"] = nullptr;
  expected["not_shared_justification"] = nullptr;
  expected["issuing_agency"]["officer_phone"] = nullptr;
  expected["issuing_agency"]["date_issued_to_provider"] = nullptr;
  expected["circulation"] = json::array();
  expected["provider"]["ofsted_urn"] = nullptr;
  expected["provider"]["associated_companies"] = nullptr;
  expected["service_types"] = json::array();
  expected["regulator_informed"] = nullptr;
  expected["other_agencies"] = nullptr;
  expected["data_minimisation_issuer"] = nullptr;
  return expected;
}

json without_warnings(json form) {
  form.erase("warnings");
  return form;
}

// ---------------------------------------------------------------------------
// Whole forms.

TEST(OlderForms, Form2025ReadsTheInternalExampleData) {
  const json expected = internal_example_as_older_form();
  EXPECT_TRUE(same_json(expected, without_warnings(parse_body(build_2025({})))));
}

TEST(OlderForms, Form2025WithHeadingsAsTableRowsReadsTheSame) {
  Form2025 form;
  form.headings_in_tables = true;
  EXPECT_TRUE(same_json(internal_example_as_older_form(), without_warnings(parse_body(build_2025(form)))));
}

TEST(OlderForms, FormPre2022ReadsTheInternalExampleData) {
  json expected = internal_example_as_older_form();
  // The pre-2022 form has no Action/Improvement plan box.
  expected["actions"] = json::array({"reviewing_placements"});
  EXPECT_TRUE(same_json(expected, without_warnings(parse_body(build_pre_2022(kTickedPre2022)))));
}

TEST(OlderForms, Form2025RescindSectionFillsRescind) {
  Form2025 form;
  form.rescind_date = "08/04/2026";
  form.rescind_officer = "Quality Assurance Lead – childrens.commissioning@salford.gov.uk";
  form.additional_information = "Monitoring inspection on 24/03/2026 found the home to be making good progress.";
  form.ticked.insert({"Quality concerns satisfactorily resolved", "Satisfactory progress against action plan",
                      "No longer inadequate"});
  const json parsed = parse_body(build_2025(form));
  const json expected_rescind = {
      {"date", "2026-04-08"},
      {"officer_name", "Quality Assurance Lead"},
      {"officer_email", "childrens.commissioning@salford.gov.uk"},
      {"outcomes", {"quality_resolved", "action_plan_progress", "no_longer_inadequate"}},
      {"outcome_explanation", nullptr},
      {"contractual_outcomes", json::array()},
      {"contractual_outcome_other", nullptr},
      {"placement_outcomes", json::array()},
      {"placement_outcome_other", nullptr},
      {"additional_information", "Monitoring inspection on 24/03/2026 found the home to be making good progress."},
      {"data_minimisation", nullptr}};
  EXPECT_EQ(parsed.at("stage"), "rescind");
  EXPECT_TRUE(same_json(expected_rescind, parsed.at("rescind")));
  // Section A's officer is not Section B's.
  EXPECT_EQ(parsed.at("issuing_agency").at("officer_name"), "Team Manager, Commissioning");
  EXPECT_EQ(parsed.at("issuing_agency").at("officer_email"), "commissioning.qa@bolton.gov.uk");
}

TEST(OlderForms, Form2025WithEmptySectionBHasNoRescind) {
  const json parsed = parse_body(build_2025({}));
  EXPECT_TRUE(parsed.at("rescind").is_null()) << parsed.at("rescind");
  EXPECT_EQ(parsed.at("stage"), "issue");
}

// ---------------------------------------------------------------------------
// "Officer name & email": one cell, a name or job title and an address.

struct OfficerCell {
  std::string name;
  Cell cell;
  json officer_name;
};

void PrintTo(const OfficerCell& c, std::ostream* os) { *os << c.name; }

class OfficerNameAndEmailTest : public ::testing::TestWithParam<OfficerCell> {};

TEST_P(OfficerNameAndEmailTest, SplitsNameFromAddress) {
  Form2025 form;
  form.officer = GetParam().cell;
  const json parsed = parse_body(build_2025(form));
  EXPECT_EQ(parsed.at("issuing_agency").at("officer_name"), GetParam().officer_name);
  EXPECT_EQ(parsed.at("issuing_agency").at("officer_email"), "qa.team@stockport.gov.uk");
}

TEST_P(OfficerNameAndEmailTest, SplitsNameFromAddressInSectionB) {
  Form2025 form;
  form.rescind_date = "08/04/2026";
  form.rescind_officer = GetParam().cell;
  const json parsed = parse_body(build_2025(form));
  ASSERT_TRUE(parsed.at("rescind").is_object()) << parsed.at("rescind");
  EXPECT_EQ(parsed.at("rescind").at("officer_name"), GetParam().officer_name);
  EXPECT_EQ(parsed.at("rescind").at("officer_email"), "qa.team@stockport.gov.uk");
}

const char* const kQa = "Quality Assurance Officer";

INSTANTIATE_TEST_SUITE_P(
    Cells, OfficerNameAndEmailTest,
    ::testing::Values(
        OfficerCell{"EnDash", "Quality Assurance Officer – qa.team@stockport.gov.uk", kQa},
        OfficerCell{"Hyphen", "Quality Assurance Officer - qa.team@stockport.gov.uk", kQa},
        OfficerCell{"TwoLines", "Quality Assurance Officer\nqa.team@stockport.gov.uk", kQa},
        OfficerCell{"Parentheses", "Quality Assurance Officer (qa.team@stockport.gov.uk)", kQa},
        OfficerCell{"Comma", "Quality Assurance Officer, qa.team@stockport.gov.uk", kQa},
        OfficerCell{"AddressFirst", "qa.team@stockport.gov.uk – Quality Assurance Officer", kQa},
        OfficerCell{"PersonsName", "Jane Smith – qa.team@stockport.gov.uk", "Jane Smith"},
        OfficerCell{"HyperlinkedAddress",
                    Cell::raw("<w:p>" + run("Quality Assurance Officer – ") +
                              R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">)"
                              R"( HYPERLINK "mailto:qa.team@stockport.gov.uk" </w:instrText></w:r><w:r>)"
                              R"(<w:fldChar w:fldCharType="separate"/></w:r>)" +
                              run("qa.team@stockport.gov.uk") + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)"),
                    kQa},
        OfficerCell{"AddressOnly", "qa.team@stockport.gov.uk", nullptr}),
    [](const ::testing::TestParamInfo<OfficerCell>& param_info) { return param_info.param.name; });

// ---------------------------------------------------------------------------
// Each older tick label, ticked alone, gives its 2026 key.

enum class Version { form_2025, pre_2022 };

struct TickCase {
  Version version;
  std::string label;
  std::string field;  // a top-level field, or "rescind/outcomes", "provider/affected"
  json expected;
};

void PrintTo(const TickCase& c, std::ostream* os) { *os << c.label << " -> " << c.field; }

json field_of(const json& form, const std::string& field) {
  const std::size_t slash = field.find('/');
  if (slash == std::string::npos) return form.at(field);
  const json& parent = form.at(field.substr(0, slash));
  return parent.is_null() ? json(nullptr) : parent.at(field.substr(slash + 1));
}

class OlderTickLabelTest : public ::testing::TestWithParam<TickCase> {};

TEST_P(OlderTickLabelTest, TickedAloneGivesItsKey) {
  const auto& c = GetParam();
  std::string body;
  if (c.version == Version::form_2025) {
    Form2025 form;
    form.ticked = {c.label};
    // Section B needs a date to exist whatever is ticked.
    form.rescind_date = "08/04/2026";
    body = build_2025(form);
  } else {
    body = build_pre_2022({c.label});
  }
  const json parsed = parse_body(body);
  EXPECT_EQ(field_of(parsed, c.field), c.expected) << "for \"" << c.label << "\"";
}

std::vector<TickCase> tick_cases() {
  using V = Version;
  const auto list = [](std::initializer_list<const char*> keys) {
    json a = json::array();
    for (const char* k : keys) a.push_back(k);
    return a;
  };
  return {
      {V::form_2025, "Organisation", "provider/affected", "whole_organisation"},
      {V::form_2025, "Service/establishment specific", "provider/affected", "setting_only"},
      {V::form_2025, "Residential FPS", "contracts", list({"residential_fps"})},
      {V::form_2025, "SaILs DPS", "contracts", list({"supported_accommodation_fps"})},
      {V::form_2025, "SEND FPS (Including Alternative Provision)", "contracts", list({"send_fps"})},
      {V::form_2025, "Fostering FPS", "contracts", list({"fostering_fps"})},
      {V::form_2025, "Off contract", "contracts", list({"off_contract"})},
      {V::form_2025, "Safeguarding concern", "concerns", list({"safeguarding"})},
      {V::form_2025, "Quality concern", "concerns", list({"quality"})},
      {V::form_2025, "Current criminal investigation", "concerns", list({"criminality"})},
      {V::form_2025, "Financial concern", "concerns", list({"financial"})},
      {V::form_2025, "Inadequate inspection", "concerns", list({"inspection_outcome"})},
      {V::form_2025, "Ending placement(s)", "actions", list({"ending_placements"})},
      {V::form_2025, "Actively reviewing placement(s)", "actions", list({"reviewing_placements"})},
      {V::form_2025, "Suspending new referrals", "actions", list({"suspending_referrals"})},
      {V::form_2025, "Action/Improvement plan", "actions", list({"action_plan"})},
      {V::form_2025, "No local action - Referral to PNW", "actions", list({"no_local_action"})},
      {V::form_2025, "Other actions", "actions", list({"other"})},
      {V::form_2025, "Safeguarding concerns satisfactorily resolved", "rescind/outcomes",
       list({"safeguarding_resolved"})},
      {V::form_2025, "Quality concerns satisfactorily resolved", "rescind/outcomes", list({"quality_resolved"})},
      {V::form_2025, "Criminal concerns satisfactorily resolved", "rescind/outcomes", list({"criminal_resolved"})},
      {V::form_2025, "Financial concerns satisfactorily resolved", "rescind/outcomes", list({"financial_resolved"})},
      {V::form_2025, "Satisfactory progress against action plan", "rescind/outcomes", list({"action_plan_progress"})},
      {V::form_2025, "Unable to find a resolution", "rescind/outcomes", list({"unresolved"})},
      {V::form_2025, "Closed by PNW due to no further concerns", "rescind/outcomes",
       list({"closed_no_further_concerns"})},
      {V::form_2025, "Resolved by PNW", "rescind/outcomes", list({"closed_no_further_concerns"})},
      {V::form_2025, "No longer inadequate", "rescind/outcomes", list({"no_longer_inadequate"})},
      {V::pre_2022, "Organisation", "provider/affected", "whole_organisation"},
      {V::pre_2022, "SaILs DPS", "contracts", list({"supported_accommodation_fps"})},
      {V::pre_2022, "Current criminal investigation", "concerns", list({"criminality"})},
      {V::pre_2022, "Inadequate Key Inspection judgement received", "concerns", list({"inspection_outcome"})},
      {V::pre_2022, "Interim Inspection judgement received", "concerns", list({"inspection_outcome"})},
      {V::pre_2022, "Ofsted registration withdrawn", "concerns", list({"inspection_outcome"})},
      {V::pre_2022, "Suspending new referrals", "actions", list({"suspending_referrals"})},
      {V::pre_2022, "Financial concerns satisfactorily resolved", "rescind/outcomes", list({"financial_resolved"})},
  };
}

INSTANTIATE_TEST_SUITE_P(Labels, OlderTickLabelTest, ::testing::ValuesIn(tick_cases()),
                         [](const ::testing::TestParamInfo<TickCase>& param_info) {
                           std::string name = param_info.param.version == Version::form_2025 ? "Form2025_" : "Pre2022_";
                           for (const char c : param_info.param.label) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

TEST(OlderForms, BothPnwOutcomesGiveOneKey) {
  Form2025 form;
  form.rescind_date = "08/04/2026";
  form.ticked = {"Closed by PNW due to no further concerns", "Resolved by PNW"};
  const json parsed = parse_body(build_2025(form));
  ASSERT_TRUE(parsed.at("rescind").is_object()) << parsed.at("rescind");
  EXPECT_EQ(parsed.at("rescind").at("outcomes"), json::array({"closed_no_further_concerns"}));
}

TEST(OlderForms, AllOfferedOfstedJudgementsGiveOneKey) {
  std::set<std::string> ticked(kOfstedJudgements.begin(), kOfstedJudgements.end());
  ticked.insert("Quality concern");
  const json parsed = parse_body(build_pre_2022(ticked));
  EXPECT_EQ(parsed.at("concerns"), json::array({"quality", "inspection_outcome"}));
}

TEST(OlderForms, EveryContractLabelOf2025InTheFormsOrder) {
  Form2025 form;
  form.ticked = std::set<std::string>(kContracts2025.begin(), kContracts2025.end());
  const json parsed = parse_body(build_2025(form));
  EXPECT_EQ(parsed.at("contracts"), json::array({"residential_fps", "supported_accommodation_fps", "send_fps",
                                                 "fostering_fps", "off_contract"}));
}

}  // namespace
}  // namespace ispd
