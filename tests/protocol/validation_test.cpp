#include "daemon/protocol/validation.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/example_forms.hpp"

namespace ispd::protocol {

// Readable failures: gtest finds these by argument-dependent lookup, so the name is gtest's.
void PrintTo(const Problem& problem, std::ostream* out) {  // NOLINT(readability-identifier-naming)
  *out << "{" << problem.section << ", \"" << problem.message << "\"}";
}
void PrintTo(const PersonalDataFinding& finding, std::ostream* out) {  // NOLINT(readability-identifier-naming)
  *out << "{" << static_cast<int>(finding.kind) << ", \"" << finding.masked << "\"}";
}

namespace {

const std::vector<std::string> kNoProblems;
const std::vector<PersonalData> kNothing;

::testing::AssertionResult contains_text(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << '"' << text << "\" does not contain \"" << part << '"';
}

using test::complete_issue_form;
using test::ymd;

// Masks are written with '*' here for readability; ispd shows U+2022 bullets.
std::string bullets(std::string_view pattern) {
  std::string out;
  for (const char c : pattern) {
    if (c == '*') {
      out += "\xE2\x80\xA2";
    } else {
      out += c;
    }
  }
  return out;
}

// tests/data/forms/restricted-criminality.json, by hand.
Form complete_restricted_form() {
  Form form = complete_issue_form();
  form.confidentiality = Confidentiality::restricted;
  form.not_shared_justification =
      "Greater Manchester Police have asked that the provider is not informed while the criminal "
      "investigation is at an early stage. To be reviewed at the multi-agency strategy meeting on "
      "17/03/2026, or sooner if police advise.";
  form.issuing_agency = {"Wigan Council",
                         "Service Manager, Placements and Commissioning",
                         "placements.commissioning@wigan.gov.uk",
                         "01632 960 412",
                         std::nullopt,
                         ymd(2026, 2, 10),
                         ymd(2026, 3, 17)};
  form.circulation = {{"childrens_services", Scope::national, std::nullopt},
                      {"lado", Scope::north_west, std::nullopt},
                      {"safeguarding_unit", Scope::north_west, std::nullopt},
                      {"adult_services", Scope::area, "Greater Manchester"},
                      {"police", Scope::north_west, std::nullopt}};
  form.provider = {"Kestrel Fold Supported Living Ltd",
                   "Kestrel Fold Housing Ltd",
                   "13950284",
                   "2790415",
                   std::nullopt,
                   "Kestrel Fold, 12 Canal Street, Wigan, WN9 9ZZ",
                   "Wigan Council",
                   Affected::whole_organisation};
  form.settings = {{"Kestrel Fold", "2790415", std::nullopt}};
  form.service_types = {"supported_accommodation"};
  form.contracts = {"supported_accommodation_fps"};
  form.concerns = {"safeguarding", "criminality"};
  form.regulator_informed = "Yes - Ofsted (supported accommodation regulation team)";
  form.other_agencies = "Greater Manchester Police - exploitation team";
  form.actions = {"police_investigation", "lado_or_pipot_referral", "suspending_referrals"};
  form.contractual_actions = {"temporary_suspension"};
  form.details =
      "Police are investigating allegations that young people placed at the setting were introduced to adults "
      "linked to exploitation. These are allegations under investigation, not proven facts.\nAll placing "
      "authorities with young people at the setting have been contacted and placements are being reviewed.";
  return form;
}

// tests/data/forms/rescind.json, by hand: a provider response and a rescind.
Form complete_rescind_form() {
  Form form = complete_issue_form();
  form.stage = Stage::rescind;
  form.issuing_agency = {"Salford City Council",
                         "Quality Assurance Lead, Children's Commissioning",
                         "childrens.commissioning@salford.gov.uk",
                         "0161 496 0771",
                         ymd(2026, 1, 12),
                         ymd(2026, 1, 14),
                         ymd(2026, 4, 10)};
  form.circulation = {{"childrens_services", Scope::north_west, std::nullopt},
                      {"safeguarding_unit", Scope::north_west, std::nullopt}};
  form.provider = {"Pennine Bridge Residential Services Ltd",
                   std::nullopt,
                   "11873920",
                   "SC498213",
                   std::nullopt,
                   "Pennine Bridge, 3 Weaver Lane, Salford, M99 9ZZ",
                   "Salford City Council",
                   Affected::setting_only};
  form.settings = {{"Weaver Lane", "SC498214", std::nullopt}};
  form.concerns = {"quality", "inspection_outcome"};
  form.regulator_informed = "Ofsted - inspection judged the home inadequate (report published 09/01/2026)";
  form.other_agencies = std::nullopt;
  form.actions = {"suspending_referrals", "action_plan"};
  form.contractual_actions = {"temporary_suspension"};
  form.details =
      "The home was judged inadequate at its full inspection. Referrals are suspended while the provider "
      "delivers its improvement plan, which is monitored monthly.";
  form.provider_response =
      "Registered Manager, Pennine Bridge Residential Services Ltd, 0161 496 0999. We accept the findings and "
      "have appointed an independent consultant to support the improvement plan.";
  form.data_minimisation_provider = true;
  Rescind rescind;
  rescind.date = ymd(2026, 4, 8);
  rescind.officer_name = "Quality Assurance Lead, Children's Commissioning";
  rescind.officer_email = "childrens.commissioning@salford.gov.uk";
  rescind.outcomes = {"quality_resolved", "action_plan_progress", "no_longer_inadequate"};
  rescind.contractual_outcomes = {"suspension_lifted"};
  rescind.placement_outcomes = {"referrals_reinstated"};
  rescind.additional_information = "Monitoring inspection on 24/03/2026 found the home to be making good progress.";
  rescind.data_minimisation = true;
  form.rescind = rescind;
  return form;
}

std::vector<std::string> messages(const Form& form, const CheckContext& context = {}) {
  std::vector<std::string> out;
  for (const auto& problem : check_form(form, context)) out.push_back(problem.message);
  return out;
}

// The one problem a single change caused; fails the test if there are more or none.
Problem only_problem(const Form& form, const CheckContext& context = {}) {
  const auto problems = check_form(form, context);
  EXPECT_EQ(problems.size(), 1u) << ::testing::PrintToString(messages(form, context));
  return problems.empty() ? Problem{} : problems.front();
}

// ---- The example forms ----

TEST(CheckForm, AcceptsCompleteIssueForm) { EXPECT_EQ(messages(complete_issue_form()), kNoProblems); }

TEST(CheckForm, AcceptsCompleteRestrictedForm) { EXPECT_EQ(messages(complete_restricted_form()), kNoProblems); }

TEST(CheckForm, AcceptsCompleteRescindFormWithProviderResponse) {
  CheckContext context;
  context.issuing_agency_on_record = "Salford City Council";
  EXPECT_EQ(messages(complete_rescind_form(), context), kNoProblems);
}

// ---- Section 1 ----

TEST(CheckForm, ReturnsFormWhenConfidentialityNotTicked) {
  Form form = complete_issue_form();
  form.confidentiality.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 1);
  EXPECT_EQ(problem.message,
            "Section 1: no confidentiality level is ticked; tick Restricted, Confidential or Internal.");
}

TEST(CheckForm, ReturnsRestrictedFormWithoutJustification) {
  Form form = complete_restricted_form();
  form.not_shared_justification.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 1);
  EXPECT_TRUE(contains_text(problem.message, "ticked Restricted, so it needs a justification"));
}

