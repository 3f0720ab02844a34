#include "parsing/form_json.hpp"

#include <array>
#include <charconv>
#include <initializer_list>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

namespace ispd {

namespace {

using Json = nlohmann::json;

// All of `text` is decimal digits.
bool digits(std::string_view text, int& out) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), out).ptr == text.data() + text.size();
}

// Reads members, keeping the first problem; values that fail read as empty.
class Reader {
 public:
  [[nodiscard]] const std::string& error() const { return error_; }

  void fail(const std::string& path, const std::string& problem) {
    if (error_.empty()) error_ = (path.empty() ? std::string("the form") : path) + ": " + problem;
  }

  // An object with no members but those named.
  bool object(const Json& j, const std::string& path, std::initializer_list<std::string_view> members) {
    if (!j.is_object()) {
      fail(path, "expected an object");
      return false;
    }
    for (const auto& item : j.items()) {
      bool known = false;
      for (auto m : members) known = known || item.key() == m;
      if (!known) fail(path, "unknown member \"" + item.key() + "\"");
    }
    return true;
  }

  static const Json& member(const Json& object, const char* name) {
    static const Json kNull;
    const auto it = object.find(name);
    return it == object.end() ? kNull : *it;
  }

  Text text(const Json& object, const std::string& path, const char* name) {
    const Json& j = member(object, name);
    if (j.is_null()) return std::nullopt;
    if (!j.is_string()) {
      fail(join(path, name), "expected text or null");
      return std::nullopt;
    }
    return j.get<std::string>();
  }

  std::optional<bool> flag(const Json& object, const std::string& path, const char* name) {
    const Json& j = member(object, name);
    if (j.is_null()) return std::nullopt;
    if (!j.is_boolean()) {
      fail(join(path, name), "expected true, false or null");
      return std::nullopt;
    }
    return j.get<bool>();
  }

  std::optional<Date> date(const Json& object, const std::string& path, const char* name) {
    const Text value = text(object, path, name);
    if (!value) return std::nullopt;
    const std::string_view v = *value;
    int y = 0, m = 0, d = 0;
    const bool read = v.size() == 10 && v[4] == '-' && v[7] == '-' && digits(v.substr(0, 4), y) &&
                      digits(v.substr(5, 2), m) && digits(v.substr(8, 2), d);
    const Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                    std::chrono::day{static_cast<unsigned>(d)}};
    if (!read || !date.ok()) {
      fail(join(path, name), "\"" + *value + "\" is not a date written YYYY-MM-DD");
      return std::nullopt;
    }
    return date;
  }

  // One of `keys`, or null.
  template <class E, std::size_t N>
  std::optional<E> key(const Json& object, const std::string& path, const char* name, const std::array<E, N>& values) {
    const Text value = text(object, path, name);
    if (!value) return std::nullopt;
    for (E v : values) {
      if (to_string(v) == *value) return v;
    }
    std::string allowed;
    for (E v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(v));
    fail(join(path, name), "\"" + *value + "\" is not one of " + allowed);
    return std::nullopt;
  }

  // A list of keys, each one of `allowed`.
  std::vector<std::string> keys(const Json& object, const std::string& path, const char* name,
                                std::span<const std::string_view> allowed) {
    std::vector<std::string> out;
    const Json& j = member(object, name);
    if (j.is_null()) return out;
    if (!j.is_array()) {
      fail(join(path, name), "expected a list");
      return out;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = join(path, name) + "[" + std::to_string(i) + "]";
      if (!j[i].is_string()) {
        fail(at, "expected text");
        continue;
      }
      const auto value = j[i].get<std::string>();
      bool known = allowed.empty();
      for (auto a : allowed) known = known || a == value;
      if (!known) {
        fail(at, "\"" + value + "\" is not a known key");
        continue;
      }
      out.push_back(value);
    }
    return out;
  }

  static std::string join(const std::string& path, const char* name) {
    return path.empty() ? std::string(name) : path + "." + name;
  }

 private:
  std::string error_;
};

