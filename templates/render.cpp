#include "templates/render.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "mail_data/json.hpp"
#include "templates/data_text.hpp"
#include "templates/embedded.hpp"
#include "templates/standalone.hpp"
#include "util/text.hpp"

namespace ispd::templates {

namespace {

using Json = nlohmann::json;
using View = kainjow::mustache::data;
using Items = kainjow::mustache::list;

constexpr std::string_view kNotGiven = "not given";

using detail::counted;
using detail::date_words;
using detail::list_words;
using detail::scope_words;
using detail::sentence;
using detail::shown;
using detail::words_for;
using mail_data::Text;
using text::joined;

// ---- What every template may show ----

// Every {{name}} a template may use, "not given" until the mail's data gives it.
constexpr std::string_view kTexts[] = {"reference",
                                       "agency",
                                       "sender",
                                       "subject",
                                       "provider_name",
                                       "company_number",
                                       "ofsted_urn",
                                       "officer_name",
                                       "officer_email",
                                       "officer_phone",
                                       "review_date",
                                       "confidentiality",
                                       "stage",
                                       "service_types",
                                       "concerns",
                                       "actions",
                                       "details",
                                       "provider_response",
                                       "reason",
                                       "advice",
                                       "rescind_date",
                                       "rescind_officer_name",
                                       "rescind_officer_email",
                                       "outcomes",
                                       "contractual_outcomes",
                                       "placement_outcomes",
                                       "failure_subject",
                                       "failure_reference",
                                       "message_id",
                                       "server_reply",
                                       "last_word",
                                       "period_from",
                                       "period_last",
                                       "count_received",
                                       "count_logged",
                                       "count_updated",
                                       "count_rescinded",
                                       "count_closed",
                                       "count_circulated",
                                       "count_returned",
                                       "count_attention",
                                       "count_ignored",
                                       "count_failures",
                                       "count_open",
                                       "count_overdue",
                                       "count_waiting",
                                       "more_overdue",
                                       "more_waiting",
                                       "more_failed",
                                       "attention_folder",
                                       "month_name",
                                       "row_count",
                                       "restricted_rows",
                                       "file_name",
                                       "alert_every",
                                       "recipients_words",
                                       "failure_recipients",
                                       "weeks_words"};

// {{#name}}: true only when the data says true.
constexpr std::string_view kFlags[] = {
    "circulated",       "sender_told",     "not_in_log",       "nobody_on_lists", "action_needed",
    "copied_nwadcs",    "remind_provider", "no_officer_email", "one_day",         "unreadable_files",
    "delivery_failure", "form_attention",  "mail_attention",   "has_rescind",     "returned_sender_not_told",
    "not_stored"};

// Lists: {{#name}}...{{/name}} and {{has_name}}.
constexpr std::string_view kLists[] = {"overdue", "waiting",  "failed_mails", "lists", "dropped",
                                       "by_hand", "settings", "problems",     "files"};

// A chaser's place in its schedule: {{chaser_<which>}} is true for it.
constexpr std::pair<mail_data::ChaserStep, std::string_view> kChasers[] = {
    {mail_data::ChaserStep::before, "chaser_before"},
    {mail_data::ChaserStep::on, "chaser_on"},
    {mail_data::ChaserStep::overdue, "chaser_overdue"},
    {mail_data::ChaserStep::close_request, "chaser_close_request"}};

// Lists of plain sentences or references: {{#name}}{{text}}{{/name}}, {{has_name}} and {{name_text}} (joined).
constexpr std::string_view kTextLists[] = {"unreadable", "possible_duplicates", "other_files_not_read", "alert_lines"};

struct Action {
  std::string_view key;      // to_string(FormAction); {{action_<key>}} is true for it
  std::string_view done;     // the acknowledgement: what was done with the form
  std::string_view heading;  // the circulation's heading
  std::string_view logged;   // the log mail's first line
};

constexpr Action kActions[] = {
    {"log_new", "It has been logged as a new notification", "ISP notification", "Logged as a new notification"},
    {"update", "It has been logged as an update to the notification", "ISP notification update",
     "Logged as an update to an open notification"},
    {"provider_response", "The provider's response has been added to the notification", "ISP notification update",
     "The provider's response was added to an open notification"},
    {"extend", "The notification has been updated and its review date extended", "ISP notification extended",
     "Logged as an extension: the review date is later"},
    {"rescind", "The notification has been rescinded", "ISP notification rescinded", "Rescinded"},
    {"returned", "The form has been returned to you", "ISP notification", "Returned to the sender to be corrected"},
    {"attention", "The form is waiting for NWADCS to look at it", "ISP notification", "Waiting for a person"},
    {"close", "The notification has been closed", "ISP notification closed", "Closed by NWADCS: no further concerns"},
};
constexpr Action kUnknownAction = {"", "It has been received", "ISP notification", "Received"};
// A provider response for a notification not in the log is logged anew, but partners see it as an update.
constexpr std::string_view kResponseHeading = "ISP notification update";

// How a failed delivery failed.
struct Failure {
  std::string_view kind;
  std::string_view words;
};
constexpr Failure kFailures[] = {
    {"rejected", "The receiving mail server refused it"},
    {"bounced", "It was accepted at first, then came back undelivered"},
    {"gave_up", "It could not be delivered after repeated tries, and the mailbox has stopped trying"},
};
constexpr std::string_view kFailureWords = "It could not be delivered";

// The partials the templates share: {{> name}}.
struct Partial {
  const char* name;
  const char* file;
};
constexpr Partial kPartials[] = {{"html_head", "html_head.html.mustache"},
                                 {"html_foot", "html_foot.html.mustache"},
                                 {"text_foot", "text_foot.txt.mustache"}};

class ViewBuilder {
 public:
  void text(const std::string& name, std::optional<std::string> value) {
    view_.set("has_" + name, value.has_value());
    view_.set(name, value ? std::move(*value) : std::string(kNotGiven));
  }
  void line(const std::string& name, const Text& value) { text(name, shown(value)); }
  void paragraphs(const std::string& name, const Text& value) { text(name, shown(value, true)); }
  void reason(const std::string& name, const Text& value) {
    auto shown_text = shown(value, true);
    text(name, shown_text ? std::optional(sentence(std::move(*shown_text))) : std::nullopt);
  }
  void date(const std::string& name, const Text& value) {
    const auto shown_text = shown(value);
    text(name, shown_text ? std::optional(date_words(*shown_text)) : std::nullopt);
  }
  void count(const std::string& name, const mail_data::Count& value) {
    text(name, value ? std::optional(std::to_string(*value)) : std::nullopt);
  }
  // A key of the tick list `field`, or a list of them, in the form's words.
  void key(const std::string& name, std::string_view field, const Text& value) {
    const auto shown_text = shown(value);
    text(name, shown_text ? std::optional(words_for(field, *shown_text)) : std::nullopt);
  }
  void keys(const std::string& name, std::string_view field, const std::vector<std::string>& values) {
    std::vector<std::string> words;
    for (const auto& value : shown(values)) words.push_back(words_for(field, value));
    text(name, words.empty() ? std::nullopt : std::optional(joined(words, ", ")));
  }
  void flag(const std::string& name, bool value) { view_.set(name, value); }
  void items(const std::string& name, const Items& items) {
    view_.set("has_" + name, !items.empty());
    view_.set(name, View(items));
  }
  void text_list(const std::string& name, const std::vector<std::string>& values);
  View take() && { return std::move(view_); }

