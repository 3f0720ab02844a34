#include "mail_data/json.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ispd::mail_data {

namespace {

using Json = nlohmann::json;

// ---- Writing: every field its key, null for a value not given ----

Json put(const Text& text) { return text ? Json(*text) : Json(nullptr); }
Json put(const Count& count) { return count ? Json(*count) : Json(nullptr); }

template <typename T>
Json put(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) out.push_back(Json(item));
  return out;
}

// ---- Reading: whatever the JSON holds, never a throw ----

const Json* find(const Json& in, const char* key) {
  if (!in.is_object()) return nullptr;
  const auto it = in.find(key);
  return it == in.end() ? nullptr : &*it;
}

// A string, or a number written where text was meant, as text.
Text text_of(const Json* value) {
  if (!value) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_unsigned()) return std::to_string(value->get<std::uint64_t>());
  if (value->is_number_integer()) return std::to_string(value->get<std::int64_t>());
  return std::nullopt;
}

Text text(const Json& in, const char* key) { return text_of(find(in, key)); }

bool flag(const Json& in, const char* key) {
  const Json* value = find(in, key);
  return value && value->is_boolean() && value->get<bool>();
}

Count count(const Json& in, const char* key) {
  const Json* value = find(in, key);
  if (!value) return std::nullopt;
  if (value->is_number_unsigned()) return value->get<std::size_t>();
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0) return value->get<std::size_t>();
  return std::nullopt;
}

std::int64_t whole(const Json& in, const char* key) {
  const Json* value = find(in, key);
  return value && value->is_number_integer() ? value->get<std::int64_t>() : 0;
}

std::vector<std::string> texts(const Json& in, const char* key) {
  std::vector<std::string> out;
  const Json* list = find(in, key);
  if (!list || !list->is_array()) return out;
  for (const Json& item : *list) {
    if (auto value = text_of(&item)) out.push_back(std::move(*value));
  }
  return out;
}

// Problems are sentences; an older shape kept each as {"message": ...}.
std::vector<std::string> problem_texts(const Json& in, const char* key) {
  std::vector<std::string> out;
  const Json* list = find(in, key);
  if (!list || !list->is_array()) return out;
  for (const Json& item : *list) {
    if (auto value = item.is_object() ? text(item, "message") : text_of(&item)) out.push_back(std::move(*value));
  }
  return out;
}

template <typename T>
T part(const Json& in, const char* key) {
  T out;
  if (const Json* value = find(in, key)) from_json(*value, out);
  return out;
}

// A part only some mails of a kind carry: there whenever its key is, whatever it holds.
template <typename T>
std::optional<T> section(const Json& in, const char* key) {
  if (!find(in, key)) return std::nullopt;
  return part<T>(in, key);
}

template <typename T>
std::vector<T> parts(const Json& in, const char* key) {
  std::vector<T> out;
  const Json* list = find(in, key);
  if (!list || !list->is_array()) return out;
  for (const Json& item : *list) {
    T value;
    from_json(item, value);
    out.push_back(std::move(value));
  }
  return out;
}

// A section whose key may be there with no text in it.
std::optional<Text> response(const Json& in, const char* key) {
  std::optional<Text> out;
  if (find(in, key)) out.emplace(text(in, key));
  return out;
}

