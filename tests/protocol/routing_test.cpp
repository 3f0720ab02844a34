#include "daemon/protocol/routing.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace ispd::protocol {

// Readable failures: gtest finds this by argument-dependent lookup, so the name is gtest's.
void PrintTo(const DroppedChoice& choice, std::ostream* out) {  // NOLINT(readability-identifier-naming)
  *out << "{" << choice.audience << ", " << choice.scope << ", \"" << choice.reason << "\"}";
}

namespace {

using Strings = std::vector<std::string>;
using Choices = std::vector<DroppedChoice>;

constexpr auto kRestricted = Confidentiality::restricted;
constexpr auto kConfidential = Confidentiality::confidential;
constexpr auto kInternal = Confidentiality::internal;

Form form_with(std::optional<Confidentiality> confidentiality, std::vector<CirculationChoice> circulation) {
  Form form;
  form.confidentiality = confidentiality;
  form.circulation = std::move(circulation);
  return form;
}

CirculationChoice north_west(std::string audience) { return {std::move(audience), Scope::north_west, std::nullopt}; }
CirculationChoice national(std::string audience) { return {std::move(audience), Scope::national, std::nullopt}; }
CirculationChoice area(std::string audience, Text name) { return {std::move(audience), Scope::area, std::move(name)}; }

// Every audience at North West and national scope, a Greater Manchester health
// list, and the partners list of the monthly spreadsheet.
std::vector<CirculationList> region() {
  return {
      {"childrens_services", "north_west", {"cs@bolton.gov.uk", "cs@manchester.gov.uk"}},
      {"childrens_services", "national", {"isp@camden.gov.uk"}},
      {"lado", "north_west", {"lado@bolton.gov.uk"}},
      {"lado", "national", {"lado@leeds.gov.uk"}},
      {"safeguarding_unit", "north_west", {"safeguarding@wigan.gov.uk"}},
      {"safeguarding_unit", "national", {"safeguarding@kent.gov.uk"}},
      {"health", "north_west", {"isp@nhs.net"}},
      {"health", "national", {"isp@england.nhs.uk"}},
      {"health", "area:Greater Manchester", {"gm.icb@nhs.net"}},
      {"adult_services", "north_west", {"adults@salford.gov.uk"}},
      {"adult_services", "national", {"adults@york.gov.uk"}},
      {"police", "north_west", {"isp@gmp.police.uk"}},
      {"police", "national", {"isp@npcc.police.uk"}},
      {"schools", "north_west", {"ap@stockport.gov.uk"}},
      {"schools", "national", {"ap@dfe.gov.uk"}},
      {"partners", "north_west", {"spreadsheet@nwadcs.org.uk"}},
  };
}

TEST(Routing, SelectsTheListOfEachTickedPair) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {north_west("childrens_services"), north_west("lado")}), lists);
  EXPECT_EQ(c.lists, (Strings{"childrens_services/north_west", "lado/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"cs@bolton.gov.uk", "cs@manchester.gov.uk", "lado@bolton.gov.uk"}));
  EXPECT_EQ(c.dropped, Choices{});
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, NationalSelectsTheNationalAndNorthWestLists) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {national("police")}), lists);
  EXPECT_EQ(c.lists, (Strings{"police/national", "police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@npcc.police.uk", "isp@gmp.police.uk"}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, AreaSelectsTheAreaList) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {area("health", "Greater Manchester")}), lists);
  EXPECT_EQ(c.lists, (Strings{"health/area:Greater Manchester"}));
  EXPECT_EQ(c.recipients, (Strings{"gm.icb@nhs.net"}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, AreaNamesMatchIgnoringCaseSurroundingSpacesHyphensAndUnderscores) {
  const std::vector<CirculationList> lists = {{"health", "area:greater-manchester", {"gm.icb@nhs.net"}}};
  for (const char* name : {"Greater Manchester", "  GREATER MANCHESTER ", "greater_manchester", "Greater - Manchester",
                           "greater\nmanchester"}) {
    const Circulation c = route(form_with(kInternal, {area("health", name)}), lists);
    EXPECT_EQ(c.lists, (Strings{"health/area:greater-manchester"})) << name;
    EXPECT_EQ(c.recipients, (Strings{"gm.icb@nhs.net"})) << name;
    EXPECT_EQ(c.by_hand, Choices{}) << name;
  }
}

TEST(Routing, AreaNameMustMatchWholly) {
  const std::vector<CirculationList> lists = {{"health", "area:Manchester", {"manchester.icb@nhs.net"}}};
  const Circulation c = route(form_with(kInternal, {area("health", "Greater Manchester")}), lists);
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.by_hand.size(), 1U);
}

