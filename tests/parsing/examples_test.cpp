// The example forms councils send give exactly their expected JSON.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parsing/parse.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

class ExampleForm : public testing::TestWithParam<std::string> {};

TEST_P(ExampleForm, ParsesToItsExpectedJson) {
  const std::string bytes = test::read_file(test::data_path("forms/" + GetParam() + ".docx"));
  const auto expected = nlohmann::json::parse(test::read_file(test::data_path("forms/" + GetParam() + ".json")));
  const auto form = parse_form(bytes);
  ASSERT_TRUE(form.ok()) << form.error().message;
  const nlohmann::json got = nlohmann::json::parse(to_json(*form).dump());
  EXPECT_EQ(got, expected) << "diff (got -> expected):\n" << nlohmann::json::diff(got, expected).dump(2);
}

TEST_P(ExampleForm, PrintsKeysInTheSchemaOrder) {
  const std::string bytes = test::read_file(test::data_path("forms/" + GetParam() + ".docx"));
  const std::string expected = test::read_file(test::data_path("forms/" + GetParam() + ".json"));
  const auto form = parse_form(bytes);
  ASSERT_TRUE(form.ok()) << form.error().message;
  // Same text as the expected file once both are printed the same way.
  EXPECT_EQ(to_json(*form).dump(2), nlohmann::ordered_json::parse(expected).dump(2));
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleForm,
                         testing::Values("internal-new-notification", "restricted-criminality", "rescind"));

TEST(BlankForm, ParsesToAnEmptyIssue) {
  const auto form = parse_form(test::read_file(test::data_path("forms/blank-2026.docx")));
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->stage, Stage::issue);
  EXPECT_FALSE(form->confidentiality);
  EXPECT_FALSE(form->issuing_agency.agency);
  EXPECT_FALSE(form->issuing_agency.review_date);
  EXPECT_TRUE(form->circulation.empty());
  EXPECT_FALSE(form->provider.name);
  EXPECT_TRUE(form->settings.empty());
  EXPECT_TRUE(form->service_types.empty());
  EXPECT_TRUE(form->concerns.empty());
  EXPECT_FALSE(form->details);
  EXPECT_FALSE(form->data_minimisation_issuer);
  EXPECT_FALSE(form->rescind);
  EXPECT_TRUE(form->warnings.empty());
}

}  // namespace
}  // namespace ispd