TEST(CheckForm, ReturnsConfidentialFormWithoutJustification) {
  Form form = complete_issue_form();
  form.confidentiality = Confidentiality::confidential;
  form.not_shared_justification = "   ";
  EXPECT_TRUE(contains_text(only_problem(form).message, "ticked Confidential, so it needs a justification"));
}

TEST(CheckForm, AcceptsConfidentialFormWithJustification) {
  Form form = complete_issue_form();
  form.confidentiality = Confidentiality::confidential;
  form.not_shared_justification = "Information is still being gathered; to be reviewed on 01/04/2026.";
  EXPECT_EQ(messages(form), kNoProblems);
}

// ---- Section 2 ----

TEST(CheckForm, ReturnsFormWhenAgencyMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.agency.reset();
  EXPECT_EQ(only_problem(form), (Problem{2, "Section 2: the agency issuing the ISP is missing."}));
}

TEST(CheckForm, ReturnsFormWhenOfficerNameMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.officer_name.reset();
  EXPECT_EQ(only_problem(form), (Problem{2, "Section 2: the officer's name is missing."}));
}

TEST(CheckForm, ReturnsFormWhenOfficerEmailMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.officer_email.reset();
  EXPECT_EQ(only_problem(form), (Problem{2, "Section 2: the officer's e-mail address is missing."}));
}

TEST(CheckForm, ReturnsFormWhenOfficerEmailIsNotAnAddress) {
  for (const char* bad :
       {"commissioning team", "qa@bolton", "qa@@bolton.gov.uk", "qa@bolton..gov.uk", "qa bolton.gov.uk",
        "@bolton.gov.uk", "qa@bolton.gov.uk, other@bolton.gov.uk", "qa@bolton.gov.u1"}) {
    Form form = complete_issue_form();
    form.issuing_agency.officer_email = bad;
    const auto problem = only_problem(form);
    EXPECT_EQ(problem.section, 2) << bad;
    EXPECT_TRUE(contains_text(problem.message, "does not look like an e-mail address")) << bad;
  }
}