TEST(Routing, AreaWithNoListGoesToByHand) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {area("health", " Cumbria ")}), lists);
  EXPECT_EQ(c.lists, Strings{});
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.by_hand,
            (Choices{{"health", "area:Cumbria", "no list is configured for health for the area \"Cumbria\""}}));
  EXPECT_EQ(c.dropped, Choices{});
}

TEST(Routing, AreaWithNoNameGoesToByHand) {
  const auto lists = region();
  for (const Text& name : {Text{}, Text{"   "}}) {
    const Circulation c = route(form_with(kInternal, {area("health", name)}), lists);
    EXPECT_EQ(c.recipients, Strings{});
    EXPECT_EQ(c.by_hand, (Choices{{"health", "area", "\"Specify area\" is ticked for health but no area is named"}}));
  }
}

TEST(Routing, PairWithNoListGoesToByHandSayingWhich) {
  const std::vector<CirculationList> lists = {{"police", "north_west", {"isp@gmp.police.uk"}}};
  const Circulation c = route(form_with(kInternal, {national("police")}), lists);
  EXPECT_EQ(c.lists, (Strings{"police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@gmp.police.uk"}));
  EXPECT_EQ(c.by_hand, (Choices{{"police", "national", "no list is configured for police at national scope"}}));
}

TEST(Routing, NorthWestPairWithNoListGoesToByHand) {
  const Circulation c = route(form_with(kInternal, {north_west("childrens_services")}), {});
  EXPECT_EQ(c.lists, Strings{});
  EXPECT_EQ(c.by_hand, (Choices{{"childrens_services", "north_west",
                                 "no list is configured for children's services at North West scope"}}));
}

TEST(Routing, SameAudienceAtTwoScopesUsesEachListOnce) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {north_west("lado"), national("lado")}), lists);
  EXPECT_EQ(c.lists, (Strings{"lado/north_west", "lado/national"}));
  EXPECT_EQ(c.recipients, (Strings{"lado@bolton.gov.uk", "lado@leeds.gov.uk"}));
}

TEST(Routing, SameMissingPairIsAskedForByHandOnce) {
  const Circulation c = route(form_with(kInternal, {north_west("police"), national("police")}), {});
  EXPECT_EQ(c.by_hand, (Choices{{"police", "north_west", "no list is configured for police at North West scope"},
                                {"police", "national", "no list is configured for police at national scope"}}));
}

TEST(Routing, MemberOnThreeListsAppearsOnceWithItsFirstSpelling) {
  const std::vector<CirculationList> lists = {
      {"childrens_services", "north_west", {"Isp.Team@Bolton.gov.uk", "cs@manchester.gov.uk"}},
      {"lado", "north_west", {"lado@bolton.gov.uk", "isp.team@bolton.gov.uk"}},
      {"police", "north_west", {"ISP.TEAM@BOLTON.GOV.UK", "isp@gmp.police.uk", "CS@manchester.gov.uk"}},
  };
  const Circulation c =
      route(form_with(kInternal, {north_west("childrens_services"), north_west("lado"), north_west("police")}), lists);
  EXPECT_EQ(c.lists, (Strings{"childrens_services/north_west", "lado/north_west", "police/north_west"}));
  EXPECT_EQ(c.recipients,
            (Strings{"Isp.Team@Bolton.gov.uk", "cs@manchester.gov.uk", "lado@bolton.gov.uk", "isp@gmp.police.uk"}));
}

TEST(Routing, TwoListsForOnePairAreBothUsedAndNamedOnce) {
  const std::vector<CirculationList> lists = {
      {"police", "north_west", {"isp@gmp.police.uk"}},
      {"police", "north_west", {"isp@lancashire.police.uk"}},
  };
  const Circulation c = route(form_with(kInternal, {north_west("police")}), lists);
  EXPECT_EQ(c.lists, (Strings{"police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@gmp.police.uk", "isp@lancashire.police.uk"}));
}

