// The keys a provider is matched by read the same provider written many ways.

#include <gtest/gtest.h>

#include "store/provider_keys.hpp"

namespace ispd::store {
namespace {

TEST(NormaliseProviderName, ReadsTheSameProviderWrittenManyWays) {
  const std::string key = normalise_provider_name("Sunrise Care Ltd");
  EXPECT_EQ(key, "sunrise care");
  for (const char* name : {"SUNRISE CARE LIMITED", "The Sunrise Care Ltd.", "Sunrise  Care", "sunrise-care ltd",
                           "  Sunrise Care (Ltd) "}) {
    EXPECT_EQ(normalise_provider_name(name), key) << name;
  }
  EXPECT_EQ(normalise_provider_name("Smith & Sons PLC"), normalise_provider_name("Smith and Sons"));
  EXPECT_EQ(normalise_provider_name("St John's Homes"), normalise_provider_name("St John\xE2\x80\x99s Homes"));
  EXPECT_EQ(normalise_provider_name("Crèche Ltd"), "crèche");
}

TEST(NormaliseProviderName, KeepsDifferentProvidersApart) {
  EXPECT_NE(normalise_provider_name("Sunrise Care"), normalise_provider_name("Sunset Care"));
  EXPECT_NE(normalise_provider_name("Limited Options Care"), normalise_provider_name("Options Care"));
  EXPECT_EQ(normalise_provider_name("Ltd"), "");
}

TEST(NormaliseCompanyNumber, PadsDigitsToEightAndDropsNonAnswers) {
  EXPECT_EQ(normalise_company_number("1234567"), "01234567");
  EXPECT_EQ(normalise_company_number("0123 4567"), "01234567");
  EXPECT_EQ(normalise_company_number("sc123456"), "SC123456");
  EXPECT_EQ(normalise_company_number("N/A"), "");
  EXPECT_EQ(normalise_company_number("unknown"), "");
  EXPECT_EQ(normalise_company_number(""), "");
}

TEST(NormaliseOfstedUrn, DropsTheLabelAndSpacing) {
  EXPECT_EQ(normalise_ofsted_urn("SC 123456"), "SC123456");
  EXPECT_EQ(normalise_ofsted_urn("URN: sc123456"), "SC123456");
  EXPECT_EQ(normalise_ofsted_urn("2654321"), "2654321");
  EXPECT_EQ(normalise_ofsted_urn("Not registered"), "");
}

TEST(ProviderKeys, ComeFromTheFormsProvider) {
  Provider provider;
  provider.name = "The Sunrise Care Ltd";
  provider.company_number = "1234567";
  EXPECT_EQ(provider_keys(provider), (ProviderKeys{"sunrise care", "01234567", ""}));
}

}  // namespace
}  // namespace ispd::store