TEST(CheckForm, AcceptsOfficerEmailWithSurroundingSpace) {
  Form form = complete_issue_form();
  form.issuing_agency.officer_email = " Jane.O'Brien+isp@bolton.gov.uk ";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWhenOfficerPhoneMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.officer_phone.reset();
  EXPECT_EQ(only_problem(form), (Problem{2, "Section 2: the officer's telephone number is missing."}));
}

TEST(CheckForm, ReturnsFormWhenReviewDateMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.review_date.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 2);
  EXPECT_TRUE(contains_text(problem.message, "the review date is missing or could not be read"));
}

TEST(CheckForm, ReturnsFormWhenReviewDateBeyondThreeMonths) {
  Form form = complete_issue_form();
  form.issuing_agency.date_sent_for_circulation = ymd(2026, 5, 1);
  form.issuing_agency.review_date = ymd(2026, 9, 12);
  EXPECT_EQ(only_problem(form).message,
            "Section 2: the review date 12/09/2026 is more than 3 months after the circulation date 01/05/2026; "
            "give a review date no later than 01/08/2026.");
}

TEST(CheckForm, AcceptsReviewDateExactlyThreeCalendarMonthsAfterCirculation) {
  Form form = complete_issue_form();
  form.issuing_agency.date_sent_for_circulation = ymd(2026, 2, 3);
  form.issuing_agency.review_date = ymd(2026, 5, 3);
  EXPECT_EQ(messages(form), kNoProblems);
  form.issuing_agency.review_date = ymd(2026, 5, 4);
  EXPECT_TRUE(contains_text(only_problem(form).message, "is more than 3 months after"));
}

TEST(CheckForm, ClampsReviewLimitToEndOfShortMonth) {
  Form form = complete_issue_form();
  form.issuing_agency.date_sent_for_circulation = ymd(2026, 11, 30);
  form.issuing_agency.review_date = ymd(2027, 2, 28);
  EXPECT_EQ(messages(form), kNoProblems);
  form.issuing_agency.review_date = ymd(2027, 3, 1);
  EXPECT_TRUE(contains_text(only_problem(form).message, "no later than 28/02/2027"));
}

TEST(CheckForm, MeasuresReviewDateFromReceiptWhenCirculationDateMissing) {
  Form form = complete_issue_form();
  form.issuing_agency.date_sent_for_circulation.reset();
  form.issuing_agency.review_date = ymd(2026, 9, 12);
  CheckContext context;
  context.received = ymd(2026, 5, 1);
  EXPECT_EQ(only_problem(form, context).message,
            "Section 2: the review date 12/09/2026 is more than 3 months after the date the form was received, "
            "01/05/2026; give a review date no later than 01/08/2026.");
  context.received = ymd(2026, 7, 1);
  EXPECT_EQ(messages(form, context), kNoProblems);
}

TEST(CheckForm, PrefersCirculationDateOverReceipt) {
  Form form = complete_issue_form();  // circulated 03/02/2026, review 01/05/2026
  CheckContext context;
  context.received = ymd(2026, 1, 1);
  EXPECT_EQ(messages(form, context), kNoProblems);
}

TEST(CheckForm, CannotMeasureReviewDateWithoutCirculationOrReceipt) {
  Form form = complete_issue_form();
  form.issuing_agency.date_sent_for_circulation.reset();
  form.issuing_agency.review_date = ymd(2030, 1, 1);
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWhenReviewDateBeforeCirculationDate) {
  Form form = complete_issue_form();
  form.issuing_agency.review_date = ymd(2026, 1, 31);
  EXPECT_EQ(only_problem(form).message,
            "Section 2: the review date 31/01/2026 is before the circulation date 03/02/2026; give a review "
            "date after it.");
}

TEST(CheckForm, UsesConfiguredReviewLimit) {
  Form form = complete_issue_form();  // circulated 03/02/2026, review 01/05/2026
  CheckContext context;
  context.max_review_months = 2;
  EXPECT_TRUE(contains_text(only_problem(form, context).message, "is more than 2 months after"));
  context.max_review_months = 1;
  EXPECT_TRUE(contains_text(only_problem(form, context).message, "is more than 1 month after"));
}

// ---- Section 3 ----

TEST(CheckForm, ReturnsFormWithNoCirculationTicked) {
  Form form = complete_issue_form();
  form.circulation.clear();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 3);
  EXPECT_TRUE(contains_text(problem.message, "no circulation is ticked"));
}