TEST(Routing, RestrictedNarrowsNationalPoliceToNorthWest) {
  const auto lists = region();
  const Circulation c = route(form_with(kRestricted, {national("police")}), lists);
  EXPECT_EQ(c.lists, (Strings{"police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@gmp.police.uk"}));
  EXPECT_EQ(c.dropped, (Choices{{"police", "national", "restricted notifications go to the North West list only"}}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, RestrictedNarrowsAreaChoiceToNorthWest) {
  const auto lists = region();
  const Circulation c = route(form_with(kRestricted, {area("health", "Greater Manchester")}), lists);
  EXPECT_EQ(c.lists, (Strings{"health/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@nhs.net"}));
  EXPECT_EQ(
      c.dropped,
      (Choices{{"health", "area:Greater Manchester", "restricted notifications go to the North West list only"}}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, RestrictedNarrowsAreaWithNoNameToNorthWest) {
  const auto lists = region();
  const Circulation c = route(form_with(kRestricted, {area("lado", std::nullopt)}), lists);
  EXPECT_EQ(c.lists, (Strings{"lado/north_west"}));
  EXPECT_EQ(c.dropped, (Choices{{"lado", "area", "restricted notifications go to the North West list only"}}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, RestrictedNarrowedAndTickedNorthWestUseTheListOnce) {
  const auto lists = region();
  const Circulation c =
      route(form_with(kRestricted, {north_west("police"), national("police"), area("police", "Cumbria")}), lists);
  EXPECT_EQ(c.lists, (Strings{"police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"isp@gmp.police.uk"}));
  EXPECT_EQ(c.dropped.size(), 2U);
}

TEST(Routing, RestrictedDropsSchools) {
  const auto lists = region();
  const Circulation c = route(form_with(kRestricted, {north_west("lado"), north_west("schools")}), lists);
  EXPECT_EQ(c.lists, (Strings{"lado/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"lado@bolton.gov.uk"}));
  EXPECT_EQ(c.dropped, (Choices{{"schools", "north_west", "restricted notifications are not circulated to schools"}}));
}

TEST(Routing, RestrictedDropsAdultServicesAtEveryScope) {
  const auto lists = region();
  const Circulation c = route(form_with(kRestricted, {north_west("adult_services"), national("adult_services"),
                                                      area("adult_services", "Greater Manchester")}),
                              lists);
  EXPECT_EQ(c.lists, Strings{});
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.dropped,
            (Choices{{"adult_services", "north_west", "restricted notifications are not circulated to adult services"},
                     {"adult_services", "national", "restricted notifications are not circulated to adult services"},
                     {"adult_services", "area:Greater Manchester",
                      "restricted notifications are not circulated to adult services"}}));
  EXPECT_EQ(c.by_hand, Choices{});
}

TEST(Routing, RestrictedReachesTheFiveSafeguardingAudiencesAtNorthWest) {
  const auto lists = region();
  std::vector<CirculationChoice> every;
  every.reserve(kAudiences.size());
  for (const auto audience : kAudiences) every.push_back(national(std::string(audience)));
  const Circulation c = route(form_with(kRestricted, every), lists);
  EXPECT_EQ(c.lists, (Strings{"childrens_services/north_west", "lado/north_west", "safeguarding_unit/north_west",
                              "health/north_west", "police/north_west"}));
  EXPECT_EQ(c.recipients, (Strings{"cs@bolton.gov.uk", "cs@manchester.gov.uk", "lado@bolton.gov.uk",
                                   "safeguarding@wigan.gov.uk", "isp@nhs.net", "isp@gmp.police.uk"}));
  EXPECT_EQ(c.dropped.size(), kAudiences.size());
}

TEST(Routing, RestrictedWithNoNorthWestListGoesToByHand) {
  const std::vector<CirculationList> lists = {{"police", "national", {"isp@npcc.police.uk"}}};
  const Circulation c = route(form_with(kRestricted, {national("police")}), lists);
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.by_hand, (Choices{{"police", "north_west", "no list is configured for police at North West scope"}}));
}

TEST(Routing, ConfidentialFollowsTheTicks) {
  const auto lists = region();
  const Circulation c = route(form_with(kConfidential, {national("schools"), north_west("adult_services"),
                                                        area("health", "greater manchester")}),
                              lists);
  EXPECT_EQ(c.lists, (Strings{"schools/national", "schools/north_west", "adult_services/north_west",
                              "health/area:Greater Manchester"}));
  EXPECT_EQ(c.dropped, Choices{});
  EXPECT_EQ(c.classification, "OFFICIAL-SENSITIVE");
}

TEST(Routing, InternalFollowsTheTicks) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {national("adult_services"), north_west("schools")}), lists);
  EXPECT_EQ(c.lists, (Strings{"adult_services/national", "adult_services/north_west", "schools/north_west"}));
  EXPECT_EQ(c.dropped, Choices{});
  EXPECT_EQ(c.classification, "OFFICIAL");
}

// Validation returns such a form, so this only pins what route() itself does.
TEST(Routing, NoConfidentialityFollowsTheTicks) {
  const auto lists = region();
  const Circulation c = route(form_with(std::nullopt, {national("schools")}), lists);
  EXPECT_EQ(c.lists, (Strings{"schools/national", "schools/north_west"}));
  EXPECT_EQ(c.dropped, Choices{});
}

TEST(Routing, ClassificationFollowsConfidentiality) {
  const auto lists = region();
  EXPECT_EQ(route(form_with(kRestricted, {north_west("police")}), lists).classification, "OFFICIAL-SENSITIVE");
  EXPECT_EQ(route(form_with(kConfidential, {north_west("police")}), lists).classification, "OFFICIAL-SENSITIVE");
  EXPECT_EQ(route(form_with(kInternal, {north_west("police")}), lists).classification, "OFFICIAL");
  EXPECT_EQ(route(form_with(std::nullopt, {north_west("police")}), lists).classification, "OFFICIAL");
}

TEST(Routing, EmptyCirculationSelectsNothing) {
  const auto lists = region();
  for (const auto confidentiality : {kRestricted, kConfidential, kInternal}) {
    const Circulation c = route(form_with(confidentiality, {}), lists);
    EXPECT_EQ(c.lists, Strings{});
    EXPECT_EQ(c.recipients, Strings{});
    EXPECT_EQ(c.dropped, Choices{});
    EXPECT_EQ(c.by_hand, Choices{});
  }
}

TEST(Routing, NoListsConfiguredSendsEveryChoiceByHand) {
  const Circulation c = route(form_with(kInternal, {north_west("lado"), area("health", "Cheshire")}), {});
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.by_hand.size(), 2U);
}

TEST(Routing, PartnersListIsNeverUsed) {
  const auto lists = region();
  for (const auto confidentiality : {kRestricted, kConfidential, kInternal}) {
    std::vector<CirculationChoice> every;
    for (const auto audience : kAudiences) {
      every.push_back(north_west(std::string(audience)));
      every.push_back(national(std::string(audience)));
    }
    every.push_back(north_west("partners"));
    every.push_back(national("partners"));
    const Circulation c = route(form_with(confidentiality, every), lists);
    for (const std::string& list : c.lists) EXPECT_NE(list.rfind("partners/", 0), 0U) << list;
    for (const std::string& recipient : c.recipients) EXPECT_NE(recipient, "spreadsheet@nwadcs.org.uk");
    for (const DroppedChoice& by_hand : c.by_hand) EXPECT_NE(by_hand.audience, "partners");
  }
}

TEST(Routing, ChoiceForAnAudienceNotOnTheFormIsDropped) {
  const auto lists = region();
  const Circulation c = route(form_with(kInternal, {north_west("partners")}), lists);
  EXPECT_EQ(c.lists, Strings{});
  EXPECT_EQ(c.recipients, Strings{});
  EXPECT_EQ(c.dropped, (Choices{{"partners", "north_west", "\"partners\" is not one of the form's audiences"}}));
  EXPECT_EQ(c.by_hand, Choices{});
}

}  // namespace
}  // namespace ispd::protocol
