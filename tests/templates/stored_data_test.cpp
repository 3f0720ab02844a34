// Mails already in an outbox, queued with the template data of an older ispd, render as they did then:
// tests/data/rendered/ holds each as it rendered before the mails' data had a schema.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "templates/render.hpp"
#include "tests/mail_data/stored_samples.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::templates {
namespace {

// A mail queued by an older ispd renders byte for byte as it did then.
TEST(TemplatesStoredData, RendersTheDataOfMailsAlreadyInTheOutboxAsBefore) {
  for (const auto& sample : test::kStoredSamples) {
    const std::string name(sample.name);
    SCOPED_TRACE(name);
    const auto out = render(sample.kind, nlohmann::json::parse(sample.json));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->text, test::read_file(test::data_path("rendered/" + name + ".txt")));
    EXPECT_EQ(out->html, test::read_file(test::data_path("rendered/" + name + ".html")));
  }
}

}  // namespace
}  // namespace ispd::templates