TEST(CheckForm, ReturnsFormWhenAreaTickedButNotNamed) {
  Form form = complete_issue_form();
  form.circulation[3].area.reset();
  EXPECT_EQ(only_problem(form).message,
            "Section 3: \"Specify area\" is ticked for Health but no area is named; write the area's name in "
            "that box.");
}

// ---- Sections 4 to 11 ----

TEST(CheckForm, ReturnsFormWhenProviderNameMissing) {
  Form form = complete_issue_form();
  form.provider.name.reset();
  EXPECT_EQ(only_problem(form), (Problem{4, "Section 4: the provider's organisation name is missing."}));
}

TEST(CheckForm, ReturnsFormWithNoServiceTypeTicked) {
  Form form = complete_issue_form();
  form.service_types.clear();
  EXPECT_EQ(only_problem(form), (Problem{6, "Section 6: no type of service is ticked; tick at least one."}));
}

TEST(CheckForm, ReturnsFormWhenOtherServiceTypeNotDescribed) {
  Form form = complete_issue_form();
  form.service_types.emplace_back("other");
  EXPECT_EQ(only_problem(form).section, 6);
  form.service_type_other = "Short breaks";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWhenOtherContractNotSpecified) {
  Form form = complete_issue_form();
  form.contracts.emplace_back("other");
  EXPECT_EQ(only_problem(form).section, 7);
  form.contract_other = "Spot purchase";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWithNoConcernTicked) {
  Form form = complete_issue_form();
  form.concerns.clear();
  EXPECT_EQ(only_problem(form), (Problem{8, "Section 8: no type of concern is ticked; tick at least one."}));
}

TEST(CheckForm, ReturnsFormWhenOtherConcernNotSpecified) {
  Form form = complete_issue_form();
  form.concerns = {"other"};
  EXPECT_EQ(only_problem(form).section, 8);
  form.concern_other = "Governance";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWhenOtherActionsNotSpecified) {
  Form form = complete_issue_form();
  form.actions.emplace_back("other");
  EXPECT_EQ(only_problem(form).section, 10);
  form.action_other = "Joint visit with Ofsted";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsFormWhenOtherContractualActionNotSpecified) {
  Form form = complete_issue_form();
  form.contractual_actions = {"other"};
  EXPECT_EQ(only_problem(form).section, 11);
  form.contractual_action_other = "Formal warning letter";
  EXPECT_EQ(messages(form), kNoProblems);
}

// ---- Sections 12 and 13 ----

TEST(CheckForm, ReturnsFormWhenDetailsMissing) {
  Form form = complete_issue_form();
  form.details.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 12);
  EXPECT_TRUE(contains_text(problem.message, "Section 12: the details are missing"));
}

TEST(CheckForm, ReturnsFormWhenDataMinimisationTickedNo) {
  Form form = complete_issue_form();
  form.data_minimisation_issuer = false;
  EXPECT_EQ(only_problem(form),
            (Problem{13,
                     "Section 13: you ticked No for data minimisation: remove any personal data of children "
                     "or named individuals and tick Yes."}));
}

TEST(CheckForm, ReturnsFormWhenDataMinimisationNotAnswered) {
  Form form = complete_issue_form();
  form.data_minimisation_issuer.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 13);
  EXPECT_TRUE(contains_text(problem.message, "not answered"));
}

// ---- Provider response ----

TEST(CheckForm, ReturnsProviderResponseWithoutDataMinimisationYes) {
  Form form = complete_issue_form();
  form.stage = Stage::provider_response;
  form.provider_response = "We accept the findings.";
  EXPECT_EQ(only_problem(form).section, 15);
  form.data_minimisation_provider = false;
  EXPECT_TRUE(contains_text(only_problem(form).message, "Section 15: you ticked No"));
  form.data_minimisation_provider = true;
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, IgnoresProviderDataMinimisationWithoutResponse) {
  Form form = complete_issue_form();
  form.data_minimisation_provider.reset();
  EXPECT_EQ(messages(form), kNoProblems);
}

// ---- Section B ----

TEST(CheckForm, ReturnsRescindWithoutDate) {
  Form form = complete_rescind_form();
  form.rescind->date.reset();
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 16);
  EXPECT_TRUE(contains_text(problem.message, "the date the ISP notification was rescinded is missing"));
}

TEST(CheckForm, ReturnsRescindWithoutOfficer) {
  Form form = complete_rescind_form();
  form.rescind->officer_name.reset();
  EXPECT_EQ(only_problem(form),
            (Problem{16, "Section 16: the name of the officer rescinding the notification is missing."}));
  form = complete_rescind_form();
  form.rescind->officer_email.reset();
  EXPECT_EQ(only_problem(form), (Problem{16, "Section 16: the rescinding officer's e-mail address is missing."}));
  form.rescind->officer_email = "Quality Assurance Lead";
  EXPECT_TRUE(contains_text(only_problem(form).message, "does not look like an e-mail address"));
}