 private:
  View view_;
};

// One item of a list: every name its template uses is set, so a missing one
// never shows a value from the mail around it.
View item(std::initializer_list<std::pair<const char*, std::optional<std::string>>> fields) {
  ViewBuilder builder;
  for (const auto& [name, value] : fields) builder.text(name, value);
  return std::move(builder).take();
}

void ViewBuilder::text_list(const std::string& name, const std::vector<std::string>& values) {
  const auto strings = shown(values);
  Items out;
  for (const auto& value : strings) out.push_back(item({{"text", value}}));
  items(name, out);
  text(name + "_text", strings.empty() ? std::nullopt : std::optional(joined(strings, ", ")));
}

// ---- The parts the mails share ----

// Never mark a notification lower than its form asks.
void marking(ViewBuilder& view, const Text& classification, const Text& confidentiality) {
  auto shown_text = shown(classification);
  if (!shown_text) shown_text = shown(confidentiality) == "internal" ? "OFFICIAL" : "OFFICIAL-SENSITIVE";
  view.text("classification", std::move(shown_text));
}

// What was done with the form, in the words of each mail, and the page's title.
void action_words(ViewBuilder& view, std::string_view title, const Text& action_key, bool response = false) {
  const auto key = shown(action_key);
  const Action* action = &kUnknownAction;
  for (const Action& known : kActions) {
    const bool is = key == known.key;
    view.flag("action_" + std::string(known.key), is);
    if (is) action = &known;
  }
  view.text("done", std::string(action->done));
  view.text("logged", std::string(action->logged));
  const std::string heading(action->key == "log_new" && response ? kResponseHeading : action->heading);
  view.text("heading", heading);
  view.text("title", title.empty() ? heading : std::string(title));
}

void provider(ViewBuilder& view, const mail_data::Provider& provider) {
  view.line("provider_name", provider.name);
  view.line("company_number", provider.company_number);
  view.line("ofsted_urn", provider.ofsted_urn);
}

void officer(ViewBuilder& view, const mail_data::Officer& officer) {
  view.line("officer_name", officer.name);
  view.line("officer_email", officer.email);
  view.line("officer_phone", officer.phone);
}

void choices(ViewBuilder& view, const std::string& name, const std::vector<mail_data::Choice>& list) {
  Items out;
  for (const auto& choice : list) {
    const auto audience = shown(choice.audience);
    const auto scope = shown(choice.scope);
    out.push_back(item({{"audience", audience ? std::optional(words_for("audience", *audience)) : std::nullopt},
                        {"scope", scope ? std::optional(scope_words(*scope)) : std::nullopt},
                        {"reason", shown(choice.reason)}}));
  }
  view.items(name, out);
}

void lists(ViewBuilder& view, const std::vector<std::string>& names) {
  Items out;
  for (const auto& list : shown(names)) out.push_back(item({{"words", list_words(list)}}));
  view.items("lists", out);
}

// Problems are sentences ("Section 12: the details are missing."), numbered for the reader.
void problems(ViewBuilder& view, const std::vector<std::string>& sentences) {
  Items out;
  for (const auto& problem : sentences) {
    auto text = shown(problem, true);
    if (!text) continue;
    out.push_back(item({{"number", std::to_string(out.size() + 1)}, {"text", std::move(text)}}));
  }
  view.items("problems", out);
  view.text("problems_heading", counted(out.size(), "thing needs", "things need") + " putting right");
}

// What every template may use, "not given", false or empty until the mail's data says otherwise.
void defaults(ViewBuilder& view, std::string_view title) {
  for (const auto name : kTexts) view.text(std::string(name), std::nullopt);
  for (const auto name : kFlags) view.flag(std::string(name), false);
  for (const auto name : kLists) view.items(std::string(name), {});
  for (const auto name : kTextLists) view.text_list(std::string(name), {});
  for (const auto& [step, name] : kChasers) view.flag(std::string(name), false);
  marking(view, std::nullopt, std::nullopt);
  action_words(view, title, std::nullopt);
  problems(view, {});
  view.text("failure_words", std::string(kFailureWords));
  view.flag("mail_attention", true);
}

// ---- Each mail ----

void fill(ViewBuilder& view, std::string_view title, const mail_data::Acknowledgement& data) {
  view.line("reference", data.reference);
  action_words(view, title, data.action);
  view.line("agency", data.agency);
  view.line("provider_name", data.provider.name);
  view.line("officer_name", data.officer.name);
  view.date("review_date", data.review_date);
  marking(view, data.classification, std::nullopt);
  view.flag("circulated", data.circulated);
  lists(view, data.lists);
  choices(view, "dropped", data.dropped);
  choices(view, "by_hand", data.by_hand);
  view.flag("not_in_log", data.not_in_log);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Returned& data) {
  view.line("reference", data.reference);
  action_words(view, title, data.action);
  view.line("agency", data.agency);
  if (data.provider) view.line("provider_name", data.provider->name);
  if (data.officer) view.line("officer_name", data.officer->name);
  problems(view, data.problems);
  view.line("subject", data.subject);
  view.paragraphs("advice", data.advice);
  view.flag("unreadable_files", data.files.has_value());
  Items files;
  for (const auto& file : data.files.value_or(std::vector<mail_data::UnreadableFile>{})) {
    files.push_back(item({{"name", shown(file.name).value_or("An unnamed attachment")},
                          {"problem", shown(file.problem).value_or("could not be read as the ISP form")}}));
  }
  view.items("files", files);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Circulation& data) {
  view.line("reference", data.reference);
  action_words(view, title, data.action, data.provider_response.has_value());
  view.line("agency", data.agency);
  provider(view, data.provider);
  Items settings;
  for (const auto& setting : data.settings) {
    settings.push_back(item({{"name", shown(setting.name)},
                             {"ofsted_urn", shown(setting.ofsted_urn)},
                             {"cqc_urn", shown(setting.cqc_urn)}}));
  }
  view.items("settings", settings);
  view.keys("service_types", "service_type", data.service_types);
  view.keys("concerns", "concern", data.concerns);
  view.keys("actions", "action", data.actions);
  view.date("review_date", data.review_date);
  officer(view, data.officer);
  view.key("confidentiality", "confidentiality", data.confidentiality);
  marking(view, data.classification, data.confidentiality);
  view.paragraphs("details", data.details);
  if (data.provider_response) view.paragraphs("provider_response", *data.provider_response);
  view.flag("has_rescind", data.rescind.has_value());
  if (const auto& rescind = data.rescind) {
    view.date("rescind_date", rescind->date);
    view.line("rescind_officer_name", rescind->officer_name);
    view.line("rescind_officer_email", rescind->officer_email);
    view.keys("outcomes", "outcome", rescind->outcomes);
    view.keys("contractual_outcomes", "contractual_outcome", rescind->contractual_outcomes);
    view.keys("placement_outcomes", "placement_outcome", rescind->placement_outcomes);
  }
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Attention& data) {
  view.line("reference", data.reference);
  action_words(view, title, data.action);
  view.line("agency", data.agency);
  view.line("sender", data.sender);
  if (data.provider) provider(view, *data.provider);
  view.key("stage", "stage", data.stage);
  view.reason("reason", data.reason);
  view.line("subject", data.subject);
  view.text_list("unreadable", data.unreadable);
  view.flag("sender_told", data.sender_told);
  view.flag("not_stored", data.not_stored);
  const bool about_form = data.stage.has_value() || data.provider.has_value();
  view.flag("delivery_failure", data.failure.has_value());
  view.flag("form_attention", !data.failure && about_form);
  view.flag("mail_attention", !data.failure && !about_form);
  if (const auto& failure = data.failure) {
    std::string words(kFailureWords);
    const auto kind = shown(failure->kind);
    for (const Failure& known : kFailures) {
      if (kind == known.kind) words = known.words;
    }
    view.text("failure_words", words);
    auto recipients = shown(failure->recipients);
    if (recipients.empty()) {
      if (auto recipient = shown(failure->recipient)) recipients.push_back(std::move(*recipient));
    }
    view.text("failure_recipients", recipients.empty() ? std::nullopt : std::optional(joined(recipients, ", ")));
    view.line("failure_subject", failure->subject);
    view.line("failure_reference", failure->reference);
    view.line("message_id", failure->message_id);
    view.paragraphs("server_reply", failure->reply);
  }
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Log& data) {
  view.line("reference", data.reference);
  action_words(view, title, data.action);
  view.line("agency", data.agency);
  view.line("sender", data.sender);
  view.flag("sender_told", data.sender_told);
  view.flag("returned_sender_not_told", shown(data.action) == "returned" && !data.sender_told);
  provider(view, data.provider);
  view.keys("service_types", "service_type", data.service_types);
  view.keys("concerns", "concern", data.concerns);
  view.date("review_date", data.review_date);
  officer(view, data.officer);
  view.key("confidentiality", "confidentiality", data.confidentiality);
  marking(view, data.classification, data.confidentiality);
  view.flag("circulated", data.circulated);
  lists(view, data.lists);
  view.text("recipients_words", data.recipient_count
                                    ? std::optional(counted(*data.recipient_count, "recipient", "recipients"))
                                    : std::nullopt);
  view.flag("nobody_on_lists", data.nobody_on_lists);
  choices(view, "dropped", data.dropped);
  choices(view, "by_hand", data.by_hand);
  problems(view, data.problems);
  view.text_list("possible_duplicates", data.possible_duplicates);
  view.flag("not_in_log", data.not_in_log);
  view.text_list("other_files_not_read", data.other_files_not_read);
  view.flag("action_needed", data.action_needed);
  view.reason("reason", data.reason);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Chaser& data) {
  view.line("reference", data.reference);
  action_words(view, title, std::nullopt);
  for (const auto& [step, name] : kChasers) view.flag(std::string(name), data.which == step);
  view.text("weeks_words", data.weeks_overdue > 0
                               ? std::optional(counted(static_cast<std::size_t>(data.weeks_overdue), "week", "weeks"))
                               : std::nullopt);
  view.date("review_date", data.review_date);
  view.date("last_word", data.last_word);
  view.line("agency", data.agency);
  view.line("provider_name", data.provider.name);
  officer(view, data.officer);
  view.key("confidentiality", "confidentiality", data.confidentiality);
  marking(view, data.classification, data.confidentiality);
  view.flag("copied_nwadcs", data.copied_nwadcs);
  view.flag("no_officer_email", data.no_officer_email);
  view.flag("remind_provider", data.remind_provider);
}

// A list of records, each field one line ({{#name}}{{field}}{{/name}}); dates in words.
template <typename Record, typename Fields>
void records(ViewBuilder& view, const std::string& name, const std::vector<Record>& list, Fields fields) {
  Items out;
  for (const Record& record : list) {
    ViewBuilder builder;
    fields(builder, record);
    out.push_back(std::move(builder).take());
  }
  view.items(name, out);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Digest& data) {
  action_words(view, title, std::nullopt);
  view.date("period_from", data.period.from);
  view.date("period_last", data.period.last);
  view.flag("one_day", data.one_day);
  const auto& c = data.counts;
  const std::pair<const char*, const mail_data::Count&> counts[] = {
      {"count_received", c.received},   {"count_logged", c.logged},       {"count_updated", c.updated},
      {"count_rescinded", c.rescinded}, {"count_closed", c.closed},       {"count_circulated", c.circulated},
      {"count_returned", c.returned},   {"count_attention", c.attention}, {"count_ignored", c.ignored},
      {"count_failures", c.failures},   {"count_open", c.open},           {"count_overdue", c.overdue},
      {"count_waiting", c.waiting}};
  for (const auto& [name, value] : counts) view.count(name, value);
  records(view, "overdue", data.overdue, [](ViewBuilder& item, const mail_data::OverdueItem& overdue) {
    item.line("reference", overdue.reference);
    item.line("agency", overdue.agency);
    item.line("provider", overdue.provider);
    item.date("review_date", overdue.review_date);
  });
  view.count("more_overdue", data.more_overdue);
  records(view, "waiting", data.waiting, [](ViewBuilder& item, const mail_data::WaitingItem& waiting) {
    item.line("received", waiting.received);
    item.line("message_id", waiting.message_id);
    item.line("reason", waiting.reason);
  });
  view.count("more_waiting", data.more_waiting);
  records(view, "failed_mails", data.failed_mails, [](ViewBuilder& item, const mail_data::FailedMail& failed) {
    item.line("reference", failed.reference);
    item.line("subject", failed.subject);
    item.line("recipients", failed.recipients);
    item.line("reply", failed.reply);
  });
  view.count("more_failed", data.more_failed);
  view.line("attention_folder", data.attention_folder);
  marking(view, data.classification, std::nullopt);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Spreadsheet& data) {
  action_words(view, title, std::nullopt);
  view.line("month_name", data.month_name);
  view.count("row_count", data.rows);
  view.count("restricted_rows", data.restricted_rows);
  view.line("file_name", data.file_name);
  marking(view, data.classification, std::nullopt);
}

void fill(ViewBuilder& view, std::string_view title, const mail_data::Alert& data) {
  action_words(view, title, std::nullopt);
  view.reason("reason", data.reason);
  view.text_list("alert_lines", data.alert_lines);
  view.paragraphs("advice", data.advice);
  view.line("alert_every", data.alert_every);
}

template <typename Mail>
void fill_from(ViewBuilder& view, std::string_view title, const nlohmann::json& data) {
  fill(view, title, mail_data::read<Mail>(data));
}

// The kinds with templates, the title of their HTML page, and the data they are rendered from.
struct Kind {
  std::string_view name;
  std::string_view title;  // empty: the circulation's heading
  void (*fill)(ViewBuilder&, std::string_view, const nlohmann::json&);
};
constexpr Kind kKinds[] = {
    {"acknowledgement", "ISP notification received", fill_from<mail_data::Acknowledgement>},
    {"returned", "ISP form returned", fill_from<mail_data::Returned>},
    {"circulation", "", fill_from<mail_data::Circulation>},
    {"attention", "ISP mailbox: needs attention", fill_from<mail_data::Attention>},
    {"log", "ISP log", fill_from<mail_data::Log>},
    {"chaser", "ISP notification review", fill_from<mail_data::Chaser>},
    {"digest", "ISP mailbox digest", fill_from<mail_data::Digest>},
    {"spreadsheet", "ISP spreadsheet", fill_from<mail_data::Spreadsheet>},
    {"alert", "ISP mailbox alert", fill_from<mail_data::Alert>},
};

std::optional<std::string> template_source(std::string_view file) {
  const auto source = detail::embedded_template(file);
  if (!source) return std::nullopt;
  return detail::marked(*source);
}

View view_of(const Kind& kind, const Json& data) {
  ViewBuilder view;
  defaults(view, kind.title);
  kind.fill(view, kind.title, data);
  View out = std::move(view).take();
  for (const Partial& partial : kPartials) {
    const std::string_view file = partial.file;
    out.set(partial.name, View(kainjow::mustache::partial([file] { return template_source(file).value_or(""); })));
  }
  return out;
}

std::string identity(const std::string& text) { return text; }

Result<std::string> render_file(const std::string& file, const View& view, bool html) {
  const auto source = template_source(file);
  if (!source) return Error{"no template " + file};
  kainjow::mustache::mustache mail{*source};
  // Text goes out as text: HTML escaping belongs to the HTML only.
  if (!html) mail.set_custom_escape(identity);
  if (!mail.is_valid()) return Error{"the template " + file + " could not be read: " + mail.error_message()};
  const std::string out = mail.render(view);
  if (!mail.is_valid()) return Error{"the template " + file + " could not be rendered: " + mail.error_message()};
  return detail::unmarked(out);
}

}  // namespace

Result<RenderedMail> render(std::string_view kind, const nlohmann::json& data) {
  const Kind* known = nullptr;
  for (const Kind& candidate : kKinds) {
    if (candidate.name == kind) known = &candidate;
  }
  if (!known) return Error{"no template for \"" + std::string(kind) + "\" mails"};

  const View view = view_of(*known, data);
  const std::string base(kind);
  auto text = render_file(base + ".txt.mustache", view, false);
  if (!text) return text.error();
  auto html = render_file(base + ".html.mustache", view, true);
  if (!html) return html.error();
  return RenderedMail{std::move(text).value(), std::move(html).value()};
}

}  // namespace ispd::templates