constexpr std::array<Stage, 3> kStages = {Stage::issue, Stage::provider_response, Stage::rescind};
constexpr std::array<Confidentiality, 3> kConfidentialities = {
    Confidentiality::restricted, Confidentiality::confidential, Confidentiality::internal};
constexpr std::array<Scope, 3> kScopes = {Scope::north_west, Scope::national, Scope::area};
constexpr std::array<Affected, 2> kAffected = {Affected::whole_organisation, Affected::setting_only};

Rescind read_rescind(Reader& in, const Json& j, const std::string& path) {
  Rescind r;
  if (!in.object(j, path,
                 {"date", "officer_name", "officer_email", "outcomes", "outcome_explanation", "contractual_outcomes",
                  "contractual_outcome_other", "placement_outcomes", "placement_outcome_other",
                  "additional_information", "data_minimisation"})) {
    return r;
  }
  r.date = in.date(j, path, "date");
  r.officer_name = in.text(j, path, "officer_name");
  r.officer_email = in.text(j, path, "officer_email");
  r.outcomes = in.keys(j, path, "outcomes", kOutcomes);
  r.outcome_explanation = in.text(j, path, "outcome_explanation");
  r.contractual_outcomes = in.keys(j, path, "contractual_outcomes", kContractualOutcomes);
  r.contractual_outcome_other = in.text(j, path, "contractual_outcome_other");
  r.placement_outcomes = in.keys(j, path, "placement_outcomes", kPlacementOutcomes);
  r.placement_outcome_other = in.text(j, path, "placement_outcome_other");
  r.additional_information = in.text(j, path, "additional_information");
  r.data_minimisation = in.flag(j, path, "data_minimisation");
  return r;
}

}  // namespace