TEST(CheckForm, ReturnsRescindWithoutOutcome) {
  Form form = complete_rescind_form();
  form.rescind->outcomes.clear();
  EXPECT_EQ(only_problem(form), (Problem{17, "Section 17: no outcome is ticked; tick at least one."}));
}

TEST(CheckForm, ReturnsUnresolvedOutcomeWithoutExplanation) {
  Form form = complete_rescind_form();
  form.rescind->outcomes = {"unresolved"};
  EXPECT_EQ(only_problem(form).section, 17);
  form.rescind->outcome_explanation = "The provider has closed the setting.";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsOtherContractualOutcomeWithoutText) {
  Form form = complete_rescind_form();
  form.rescind->contractual_outcomes.emplace_back("other");
  EXPECT_EQ(only_problem(form).section, 18);
  form.rescind->contractual_outcome_other = "New framework agreement";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsOtherPlacementOutcomeWithoutText) {
  Form form = complete_rescind_form();
  form.rescind->placement_outcomes.emplace_back("other");
  EXPECT_EQ(only_problem(form).section, 19);
  form.rescind->placement_outcome_other = "Step-down to foster care";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsRescindWithoutDataMinimisationYes) {
  Form form = complete_rescind_form();
  form.rescind->data_minimisation = false;
  EXPECT_TRUE(contains_text(only_problem(form).message, "Section 21: you ticked No"));
  form.rescind->data_minimisation.reset();
  EXPECT_TRUE(contains_text(only_problem(form).message, "Section 21: the data minimisation confirmation is not"));
}

TEST(CheckForm, ChecksSectionBWhenStageIsRescindButSectionBEmpty) {
  Form form = complete_issue_form();
  form.stage = Stage::rescind;
  std::vector<int> sections;
  for (const auto& problem : check_form(form)) sections.push_back(problem.section);
  EXPECT_EQ(sections, (std::vector<int>{16, 16, 16, 17, 21}));
}

TEST(CheckForm, ChecksSectionBWhenAnyOfItIsFilledIn) {
  Form form = complete_issue_form();
  form.rescind = Rescind{};
  form.rescind->additional_information = "Provider has improved.";
  form.rescind->data_minimisation = true;
  std::vector<int> sections;
  for (const auto& problem : check_form(form)) sections.push_back(problem.section);
  EXPECT_EQ(sections, (std::vector<int>{16, 16, 16, 17}));
}

TEST(CheckForm, IgnoresSectionBWithOnlyDataMinimisationTicked) {
  Form form = complete_issue_form();
  form.rescind = Rescind{};
  form.rescind->data_minimisation = true;
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, RefusesRescindFromAnotherAgency) {
  Form form = complete_rescind_form();
  CheckContext context;
  context.issuing_agency_on_record = "Bolton Council";
  EXPECT_EQ(only_problem(form, context),
            (Problem{16,
                     "Section B: a notification can only be rescinded by the agency that issued it (Bolton "
                     "Council), but this form is from Salford City Council."}));
}

TEST(CheckForm, MatchesIssuingAgencyIgnoringCaseAndSpacing) {
  Form form = complete_rescind_form();
  CheckContext context;
  context.issuing_agency_on_record = "  salford  CITY council ";
  EXPECT_EQ(messages(form, context), kNoProblems);
}

TEST(CheckForm, LeavesSectionBAloneOnIssueForms) {
  Form form = complete_issue_form();
  CheckContext context;
  context.issuing_agency_on_record = "Somewhere Else Council";
  EXPECT_EQ(messages(form, context), kNoProblems);
}

// ---- Personal data in the form's free text ----

TEST(CheckForm, ReturnsDetailsWithNhsNumber) {
  Form form = complete_issue_form();
  *form.details += " The young person's NHS number is 943 476 5919.";
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 12);
  EXPECT_EQ(problem.message, bullets("Section 12: the details seem to include an NHS number (*** *** *919); "
                                     "remove personal data of children or named individuals."));
  EXPECT_FALSE(contains_text(problem.message, "943"));
}

TEST(CheckForm, ReturnsDetailsWithNationalInsuranceNumber) {
  Form form = complete_issue_form();
  *form.details += " Staff member AB 12 34 56 C was suspended.";
  EXPECT_TRUE(contains_text(only_problem(form).message, bullets("a National Insurance number (** ** ** 56 C)")));
}

TEST(CheckForm, ReturnsDetailsWithDateOfBirth) {
  Form form = complete_issue_form();
  *form.details += " Child A (DOB 03/04/2012) went missing.";
  EXPECT_TRUE(contains_text(only_problem(form).message, bullets("a date of birth (**/**/*012)")));
}