std::optional<ChaserStep> chaser_step(const Json& in, const char* key) {
  const Text name = text(in, key);
  for (const auto step : {ChaserStep::before, ChaserStep::on, ChaserStep::overdue, ChaserStep::close_request}) {
    if (name == to_string(step)) return step;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ChaserStep step) {
  switch (step) {
    case ChaserStep::before: return "before";
    case ChaserStep::on: return "on";
    case ChaserStep::overdue: return "overdue";
    case ChaserStep::close_request: return "close_request";
  }
  return "before";
}

// ---- The parts ----

void to_json(Json& out, const Named& value) { out = {{"name", put(value.name)}}; }
void from_json(const Json& in, Named& value) { value = {.name = text(in, "name")}; }

void to_json(Json& out, const Provider& value) {
  out = {
      {"name", put(value.name)}, {"company_number", put(value.company_number)}, {"ofsted_urn", put(value.ofsted_urn)}};
}
void from_json(const Json& in, Provider& value) {
  value = {
      .name = text(in, "name"), .company_number = text(in, "company_number"), .ofsted_urn = text(in, "ofsted_urn")};
}

void to_json(Json& out, const Officer& value) {
  out = {{"name", put(value.name)}, {"email", put(value.email)}, {"phone", put(value.phone)}};
}
void from_json(const Json& in, Officer& value) {
  value = {.name = text(in, "name"), .email = text(in, "email"), .phone = text(in, "phone")};
}

void to_json(Json& out, const Choice& value) {
  out = {{"audience", put(value.audience)}, {"scope", put(value.scope)}, {"reason", put(value.reason)}};
}
void from_json(const Json& in, Choice& value) {
  value = {.audience = text(in, "audience"), .scope = text(in, "scope"), .reason = text(in, "reason")};
}

void to_json(Json& out, const Setting& value) {
  out = {{"name", put(value.name)}, {"ofsted_urn", put(value.ofsted_urn)}, {"cqc_urn", put(value.cqc_urn)}};
}
void from_json(const Json& in, Setting& value) {
  value = {.name = text(in, "name"), .ofsted_urn = text(in, "ofsted_urn"), .cqc_urn = text(in, "cqc_urn")};
}

void to_json(Json& out, const UnreadableFile& value) {
  out = {{"name", put(value.name)}, {"problem", put(value.problem)}, {"sentence", put(value.sentence)}};
}
void from_json(const Json& in, UnreadableFile& value) {
  value = {.name = text(in, "name"), .problem = text(in, "problem"), .sentence = text(in, "sentence")};
}

void to_json(Json& out, const Rescind& value) {
  out = {{"date", put(value.date)},
         {"officer_name", put(value.officer_name)},
         {"officer_email", put(value.officer_email)},
         {"outcomes", put(value.outcomes)},
         {"contractual_outcomes", put(value.contractual_outcomes)},
         {"placement_outcomes", put(value.placement_outcomes)}};
}
void from_json(const Json& in, Rescind& value) {
  value = {.date = text(in, "date"),
           .officer_name = text(in, "officer_name"),
           .officer_email = text(in, "officer_email"),
           .outcomes = texts(in, "outcomes"),
           .contractual_outcomes = texts(in, "contractual_outcomes"),
           .placement_outcomes = texts(in, "placement_outcomes")};
}

void to_json(Json& out, const Failure& value) {
  out = {{"kind", put(value.kind)},       {"recipient", put(value.recipient)}, {"recipients", put(value.recipients)},
         {"subject", put(value.subject)}, {"reference", put(value.reference)}, {"message_id", put(value.message_id)},
         {"reply", put(value.reply)}};
}
void from_json(const Json& in, Failure& value) {
  value = {.kind = text(in, "kind"),
           .recipient = text(in, "recipient"),
           .recipients = texts(in, "recipients"),
           .subject = text(in, "subject"),
           .reference = text(in, "reference"),
           .message_id = text(in, "message_id"),
           .reply = text(in, "reply")};
}

// ---- The mails ----

void to_json(Json& out, const Acknowledgement& value) {
  out = {{"reference", put(value.reference)},
         {"action", put(value.action)},
         {"agency", put(value.agency)},
         {"provider", value.provider},
         {"officer", value.officer},
         {"review_date", put(value.review_date)},
         {"classification", put(value.classification)},
         {"circulated", value.circulated},
         {"lists", put(value.lists)},
         {"dropped", put(value.dropped)},
         {"by_hand", put(value.by_hand)},
         {"not_in_log", value.not_in_log}};
}
void from_json(const Json& in, Acknowledgement& value) {
  value = {.reference = text(in, "reference"),
           .action = text(in, "action"),
           .agency = text(in, "agency"),
           .provider = part<Named>(in, "provider"),
           .officer = part<Named>(in, "officer"),
           .review_date = text(in, "review_date"),
           .classification = text(in, "classification"),
           .circulated = flag(in, "circulated"),
           .lists = texts(in, "lists"),
           .dropped = parts<Choice>(in, "dropped"),
           .by_hand = parts<Choice>(in, "by_hand"),
           .not_in_log = flag(in, "not_in_log")};
}

void to_json(Json& out, const Returned& value) {
  out = {{"reference", put(value.reference)}, {"action", put(value.action)},   {"agency", put(value.agency)},
         {"problems", put(value.problems)},   {"subject", put(value.subject)}, {"advice", put(value.advice)}};
  if (value.provider) out["provider"] = *value.provider;
  if (value.officer) out["officer"] = *value.officer;
  if (value.files) out["files"] = put(*value.files);
}
void from_json(const Json& in, Returned& value) {
  const Json* files = find(in, "files");
  value = {.reference = text(in, "reference"),
           .action = text(in, "action"),
           .agency = text(in, "agency"),
           .provider = section<Named>(in, "provider"),
           .officer = section<Named>(in, "officer"),
           .problems = problem_texts(in, "problems"),
           .subject = text(in, "subject"),
           .files = files && files->is_array() ? std::optional(parts<UnreadableFile>(in, "files")) : std::nullopt,
           .advice = text(in, "advice")};
}

void to_json(Json& out, const Circulation& value) {
  out = {{"reference", put(value.reference)},
         {"action", put(value.action)},
         {"agency", put(value.agency)},
         {"provider", value.provider},
         {"settings", put(value.settings)},
         {"service_types", put(value.service_types)},
         {"concerns", put(value.concerns)},
         {"actions", put(value.actions)},
         {"review_date", put(value.review_date)},
         {"officer", value.officer},
         {"confidentiality", put(value.confidentiality)},
         {"classification", put(value.classification)},
         {"details", put(value.details)}};
  if (value.provider_response) out["provider_response"] = put(*value.provider_response);
  if (value.rescind) out["rescind"] = *value.rescind;
}
void from_json(const Json& in, Circulation& value) {
  const Json* rescind = find(in, "rescind");
  value = {.reference = text(in, "reference"),
           .action = text(in, "action"),
           .agency = text(in, "agency"),
           .provider = part<Provider>(in, "provider"),
           .settings = parts<Setting>(in, "settings"),
           .service_types = texts(in, "service_types"),
           .concerns = texts(in, "concerns"),
           .actions = texts(in, "actions"),
           .review_date = text(in, "review_date"),
           .officer = part<Officer>(in, "officer"),
           .confidentiality = text(in, "confidentiality"),
           .classification = text(in, "classification"),
           .details = text(in, "details"),
           .provider_response = response(in, "provider_response"),
           .rescind = rescind && rescind->is_object() ? std::optional(part<Rescind>(in, "rescind")) : std::nullopt};
}

void to_json(Json& out, const Attention& value) {
  out = {
      {"reference", put(value.reference)}, {"action", put(value.action)},         {"agency", put(value.agency)},
      {"sender", put(value.sender)},       {"stage", put(value.stage)},           {"reason", put(value.reason)},
      {"subject", put(value.subject)},     {"unreadable", put(value.unreadable)}, {"sender_told", value.sender_told}};
  if (value.provider) out["provider"] = *value.provider;
  if (value.failure) out["failure"] = *value.failure;
  if (value.not_stored) out["not_stored"] = true;
}
void from_json(const Json& in, Attention& value) {
  const Json* failure = find(in, "failure");
  value = {.reference = text(in, "reference"),
           .action = text(in, "action"),
           .agency = text(in, "agency"),
           .sender = text(in, "sender"),
           .provider = section<Provider>(in, "provider"),
           .stage = text(in, "stage"),
           .reason = text(in, "reason"),
           .subject = text(in, "subject"),
           .unreadable = texts(in, "unreadable"),
           .sender_told = flag(in, "sender_told"),
           .not_stored = flag(in, "not_stored"),
           .failure = failure && failure->is_object() ? std::optional(part<Failure>(in, "failure")) : std::nullopt};
}

void to_json(Json& out, const Log& value) {
  out = {{"reference", put(value.reference)},
         {"action", put(value.action)},
         {"agency", put(value.agency)},
         {"sender", put(value.sender)},
         {"sender_told", value.sender_told},
         {"provider", value.provider},
         {"service_types", put(value.service_types)},
         {"concerns", put(value.concerns)},
         {"review_date", put(value.review_date)},
         {"officer", value.officer},
         {"confidentiality", put(value.confidentiality)},
         {"classification", put(value.classification)},
         {"circulated", value.circulated},
         {"lists", put(value.lists)},
         {"recipient_count", put(value.recipient_count)},
         {"nobody_on_lists", value.nobody_on_lists},
         {"dropped", put(value.dropped)},
         {"by_hand", put(value.by_hand)},
         {"problems", put(value.problems)},
         {"possible_duplicates", put(value.possible_duplicates)},
         {"not_in_log", value.not_in_log},
         {"other_files_not_read", put(value.other_files_not_read)},
         {"action_needed", value.action_needed},
         {"reason", put(value.reason)}};
}
void from_json(const Json& in, Log& value) {
  value = {.reference = text(in, "reference"),
           .action = text(in, "action"),
           .agency = text(in, "agency"),
           .sender = text(in, "sender"),
           .sender_told = flag(in, "sender_told"),
           .provider = part<Provider>(in, "provider"),
           .service_types = texts(in, "service_types"),
           .concerns = texts(in, "concerns"),
           .review_date = text(in, "review_date"),
           .officer = part<Officer>(in, "officer"),
           .confidentiality = text(in, "confidentiality"),
           .classification = text(in, "classification"),
           .circulated = flag(in, "circulated"),
           .lists = texts(in, "lists"),
           .recipient_count = count(in, "recipient_count"),
           .nobody_on_lists = flag(in, "nobody_on_lists"),
           .dropped = parts<Choice>(in, "dropped"),
           .by_hand = parts<Choice>(in, "by_hand"),
           .problems = problem_texts(in, "problems"),
           .possible_duplicates = texts(in, "possible_duplicates"),
           .not_in_log = flag(in, "not_in_log"),
           .other_files_not_read = texts(in, "other_files_not_read"),
           .action_needed = flag(in, "action_needed"),
           .reason = text(in, "reason")};
}

void to_json(Json& out, const Chaser& value) {
  out = {{"reference", put(value.reference)},
         {"which", value.which ? Json(std::string(to_string(*value.which))) : Json(nullptr)},
         {"chaser", put(value.chaser)},
         {"weeks_overdue", value.weeks_overdue},
         {"review_date", put(value.review_date)},
         {"due", put(value.due)},
         {"last_word", put(value.last_word)},
         {"agency", put(value.agency)},
         {"provider", value.provider},
         {"officer", value.officer},
         {"confidentiality", put(value.confidentiality)},
         {"classification", put(value.classification)},
         {"copied_nwadcs", value.copied_nwadcs},
         {"no_officer_email", value.no_officer_email},
         {"remind_provider", value.remind_provider},
         {"caught_up", value.caught_up}};
}
void from_json(const Json& in, Chaser& value) {
  value = {.reference = text(in, "reference"),
           .which = chaser_step(in, "which"),
           .chaser = text(in, "chaser"),
           .weeks_overdue = whole(in, "weeks_overdue"),
           .review_date = text(in, "review_date"),
           .due = text(in, "due"),
           .last_word = text(in, "last_word"),
           .agency = text(in, "agency"),
           .provider = part<Named>(in, "provider"),
           .officer = part<Officer>(in, "officer"),
           .confidentiality = text(in, "confidentiality"),
           .classification = text(in, "classification"),
           .copied_nwadcs = flag(in, "copied_nwadcs"),
           .no_officer_email = flag(in, "no_officer_email"),
           .remind_provider = flag(in, "remind_provider"),
           .caught_up = flag(in, "caught_up")};
}

// ---- NWADCS's scheduled mails ----

void to_json(Json& out, const DigestPeriod& value) { out = {{"from", put(value.from)}, {"last", put(value.last)}}; }
void from_json(const Json& in, DigestPeriod& value) { value = {.from = text(in, "from"), .last = text(in, "last")}; }

void to_json(Json& out, const DigestCounts& value) {
  out = {
      {"received", put(value.received)},   {"logged", put(value.logged)},       {"updated", put(value.updated)},
      {"rescinded", put(value.rescinded)}, {"closed", put(value.closed)},       {"circulated", put(value.circulated)},
      {"returned", put(value.returned)},   {"attention", put(value.attention)}, {"ignored", put(value.ignored)},
      {"failures", put(value.failures)},   {"open", put(value.open)},           {"overdue", put(value.overdue)},
      {"waiting", put(value.waiting)}};
}
void from_json(const Json& in, DigestCounts& value) {
  value = {.received = count(in, "received"),
           .logged = count(in, "logged"),
           .updated = count(in, "updated"),
           .rescinded = count(in, "rescinded"),
           .closed = count(in, "closed"),
           .circulated = count(in, "circulated"),
           .returned = count(in, "returned"),
           .attention = count(in, "attention"),
           .ignored = count(in, "ignored"),
           .failures = count(in, "failures"),
           .open = count(in, "open"),
           .overdue = count(in, "overdue"),
           .waiting = count(in, "waiting")};
}

void to_json(Json& out, const OverdueItem& value) {
  out = {{"reference", put(value.reference)},
         {"agency", put(value.agency)},
         {"provider", put(value.provider)},
         {"review_date", put(value.review_date)}};
}
void from_json(const Json& in, OverdueItem& value) {
  value = {.reference = text(in, "reference"),
           .agency = text(in, "agency"),
           .provider = text(in, "provider"),
           .review_date = text(in, "review_date")};
}

void to_json(Json& out, const WaitingItem& value) {
  out = {{"received", put(value.received)}, {"message_id", put(value.message_id)}, {"reason", put(value.reason)}};
}
void from_json(const Json& in, WaitingItem& value) {
  value = {.received = text(in, "received"), .message_id = text(in, "message_id"), .reason = text(in, "reason")};
}

void to_json(Json& out, const FailedMail& value) {
  out = {{"reference", put(value.reference)},
         {"subject", put(value.subject)},
         {"recipients", put(value.recipients)},
         {"reply", put(value.reply)}};
}
void from_json(const Json& in, FailedMail& value) {
  value = {.reference = text(in, "reference"),
           .subject = text(in, "subject"),
           .recipients = text(in, "recipients"),
           .reply = text(in, "reply")};
}

void to_json(Json& out, const Digest& value) {
  out = {{"period", value.period},
         {"one_day", value.one_day},
         {"counts", value.counts},
         {"overdue", put(value.overdue)},
         {"more_overdue", put(value.more_overdue)},
         {"waiting", put(value.waiting)},
         {"more_waiting", put(value.more_waiting)},
         {"failed_mails", put(value.failed_mails)},
         {"more_failed", put(value.more_failed)},
         {"attention_folder", put(value.attention_folder)},
         {"classification", put(value.classification)}};
}
void from_json(const Json& in, Digest& value) {
  value = {.period = part<DigestPeriod>(in, "period"),
           .one_day = flag(in, "one_day"),
           .counts = part<DigestCounts>(in, "counts"),
           .overdue = parts<OverdueItem>(in, "overdue"),
           .more_overdue = count(in, "more_overdue"),
           .waiting = parts<WaitingItem>(in, "waiting"),
           .more_waiting = count(in, "more_waiting"),
           .failed_mails = parts<FailedMail>(in, "failed_mails"),
           .more_failed = count(in, "more_failed"),
           .attention_folder = text(in, "attention_folder"),
           .classification = text(in, "classification")};
}

void to_json(Json& out, const Spreadsheet& value) {
  out = {{"month", put(value.month)},         {"month_name", put(value.month_name)},
         {"rows", put(value.rows)},           {"restricted_rows", put(value.restricted_rows)},
         {"file_name", put(value.file_name)}, {"classification", put(value.classification)}};
}
void from_json(const Json& in, Spreadsheet& value) {
  value = {.month = text(in, "month"),
           .month_name = text(in, "month_name"),
           .rows = count(in, "rows"),
           .restricted_rows = count(in, "restricted_rows"),
           .file_name = text(in, "file_name"),
           .classification = text(in, "classification")};
}

void to_json(Json& out, const Alert& value) {
  out = {{"alert", put(value.alert)},
         {"reason", put(value.reason)},
         {"alert_lines", put(value.alert_lines)},
         {"advice", put(value.advice)},
         {"alert_every", put(value.alert_every)}};
}
void from_json(const Json& in, Alert& value) {
  value = {.alert = text(in, "alert"),
           .reason = text(in, "reason"),
           .alert_lines = texts(in, "alert_lines"),
           .advice = text(in, "advice"),
           .alert_every = text(in, "alert_every")};
}

}  // namespace ispd::mail_data