Result<Form> form_from_json(const Json& j) {
  Reader in;
  Form form;
  if (!in.object(j, "",
                 {"schema",
                  "stage",
                  "confidentiality",
                  "not_shared_justification",
                  "issuing_agency",
                  "circulation",
                  "provider",
                  "settings",
                  "service_types",
                  "service_type_other",
                  "contracts",
                  "contract_other",
                  "concerns",
                  "concern_other",
                  "regulator_informed",
                  "other_agencies",
                  "actions",
                  "action_other",
                  "contractual_actions",
                  "contractual_action_other",
                  "details",
                  "data_minimisation_issuer",
                  "provider_response",
                  "data_minimisation_provider",
                  "rescind",
                  "warnings"})) {
    return Error{in.error()};
  }
  if (Reader::member(j, "schema") != std::string(kFormSchema)) {
    in.fail("schema", "expected \"" + std::string(kFormSchema) + "\"");
  }
  if (Reader::member(j, "stage").is_null()) in.fail("stage", "missing");
  form.stage = in.key(j, "", "stage", kStages).value_or(Stage::issue);
  form.confidentiality = in.key(j, "", "confidentiality", kConfidentialities);
  form.not_shared_justification = in.text(j, "", "not_shared_justification");

  if (const Json& a = Reader::member(j, "issuing_agency");
      !a.is_null() && in.object(a, "issuing_agency",
                                {"agency", "officer_name", "officer_email", "officer_phone", "date_issued_to_provider",
                                 "date_sent_for_circulation", "review_date"})) {
    auto& agency = form.issuing_agency;
    agency.agency = in.text(a, "issuing_agency", "agency");
    agency.officer_name = in.text(a, "issuing_agency", "officer_name");
    agency.officer_email = in.text(a, "issuing_agency", "officer_email");
    agency.officer_phone = in.text(a, "issuing_agency", "officer_phone");
    agency.date_issued_to_provider = in.date(a, "issuing_agency", "date_issued_to_provider");
    agency.date_sent_for_circulation = in.date(a, "issuing_agency", "date_sent_for_circulation");
    agency.review_date = in.date(a, "issuing_agency", "review_date");
  }

  if (const Json& list = Reader::member(j, "circulation"); !list.is_null()) {
    if (!list.is_array()) in.fail("circulation", "expected a list");
    for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
      const std::string path = "circulation[" + std::to_string(i) + "]";
      if (!in.object(list[i], path, {"audience", "scope", "area"})) continue;
      CirculationChoice choice;
      const Text audience = in.text(list[i], path, "audience");
      bool known = false;
      for (auto a : kAudiences) known = known || (audience && a == *audience);
      if (!known) in.fail(path + ".audience", "expected one of the audiences");
      choice.audience = audience.value_or("");
      if (Reader::member(list[i], "scope").is_null()) in.fail(path + ".scope", "missing");
      choice.scope = in.key(list[i], path, "scope", kScopes).value_or(Scope::north_west);
      choice.area = in.text(list[i], path, "area");
      form.circulation.push_back(std::move(choice));
    }
  }

  if (const Json& p = Reader::member(j, "provider");
      !p.is_null() && in.object(p, "provider",
                                {"name", "previous_name", "company_number", "ofsted_urn", "associated_companies",
                                 "address", "host_authority", "affected"})) {
    auto& provider = form.provider;
    provider.name = in.text(p, "provider", "name");
    provider.previous_name = in.text(p, "provider", "previous_name");
    provider.company_number = in.text(p, "provider", "company_number");
    provider.ofsted_urn = in.text(p, "provider", "ofsted_urn");
    provider.associated_companies = in.text(p, "provider", "associated_companies");
    provider.address = in.text(p, "provider", "address");
    provider.host_authority = in.text(p, "provider", "host_authority");
    provider.affected = in.key(p, "provider", "affected", kAffected);
  }

  if (const Json& list = Reader::member(j, "settings"); !list.is_null()) {
    if (!list.is_array()) in.fail("settings", "expected a list");
    for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
      const std::string path = "settings[" + std::to_string(i) + "]";
      if (!in.object(list[i], path, {"name", "ofsted_urn", "cqc_urn"})) continue;
      form.settings.push_back(Setting{in.text(list[i], path, "name"), in.text(list[i], path, "ofsted_urn"),
                                      in.text(list[i], path, "cqc_urn")});
    }
  }

  form.service_types = in.keys(j, "", "service_types", kServiceTypes);
  form.service_type_other = in.text(j, "", "service_type_other");
  form.contracts = in.keys(j, "", "contracts", kContracts);
  form.contract_other = in.text(j, "", "contract_other");
  form.concerns = in.keys(j, "", "concerns", kConcerns);
  form.concern_other = in.text(j, "", "concern_other");
  form.regulator_informed = in.text(j, "", "regulator_informed");
  form.other_agencies = in.text(j, "", "other_agencies");
  form.actions = in.keys(j, "", "actions", kActions);
  form.action_other = in.text(j, "", "action_other");
  form.contractual_actions = in.keys(j, "", "contractual_actions", kContractualActions);
  form.contractual_action_other = in.text(j, "", "contractual_action_other");
  form.details = in.text(j, "", "details");
  form.data_minimisation_issuer = in.flag(j, "", "data_minimisation_issuer");
  form.provider_response = in.text(j, "", "provider_response");
  form.data_minimisation_provider = in.flag(j, "", "data_minimisation_provider");
  if (const Json& r = Reader::member(j, "rescind"); !r.is_null()) form.rescind = read_rescind(in, r, "rescind");
  form.warnings = in.keys(j, "", "warnings", {});

  if (!in.error().empty()) return Error{in.error()};
  return form;
}

Result<Form> form_from_json_text(std::string_view json_text) {
  const Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{"the form is not valid JSON"};
  return form_from_json(j);
}

}  // namespace ispd