TEST(CheckForm, ReturnsDetailsWithSomeoneElsesContactDetails) {
  Form form = complete_issue_form();
  *form.details += " Contact the social worker on 07700 900123 or jane.doe@gmail.com.";
  const auto found = messages(form);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_TRUE(contains_text(found[0], bullets("a telephone number (***** ***123)")));
  EXPECT_TRUE(contains_text(found[1], bullets("an e-mail address (j***@gmail.com)")));
}

TEST(CheckForm, ReturnsDetailsWithTeamMailbox) {
  Form form = complete_issue_form();
  *form.details += " Questions to placements@brookvale.co.uk.";
  EXPECT_TRUE(contains_text(only_problem(form).message, bullets("an e-mail address (p***@brookvale.co.uk)")));
}

TEST(CheckForm, AllowsIssuingOfficersOwnContactDetailsInDetails) {
  Form form = complete_issue_form();
  *form.details += " Contact Commissioning.QA@bolton.gov.uk or +44 (0)161 496 0123 for the plan.";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, AllowsContactDetailsInProviderResponseButNotChildData) {
  Form form = complete_rescind_form();
  *form.provider_response += " Email manager@pennine.example.co.uk or call 07700 900456.";
  EXPECT_EQ(messages(form), kNoProblems);
  *form.provider_response += " Resident born on 1st May 2010.";
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 14);
  EXPECT_TRUE(contains_text(problem.message, "Section 14: the provider response seems to include a date of birth"));
}

TEST(CheckForm, ReturnsAdditionalInformationWithPhoneNumber) {
  Form form = complete_rescind_form();
  *form.rescind->additional_information += " The family can be reached on 0161 496 0555.";
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 20);
  EXPECT_TRUE(contains_text(problem.message, bullets("the additional information seems to include a telephone "
                                                     "number (**** *** *555)")));
}

TEST(CheckForm, AllowsRescindingOfficersEmailInAdditionalInformation) {
  Form form = complete_rescind_form();
  form.rescind->officer_email = "qa.lead@salford.gov.uk";
  *form.rescind->additional_information += " Queries to qa.lead@salford.gov.uk.";
  EXPECT_EQ(messages(form), kNoProblems);
}

TEST(CheckForm, ReturnsJustificationWithDateOfBirth) {
  Form form = complete_restricted_form();
  *form.not_shared_justification += " The victim, born 3/4/2012, is known to police.";
  const auto problem = only_problem(form);
  EXPECT_EQ(problem.section, 1);
  EXPECT_TRUE(contains_text(problem.message, "the justification for not sharing seems to include a date of birth"));
}

TEST(CheckForm, ReturnsOtherConcernWithNhsNumber) {
  Form form = complete_issue_form();
  form.concerns.emplace_back("other");
  form.concern_other = "Medication errors for patient 9434765919";
  EXPECT_TRUE(contains_text(only_problem(form).message, "Section 8: the other concern seems to include an NHS number"));
}

// ---- Order and wording ----

TEST(CheckForm, ListsEveryProblemInSectionOrder) {
  Form form;  // nothing filled in at all
  form.stage = Stage::rescind;
  const auto problems = check_form(form);
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(std::is_sorted(problems.begin(), problems.end(),
                             [](const Problem& a, const Problem& b) { return a.section < b.section; }));
  std::vector<int> sections;
  for (const auto& problem : problems) {
    sections.push_back(problem.section);
    EXPECT_TRUE(problem.message.starts_with("Section " + std::to_string(problem.section) + ": ")) << problem.message;
    EXPECT_EQ(problem.message.back(), '.') << problem.message;
  }
  EXPECT_EQ(sections, (std::vector<int>{1, 2, 2, 2, 2, 2, 3, 4, 6, 8, 12, 13, 16, 16, 16, 17, 21}));
}

TEST(CheckForm, QuotesOnlyTheStartOfAnOverlongOfficerEmail) {
  Form form = complete_issue_form();
  form.issuing_agency.officer_email = std::string(500, 'x');
  const auto message = only_problem(form).message;
  EXPECT_LT(message.size(), 250u);
  EXPECT_TRUE(contains_text(message, "...\""));
}

// ---- find_personal_data ----

std::vector<PersonalData> kinds(std::string_view text, const KnownContacts& known = {}) {
  std::vector<PersonalData> out;
  for (const auto& finding : find_personal_data(text, known)) out.push_back(finding.kind);
  return out;
}

