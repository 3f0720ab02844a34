#include "parsing/form.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace ispd {

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::issue: return "issue";
    case Stage::provider_response: return "provider_response";
    case Stage::rescind: return "rescind";
  }
  return "issue";
}

std::string_view to_string(Confidentiality confidentiality) {
  switch (confidentiality) {
    case Confidentiality::restricted: return "restricted";
    case Confidentiality::confidential: return "confidential";
    case Confidentiality::internal: return "internal";
  }
  return "internal";
}

std::string_view to_string(Scope scope) {
  switch (scope) {
    case Scope::north_west: return "north_west";
    case Scope::national: return "national";
    case Scope::area: return "area";
  }
  return "north_west";
}

std::string_view to_string(Affected affected) {
  switch (affected) {
    case Affected::whole_organisation: return "whole_organisation";
    case Affected::setting_only: return "setting_only";
  }
  return "whole_organisation";
}

std::string iso_date(const Date& date) {
  char buffer[16];
  (void)std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

namespace {

using Json = nlohmann::ordered_json;

Json text(const Text& value) { return value ? Json(*value) : Json(nullptr); }
Json date(const std::optional<Date>& value) { return value ? Json(iso_date(*value)) : Json(nullptr); }
Json flag(const std::optional<bool>& value) { return value ? Json(*value) : Json(nullptr); }

template <class E>
Json key(const std::optional<E>& value) {
  return value ? Json(std::string(to_string(*value))) : Json(nullptr);
}

Json keys(const std::vector<std::string>& values) {
  Json array = Json::array();
  for (const auto& v : values) array.push_back(v);
  return array;
}

Json rescind_json(const Rescind& r) {
  return Json{{"date", date(r.date)},
              {"officer_name", text(r.officer_name)},
              {"officer_email", text(r.officer_email)},
              {"outcomes", keys(r.outcomes)},
              {"outcome_explanation", text(r.outcome_explanation)},
              {"contractual_outcomes", keys(r.contractual_outcomes)},
              {"contractual_outcome_other", text(r.contractual_outcome_other)},
              {"placement_outcomes", keys(r.placement_outcomes)},
              {"placement_outcome_other", text(r.placement_outcome_other)},
              {"additional_information", text(r.additional_information)},
              {"data_minimisation", flag(r.data_minimisation)}};
}

}  // namespace

nlohmann::ordered_json to_json(const Form& form) {
  const auto& a = form.issuing_agency;
  const auto& p = form.provider;
  Json circulation = Json::array();
  for (const auto& c : form.circulation) {
    circulation.push_back(
        Json{{"audience", c.audience}, {"scope", std::string(to_string(c.scope))}, {"area", text(c.area)}});
  }
  Json settings = Json::array();
  for (const auto& s : form.settings) {
    settings.push_back(Json{{"name", text(s.name)}, {"ofsted_urn", text(s.ofsted_urn)}, {"cqc_urn", text(s.cqc_urn)}});
  }
  Json warnings = Json::array();
  for (const auto& w : form.warnings) warnings.push_back(w);

  return Json{{"schema", std::string(kFormSchema)},
              {"stage", std::string(to_string(form.stage))},
              {"confidentiality", key(form.confidentiality)},
              {"not_shared_justification", text(form.not_shared_justification)},
              {"issuing_agency", Json{{"agency", text(a.agency)},
                                      {"officer_name", text(a.officer_name)},
                                      {"officer_email", text(a.officer_email)},
                                      {"officer_phone", text(a.officer_phone)},
                                      {"date_issued_to_provider", date(a.date_issued_to_provider)},
                                      {"date_sent_for_circulation", date(a.date_sent_for_circulation)},
                                      {"review_date", date(a.review_date)}}},
              {"circulation", circulation},
              {"provider", Json{{"name", text(p.name)},
                                {"previous_name", text(p.previous_name)},
                                {"company_number", text(p.company_number)},
                                {"ofsted_urn", text(p.ofsted_urn)},
                                {"associated_companies", text(p.associated_companies)},
                                {"address", text(p.address)},
                                {"host_authority", text(p.host_authority)},
                                {"affected", key(p.affected)}}},
              {"settings", settings},
              {"service_types", keys(form.service_types)},
              {"service_type_other", text(form.service_type_other)},
              {"contracts", keys(form.contracts)},
              {"contract_other", text(form.contract_other)},
              {"concerns", keys(form.concerns)},
              {"concern_other", text(form.concern_other)},
              {"regulator_informed", text(form.regulator_informed)},
              {"other_agencies", text(form.other_agencies)},
              {"actions", keys(form.actions)},
              {"action_other", text(form.action_other)},
              {"contractual_actions", keys(form.contractual_actions)},
              {"contractual_action_other", text(form.contractual_action_other)},
              {"details", text(form.details)},
              {"data_minimisation_issuer", flag(form.data_minimisation_issuer)},
              {"provider_response", text(form.provider_response)},
              {"data_minimisation_provider", flag(form.data_minimisation_provider)},
              {"rescind", form.rescind ? rescind_json(*form.rescind) : Json(nullptr)},
              {"warnings", warnings}};
}

}  // namespace ispd
