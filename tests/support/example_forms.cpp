#include "tests/support/example_forms.hpp"

#include <optional>
#include <stdexcept>

#include "tests/support/docx_builder.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::test {

Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

namespace {

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    throw std::runtime_error("the example form no longer holds " + from + " once");
  }
  text.replace(at, from.size(), to);
}

}  // namespace

std::string undated_example_docx(Date review) {
  auto entries = read_zip(read_file(data_path("forms/internal-new-notification.docx")));
  auto& document = entries.at("word/document.xml");
  // The circulation date's date picker, emptied: no value, no text.
  replace_once(document, "<w:date w:fullDate=\"2026-02-03T00:00:00Z\">", "<w:date>");
  replace_once(document, ">03/02/2026<", "><");
  const std::string iso = iso_date(review);
  replace_once(document, "w:fullDate=\"2026-05-01T00:00:00Z\"", "w:fullDate=\"" + iso + "T00:00:00Z\"");
  replace_once(document, ">01/05/2026<",
               ">" + iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + "<");
  return make_zip(entries);
}

Form complete_issue_form() {
  Form form;
  form.stage = Stage::issue;
  form.confidentiality = Confidentiality::internal;
  form.issuing_agency.agency = "Bolton Council";
  form.issuing_agency.officer_name = "Team Manager, Commissioning";
  form.issuing_agency.officer_email = "commissioning.qa@bolton.gov.uk";
  form.issuing_agency.officer_phone = "0161 496 0123";
  form.issuing_agency.date_issued_to_provider = ymd(2026, 2, 2);
  form.issuing_agency.date_sent_for_circulation = ymd(2026, 2, 3);
  form.issuing_agency.review_date = ymd(2026, 5, 1);
  form.circulation = {{"childrens_services", Scope::north_west, std::nullopt},
                      {"lado", Scope::north_west, std::nullopt},
                      {"safeguarding_unit", Scope::north_west, std::nullopt},
                      {"health", Scope::area, "NHS Greater Manchester ICB"}};
  form.provider.name = "Brookvale Care Ltd";
  form.provider.company_number = "10482736";
  form.provider.ofsted_urn = "SC512847";
  form.provider.associated_companies = "Brookvale Holdings Ltd (10482701)";
  form.provider.address = "Unit 4, Mill Brook Business Park, Bolton, BL9 9ZZ";
  form.provider.host_authority = "Bolton Council";
  form.provider.affected = Affected::setting_only;
  form.settings = {{"Brookvale House", "SC512848", std::nullopt}};
  form.service_types = {"residential"};
  form.contracts = {"residential_fps"};
  form.concerns = {"safeguarding", "quality"};
  form.regulator_informed =
      "Yes - Ofsted informed by the provider (Regulation 40 notification) and by the host authority.";
  form.other_agencies = "No";
  form.actions = {"reviewing_placements", "action_plan"};
  form.details =
      "Following a missing-from-home episode in January 2026 the host authority completed an unannounced "
      "visit on 27/01/2026.\nStaffing rotas showed the home operated below its registered staffing ratio on "
      "four nights; this is a proven fact confirmed by the provider.\nThe provider has submitted an "
      "improvement plan covering recruitment, night-time staffing and missing-from-home procedures. Progress "
      "will be reviewed fortnightly by the commissioning team.";
  form.data_minimisation_issuer = true;
  return form;
}

}  // namespace ispd::test
