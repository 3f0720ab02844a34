// form_from_json is the inverse of to_json, and says which member is wrong.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parsing/form_json.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

using Json = nlohmann::json;

Form full_form() {
  Form form;
  form.stage = Stage::rescind;
  form.confidentiality = Confidentiality::restricted;
  form.not_shared_justification = "Police investigation";
  form.issuing_agency = {"Bolton Council",
                         "A Officer",
                         "a.officer@bolton.gov.uk",
                         "01204 000000",
                         std::chrono::year{2026} / 1 / 30,
                         std::chrono::year{2026} / 2 / 1,
                         std::chrono::year{2026} / 5 / 1};
  form.circulation = {{"childrens_services", Scope::north_west, std::nullopt},
                      {"police", Scope::area, "Greater Manchester"}};
  form.provider = {"Sunrise Care Ltd", "Dawn Care Ltd",         "01234567", "SC123456",
                   "Sunrise Holdings", "1 High Street\nBolton", "Bolton",   Affected::setting_only};
  form.settings = {{"Sunrise House", "SC654321", std::nullopt}, {"Moon House", std::nullopt, "1-234"}};
  form.service_types = {"residential", "other"};
  form.service_type_other = "Respite";
  form.contracts = {"residential_fps"};
  form.concerns = {"safeguarding", "criminality"};
  form.regulator_informed = "Yes, Ofsted on 1/2/2026";
  form.actions = {"police_investigation", "suspending_referrals"};
  form.contractual_actions = {"temporary_suspension"};
  form.details = "Line one\nLine two";
  form.data_minimisation_issuer = true;
  form.provider_response = "We disagree.";
  form.data_minimisation_provider = false;
  Rescind rescind;
  rescind.date = std::chrono::year{2026} / 4 / 20;
  rescind.officer_name = "A Officer";
  rescind.outcomes = {"safeguarding_resolved"};
  rescind.contractual_outcomes = {"suspension_lifted"};
  rescind.placement_outcomes = {"referrals_reinstated"};
  rescind.data_minimisation = true;
  form.rescind = rescind;
  form.warnings = {"Could not read the date \"31/02/2026\""};
  return form;
}

TEST(FormFromJson, IsTheInverseOfToJson) {
  const Form form = full_form();
  const auto read = form_from_json(Json(to_json(form)));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, form);
  const auto from_text = form_from_json_text(to_json(form).dump());
  ASSERT_TRUE(from_text.ok()) << from_text.error().message;
  EXPECT_EQ(*from_text, form);
  const auto empty = form_from_json(Json(to_json(Form{})));
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(*empty, Form{});
}

class ExampleJson : public testing::TestWithParam<std::string> {};

TEST_P(ExampleJson, ReadsBackToTheSameJson) {
  const auto text = test::read_file(test::data_path("forms/" + GetParam() + ".json"));
  const auto form = form_from_json_text(text);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(Json(to_json(*form)), Json::parse(text));
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleJson,
                         testing::Values("internal-new-notification", "restricted-criminality", "rescind"));

// The message for `json` with one member replaced.
std::string problem_with(const char* pointer, const Json& value) {
  Json json = to_json(full_form());
  json[Json::json_pointer(pointer)] = value;
  const auto read = form_from_json(json);
  return read.ok() ? "read without complaint" : read.error().message;
}

TEST(FormFromJson, NamesTheMemberThatIsWrong) {
  EXPECT_EQ(problem_with("/provider/affected", "partly"),
            "provider.affected: \"partly\" is not one of whole_organisation, setting_only");
  EXPECT_EQ(problem_with("/issuing_agency/review_date", "01/05/2026"),
            "issuing_agency.review_date: \"01/05/2026\" is not a date written YYYY-MM-DD");
  EXPECT_EQ(problem_with("/issuing_agency/review_date", "2026-02-30"),
            "issuing_agency.review_date: \"2026-02-30\" is not a date written YYYY-MM-DD");
  EXPECT_EQ(problem_with("/details", 42), "details: expected text or null");
  EXPECT_EQ(problem_with("/data_minimisation_issuer", "Yes"), "data_minimisation_issuer: expected true, false or null");
  EXPECT_EQ(problem_with("/concerns/1", "arson"), "concerns[1]: \"arson\" is not a known key");
  EXPECT_EQ(problem_with("/circulation/1/audience", "everyone"),
            "circulation[1].audience: expected one of the audiences");
  EXPECT_EQ(problem_with("/rescind/outcomes", "safeguarding_resolved"), "rescind.outcomes: expected a list");
  EXPECT_EQ(problem_with("/stage", "draft"), "stage: \"draft\" is not one of issue, provider_response, rescind");
  EXPECT_EQ(problem_with("/schema", "isp-notification/2019"), "schema: expected \"isp-notification/2026\"");
  EXPECT_EQ(problem_with("/provider/colour", "blue"), "provider: unknown member \"colour\"");
  EXPECT_EQ(problem_with("/settings/0", Json::array()), "settings[0]: expected an object");
}

TEST(FormFromJson, ReadsMissingMembersAsEmpty) {
  const auto read = form_from_json(Json{{"schema", "isp-notification/2026"}, {"stage", "issue"}});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, Form{});
}

TEST(FormFromJson, RefusesWhatIsNotAForm) {
  EXPECT_EQ(form_from_json_text("{not json").error().message, "the form is not valid JSON");
  EXPECT_EQ(form_from_json(Json::array()).error().message, "the form: expected an object");
  EXPECT_EQ(form_from_json(Json{{"schema", "isp-notification/2026"}}).error().message, "stage: missing");
}

}  // namespace
}  // namespace ispd
