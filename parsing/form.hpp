#pragma once
// The ISP notification form as data: the contract between the .docx parser and
// everything after it. Field names and keys follow form-schema.md exactly.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ispd {

using Date = std::chrono::year_month_day;
using Text = std::optional<std::string>;

enum class Stage { issue, provider_response, rescind };
enum class Confidentiality { restricted, confidential, internal };
enum class Scope { north_west, national, area };
enum class Affected { whole_organisation, setting_only };

// The enumerated keys of each tick list, in the form's order. A list in a
// Form holds a subset of these, in this order.
inline constexpr std::array<std::string_view, 7> kAudiences = {
    "childrens_services", "lado", "safeguarding_unit", "health", "adult_services", "police", "schools"};

// Each audience's names in ispd's own sentences: in prose ("no list is configured for children's
// services") and as the form's box names it, in short ("\"Specify area\" is ticked for Childrens Services").
struct AudienceNames {
  std::string_view key;
  std::string_view in_prose;
  std::string_view on_form;
};
inline constexpr std::array<AudienceNames, kAudiences.size()> kAudienceNames = {{
    {"childrens_services", "children's services", "Childrens Services"},
    {"lado", "LADO", "LADO"},
    {"safeguarding_unit", "the safeguarding unit", "Safeguarding unit"},
    {"health", "health", "Health"},
    {"adult_services", "adult services", "Adult's services"},
    {"police", "police", "Police"},
    {"schools", "schools", "Schools"},
}};
// The names of `audience`; an unknown key names itself.
constexpr AudienceNames audience_names(std::string_view audience) {
  for (const auto& names : kAudienceNames) {
    if (names.key == audience) return names;
  }
  return {audience, audience, audience};
}

inline constexpr std::array<std::string_view, 8> kServiceTypes = {
    "residential",           "supported_accommodation",  "fostering",           "send_school_or_college",
    "alternative_provision", "unregistered_social_care", "unregistered_school", "other"};
inline constexpr std::array<std::string_view, 7> kContracts = {"residential_fps",
                                                               "supported_accommodation_fps",
                                                               "send_fps",
                                                               "fostering_fps",
                                                               "off_contract",
                                                               "local_contract",
                                                               "other"};
inline constexpr std::array<std::string_view, 8> kConcerns = {"safeguarding",
                                                              "quality",
                                                              "criminality",
                                                              "financial",
                                                              "inspection_outcome",
                                                              "business_continuity",
                                                              "no_evidence_of_insurance",
                                                              "other"};
inline constexpr std::array<std::string_view, 8> kActions = {"police_investigation", "lado_or_pipot_referral",
                                                             "ending_placements",    "reviewing_placements",
                                                             "suspending_referrals", "action_plan",
                                                             "no_local_action",      "other"};
inline constexpr std::array<std::string_view, 6> kContractualActions = {"temporary_suspension", "temporary_restriction",
                                                                        "permanent_ending",     "voluntary_withdrawal",
                                                                        "ended_for_breach",     "other"};
inline constexpr std::array<std::string_view, 8> kOutcomes = {
    "safeguarding_resolved", "quality_resolved",           "criminal_resolved",    "financial_resolved",
    "action_plan_progress",  "closed_no_further_concerns", "no_longer_inadequate", "unresolved"};
inline constexpr std::array<std::string_view, 4> kContractualOutcomes = {"suspension_lifted", "restrictions_lifted",
                                                                         "none_reached", "other"};
inline constexpr std::array<std::string_view, 5> kPlacementOutcomes = {
    "no_actions", "reviews_concluded", "referrals_reinstated", "placement_ended", "other"};

struct IssuingAgency {
  Text agency;
  Text officer_name;
  Text officer_email;
  Text officer_phone;
  std::optional<Date> date_issued_to_provider;
  std::optional<Date> date_sent_for_circulation;
  std::optional<Date> review_date;
  bool operator==(const IssuingAgency&) const = default;
};

struct CirculationChoice {
  std::string audience;  // one of kAudiences
  Scope scope = Scope::north_west;
  Text area;  // the area's name when scope is area
  bool operator==(const CirculationChoice&) const = default;
};

struct Provider {
  Text name;
  Text previous_name;
  Text company_number;
  Text ofsted_urn;
  Text associated_companies;
  Text address;
  Text host_authority;
  std::optional<Affected> affected;
  bool operator==(const Provider&) const = default;
};

struct Setting {
  Text name;
  Text ofsted_urn;
  Text cqc_urn;
  bool operator==(const Setting&) const = default;
};

struct Rescind {
  std::optional<Date> date;
  Text officer_name;
  Text officer_email;
  std::vector<std::string> outcomes;
  Text outcome_explanation;
  std::vector<std::string> contractual_outcomes;
  Text contractual_outcome_other;
  std::vector<std::string> placement_outcomes;
  Text placement_outcome_other;
  Text additional_information;
  std::optional<bool> data_minimisation;
  bool operator==(const Rescind&) const = default;
};

struct Form {
  Stage stage = Stage::issue;
  std::optional<Confidentiality> confidentiality;
  Text not_shared_justification;
  IssuingAgency issuing_agency;
  std::vector<CirculationChoice> circulation;
  Provider provider;
  std::vector<Setting> settings;
  std::vector<std::string> service_types;
  Text service_type_other;
  std::vector<std::string> contracts;
  Text contract_other;
  std::vector<std::string> concerns;
  Text concern_other;
  Text regulator_informed;
  Text other_agencies;
  std::vector<std::string> actions;
  Text action_other;
  std::vector<std::string> contractual_actions;
  Text contractual_action_other;
  Text details;
  std::optional<bool> data_minimisation_issuer;
  Text provider_response;
  std::optional<bool> data_minimisation_provider;
  std::optional<Rescind> rescind;
  std::vector<std::string> warnings;
  bool operator==(const Form&) const = default;
};

inline constexpr std::string_view kFormSchema = "isp-notification/2026";

std::string_view to_string(Stage stage);
std::string_view to_string(Confidentiality confidentiality);
std::string_view to_string(Scope scope);
std::string_view to_string(Affected affected);

// ISO 8601 calendar date, "2026-02-01".
std::string iso_date(const Date& date);

// The form as the JSON object of form-schema.md, keys in the schema's order.
nlohmann::ordered_json to_json(const Form& form);

}  // namespace ispd