TEST(FindPersonalData, FindsNhsNumbersWithValidCheckDigit) {
  EXPECT_EQ(find_personal_data("NHS 943 476 5919"),
            (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::nhs_number, bullets("*** *** *919")}}));
  EXPECT_EQ(find_personal_data("NHS no. 943-476-5919."),
            (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::nhs_number, bullets("***-***-*919")}}));
  EXPECT_EQ(find_personal_data("(9434765919)"),
            (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::nhs_number, bullets("*******919")}}));
  EXPECT_EQ(kinds("NHS\xC2\xA0"
                  "943\xC2\xA0"
                  "476\xC2\xA0"
                  "5919"),
            (std::vector<PersonalData>{PersonalData::nhs_number}));
}

TEST(FindPersonalData, IgnoresTenDigitsWithWrongCheckDigit) {
  EXPECT_EQ(kinds("943 476 5918"), kNothing);
  EXPECT_EQ(kinds("9434765910"), kNothing);
  // 1000000010: the weighted sum gives a check digit of 10, which is never issued.
  EXPECT_EQ(kinds("1000000010"), kNothing);
  EXPECT_EQ(kinds("1000000019"), kNothing);
  EXPECT_EQ(kinds("94347659190"), kNothing);  // eleven digits
}

TEST(FindPersonalData, FindsNationalInsuranceNumbers) {
  EXPECT_EQ(find_personal_data("NI: AB123456C"), (std::vector<PersonalDataFinding>{PersonalDataFinding{
                                                     PersonalData::national_insurance_number, bullets("******56C")}}));
  EXPECT_EQ(kinds("NI AB 12 34 56 C"), (std::vector<PersonalData>{PersonalData::national_insurance_number}));
  EXPECT_EQ(kinds("ni ab123456d"), (std::vector<PersonalData>{PersonalData::national_insurance_number}));
  EXPECT_EQ(kinds("JT 123456 A"), (std::vector<PersonalData>{PersonalData::national_insurance_number}));
}

TEST(FindPersonalData, IgnoresPrefixesHmrcNeverIssues) {
  for (const char* text :
       {"QQ 12 34 56 C", "DA123456A", "FA123456A", "IA123456A", "UA123456A", "VA123456A", "AO123456A", "AD123456A",
        "BG123456A", "GB123456A", "NK123456A", "KN123456A", "TN123456A", "NT123456A", "ZZ123456A"}) {
    EXPECT_EQ(kinds(text), kNothing) << text;
  }
}

TEST(FindPersonalData, IgnoresNiLookalikes) {
  EXPECT_EQ(kinds("AB123456E"), kNothing);  // suffix beyond D
  EXPECT_EQ(kinds("AB123456"), kNothing);   // no suffix
  EXPECT_EQ(kinds("SC512847"), kNothing);   // an Ofsted URN
  EXPECT_EQ(kinds("paid at 123456 a week"), kNothing);
  EXPECT_EQ(kinds("XAB123456C"), kNothing);
}

TEST(FindPersonalData, FindsDatesOfBirthAfterACue) {
  for (const char* text : {"DOB 03/04/2012", "D.O.B.: 3 April 2012", "d.o.b 03.04.12", "(DoB: 03-04-2012)",
                           "date of birth 03/04/2012", "Date of Birth - 3rd April 2012", "born on 3rd April 2012",
                           "born 3/4/2012", "was born on Tuesday 3 April 2012 in Bolton"}) {
    EXPECT_EQ(kinds(text), (std::vector<PersonalData>{PersonalData::date_of_birth})) << text;
  }
  EXPECT_EQ(
      find_personal_data("DOB 03/04/2012, placed 2024"),
      (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::date_of_birth, bullets("**/**/*012")}}));
}

TEST(FindPersonalData, IgnoresDatesWithoutACue) {
  EXPECT_EQ(kinds("An unannounced visit on 27/01/2026 and a review on 1 February 2026."), kNothing);
  EXPECT_EQ(kinds("Mr Osborne 03/04/2012"), kNothing);
  EXPECT_EQ(kinds("Dates of birth were not recorded by the provider."), kNothing);
  EXPECT_EQ(kinds("The newborn unit 03/04/2012"), kNothing);
  EXPECT_EQ(kinds("DOB unknown; visit 03/04/2026"), kNothing);
}

TEST(FindPersonalData, FindsEmailAddressesMaskingTheLocalPart) {
  EXPECT_EQ(
      find_personal_data("write to 'jane.doe@gmail.com'."),
      (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::email_address, bullets("j***@gmail.com")}}));
  EXPECT_EQ(kinds("team@provider.co.uk and Mark@Provider.co.uk"),
            (std::vector<PersonalData>{PersonalData::email_address, PersonalData::email_address}));
  EXPECT_EQ(kinds("an @ sign, user@localhost, @bolton.gov.uk"), kNothing);
}

TEST(FindPersonalData, SkipsKnownEmailAddressesIgnoringCase) {
  KnownContacts known;
  known.emails = {"Commissioning.QA@bolton.gov.uk"};
  EXPECT_EQ(kinds("mail commissioning.qa@BOLTON.gov.uk", known), kNothing);
  EXPECT_EQ(kinds("mail other.qa@bolton.gov.uk", known), (std::vector<PersonalData>{PersonalData::email_address}));
}

TEST(FindPersonalData, FindsUkPhoneNumbers) {
  for (const char* text : {"call 0161 496 0123", "call 01614960123", "call 0161-496-0123", "call (0161) 496 0123",
                           "call 07700 900123", "call +44 7700 900123", "call +44 (0)161 496 0123",
                           "call +447700900123", "call 020 7946 0018", "call 0800 123 456", "tel:07700900123"}) {
    EXPECT_EQ(kinds(text), (std::vector<PersonalData>{PersonalData::phone_number})) << text;
  }
  EXPECT_EQ(
      find_personal_data("mobile 07700 900123."),
      (std::vector<PersonalDataFinding>{PersonalDataFinding{PersonalData::phone_number, bullets("***** ***123")}}));
}

TEST(FindPersonalData, FindsTwoPhoneNumbersWrittenTogether) {
  EXPECT_EQ(kinds("07700 900123 0161 496 0555"),
            (std::vector<PersonalData>{PersonalData::phone_number, PersonalData::phone_number}));
}

TEST(FindPersonalData, IgnoresNumbersThatAreNotPhoneNumbers) {
  for (const char* text :
       {"company number 10482736", "company 04827361", "URN SC512847", "URN 2790415", "visit on 27/01/2026",
        "visit on 01-02-2026 and 01-03-2026", "in 2025 2026 2027", "0161 496", "012345678901", "ref 0161496012X",
        "£0.50 per item", "between 01-02-2026 01-03-2026", "00 44 161 496 0123"}) {
    EXPECT_EQ(kinds(text), kNothing) << text;
  }
}

TEST(FindPersonalData, SkipsTheOfficersPhoneHoweverWritten) {
  KnownContacts known;
  known.phones = {"0161 496 0123 (ext. 45)"};
  EXPECT_EQ(kinds("ring 01614960123 or +44 161 496 0123", known), kNothing);
  EXPECT_EQ(kinds("ring 0161 496 0124", known), (std::vector<PersonalData>{PersonalData::phone_number}));
}

TEST(FindPersonalData, SkipsTheOfficersPhoneEvenWhenItPassesTheNhsCheck) {
  KnownContacts known;
  known.phones = {"0100000002"};
  EXPECT_EQ(kinds("0100000002"), (std::vector<PersonalData>{PersonalData::nhs_number}));
  EXPECT_EQ(kinds("ring 0100000002", known), kNothing);
}

TEST(FindPersonalData, ReportsEachValueOnceInOrder) {
  EXPECT_EQ(kinds("DOB 03/04/2012; 943 476 5919; again 9434765919; DOB 03/04/2012; AB123456C"),
            (std::vector<PersonalData>{PersonalData::date_of_birth, PersonalData::nhs_number,
                                       PersonalData::national_insurance_number}));
}

TEST(FindPersonalData, NeverShowsMoreThanTheLastThreeCharacters) {
  const std::string text = "943 476 5919, AB 12 34 56 C, DOB 3 April 2012, 07700 900123";
  for (const auto& finding : find_personal_data(text)) {
    std::string visible;
    for (const char c : finding.masked) {
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) visible += c;
    }
    EXPECT_EQ(visible.size(), 3u) << finding.masked;
  }
  EXPECT_EQ(find_personal_data(text).size(), 4u);
}

TEST(FindPersonalData, BoundsTheNumberOfFindings) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "user" + std::to_string(i) + "@example.com ";
  EXPECT_EQ(find_personal_data(text).size(), 20u);
}

TEST(FindPersonalData, CopesWithHostileText) {
  EXPECT_EQ(kinds(""), kNothing);
  EXPECT_EQ(kinds(std::string(10000, '@')), kNothing);
  EXPECT_EQ(kinds(std::string(10000, '0')), kNothing);
  std::string spaced_zeros;
  for (int i = 0; i < 100000; ++i) spaced_zeros += "0 ";
  EXPECT_EQ(kinds(spaced_zeros), kNothing);
  EXPECT_EQ(kinds(std::string(10000, ' ') + "born"), kNothing);
  EXPECT_EQ(kinds("DOB"), kNothing);
  EXPECT_EQ(kinds("+44"), kNothing);
  EXPECT_EQ(kinds("AB 12 34 56"), kNothing);
  EXPECT_EQ(kinds("\xE2\x80"), kNothing);
}

}  // namespace
}  // namespace ispd::protocol
