#include "templates/render.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "templates/data_text.hpp"
#include "templates/embedded.hpp"
#include "util/text.hpp"

namespace ispd::templates {

namespace {

using Json = nlohmann::json;
using View = kainjow::mustache::data;
using Items = kainjow::mustache::list;

constexpr std::string_view kNotGiven = "not given";

using detail::at;
using detail::counted;
using detail::date_words;
using detail::is_true;
using detail::list_words;
using detail::scope_words;
using detail::sentence;
using detail::strings_at;
using detail::text_of;
using detail::words_for;
using text::joined;

// ---- What every template may show ----

enum class Shape {
  line,        // one line of text
  paragraphs,  // free text, its line breaks kept
  reason,      // a reason, as a sentence
  date,        // an ISO date, in words
  key,         // one key of form-schema.md, in the form's words
  keys,        // a list of keys, in the form's words
};

struct Field {
  std::string_view name;  // in the templates: {{name}} ("not given" when empty) and {{has_name}}
  std::string_view path;
  Shape shape;
  std::string_view keys = {};  // the tick list, for key and keys
};

constexpr Field kFields[] = {
    {"reference", "reference", Shape::line},
    {"agency", "agency", Shape::line},
    {"sender", "sender", Shape::line},
    {"subject", "subject", Shape::line},
    {"provider_name", "provider/name", Shape::line},
    {"company_number", "provider/company_number", Shape::line},
    {"ofsted_urn", "provider/ofsted_urn", Shape::line},
    {"officer_name", "officer/name", Shape::line},
    {"officer_email", "officer/email", Shape::line},
    {"officer_phone", "officer/phone", Shape::line},
    {"review_date", "review_date", Shape::date},
    {"confidentiality", "confidentiality", Shape::key, "confidentiality"},
    {"stage", "stage", Shape::key, "stage"},
    {"service_types", "service_types", Shape::keys, "service_type"},
    {"concerns", "concerns", Shape::keys, "concern"},
    {"actions", "actions", Shape::keys, "action"},
    {"details", "details", Shape::paragraphs},
    {"provider_response", "provider_response", Shape::paragraphs},
    {"reason", "reason", Shape::reason},
    {"advice", "advice", Shape::paragraphs},
    {"rescind_date", "rescind/date", Shape::date},
    {"rescind_officer_name", "rescind/officer_name", Shape::line},
    {"rescind_officer_email", "rescind/officer_email", Shape::line},
    {"outcomes", "rescind/outcomes", Shape::keys, "outcome"},
    {"contractual_outcomes", "rescind/contractual_outcomes", Shape::keys, "contractual_outcome"},
    {"placement_outcomes", "rescind/placement_outcomes", Shape::keys, "placement_outcome"},
    {"failure_subject", "failure/subject", Shape::line},
    {"failure_reference", "failure/reference", Shape::line},
    {"message_id", "failure/message_id", Shape::line},
    {"server_reply", "failure/reply", Shape::paragraphs},
    {"last_word", "last_word", Shape::date},
    // The daily digest.
    {"period_from", "period/from", Shape::date},
    {"period_last", "period/last", Shape::date},
    {"count_received", "counts/received", Shape::line},
    {"count_logged", "counts/logged", Shape::line},
    {"count_updated", "counts/updated", Shape::line},
    {"count_rescinded", "counts/rescinded", Shape::line},
    {"count_closed", "counts/closed", Shape::line},
    {"count_circulated", "counts/circulated", Shape::line},
    {"count_returned", "counts/returned", Shape::line},
    {"count_attention", "counts/attention", Shape::line},
    {"count_ignored", "counts/ignored", Shape::line},
    {"count_failures", "counts/failures", Shape::line},
    {"count_open", "counts/open", Shape::line},
    {"count_overdue", "counts/overdue", Shape::line},
    {"count_waiting", "counts/waiting", Shape::line},
    {"more_overdue", "more_overdue", Shape::line},
    {"more_waiting", "more_waiting", Shape::line},
    {"more_failed", "more_failed", Shape::line},
    {"attention_folder", "attention_folder", Shape::line},
    // The monthly spreadsheet.
    {"month_name", "month_name", Shape::line},
    {"row_count", "rows", Shape::line},
    {"restricted_rows", "restricted_rows", Shape::line},
    {"file_name", "file_name", Shape::line},
    // Health alerts.
    {"alert_every", "alert_every", Shape::line},
};

// Lists of records, each item's fields one line ({{#name}}{{field}}{{/name}}); a field named *date is a date.
struct RecordList {
  std::string_view name;
  std::initializer_list<std::string_view> fields;
};
const RecordList kRecordLists[] = {
    {"overdue", {"reference", "agency", "provider", "review_date"}},
    {"waiting", {"received", "message_id", "reason"}},
    {"failed_mails", {"reference", "subject", "recipients", "reply"}},
};

// {{#name}}: true only when the data says true.
constexpr std::string_view kFlags[] = {"circulated",    "sender_told",   "not_in_log",      "nobody_on_lists",
                                       "action_needed", "copied_nwadcs", "remind_provider", "no_officer_email",
                                       "one_day",       "not_stored"};

// A chaser's place in its schedule: {{chaser_<which>}} is true for it.
constexpr std::string_view kChasers[] = {"before", "on", "overdue", "close_request"};

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

// The kinds with templates, and the title of their HTML page.
struct Kind {
  std::string_view name;
  std::string_view title;  // empty: the circulation's heading
};
constexpr Kind kKinds[] = {
    {"acknowledgement", "ISP notification received"},
    {"returned", "ISP form returned"},
    {"circulation", ""},
    {"attention", "ISP mailbox: needs attention"},
    {"log", "ISP log"},
    {"chaser", "ISP notification review"},
    {"digest", "ISP mailbox digest"},
    {"spreadsheet", "ISP spreadsheet"},
    {"alert", "ISP mailbox alert"},
};

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
  void flag(const std::string& name, bool value) { view_.set(name, value); }
  void items(const std::string& name, const Items& items) {
    view_.set("has_" + name, !items.empty());
    view_.set(name, View(items));
  }
  View take() && { return std::move(view_); }

 private:
  View view_;
};

std::optional<std::string> field_value(const Json& data, const Field& field) {
  const Json* value = at(data, field.path);
  switch (field.shape) {
    case Shape::line: return text_of(value);
    case Shape::paragraphs: return text_of(value, true);
    case Shape::reason: {
      auto text = text_of(value, true);
      return text ? std::optional(sentence(std::move(*text))) : std::nullopt;
    }
    case Shape::date: {
      auto text = text_of(value);
      return text ? std::optional(date_words(*text)) : std::nullopt;
    }
    case Shape::key: {
      auto text = text_of(value);
      return text ? std::optional(words_for(field.keys, *text)) : std::nullopt;
    }
    case Shape::keys: {
      std::vector<std::string> words;
      for (const auto& key : strings_at(data, field.path)) words.push_back(words_for(field.keys, key));
      return words.empty() ? std::nullopt : std::optional(joined(words, ", "));
    }
  }
  return std::nullopt;
}

// One item of a list: every name its template uses is set, so a missing one
// never shows a value from the mail around it.
View item(std::initializer_list<std::pair<const char*, std::optional<std::string>>> fields) {
  ViewBuilder builder;
  for (const auto& [name, value] : fields) builder.text(name, value);
  return std::move(builder).take();
}

Items choices(const Json& data, std::string_view path) {
  Items out;
  const Json* list = at(data, path);
  if (!list || !list->is_array()) return out;
  for (const Json& choice : *list) {
    const auto audience = text_of(at(choice, "audience"));
    const auto scope = text_of(at(choice, "scope"));
    out.push_back(item({{"audience", audience ? std::optional(words_for("audience", *audience)) : std::nullopt},
                        {"scope", scope ? std::optional(scope_words(*scope)) : std::nullopt},
                        {"reason", text_of(at(choice, "reason"))}}));
  }
  return out;
}

Items settings(const Json& data) {
  Items out;
  const Json* list = at(data, "settings");
  if (!list || !list->is_array()) return out;
  for (const Json& setting : *list) {
    out.push_back(item({{"name", text_of(at(setting, "name"))},
                        {"ofsted_urn", text_of(at(setting, "ofsted_urn"))},
                        {"cqc_urn", text_of(at(setting, "cqc_urn"))}}));
  }
  return out;
}

// Problems are sentences ("Section 12: the details are missing."), numbered for the reader.
Items problems(const Json& data) {
  Items out;
  const Json* list = at(data, "problems");
  if (!list || !list->is_array()) return out;
  for (const Json& problem : *list) {
    auto text = text_of(problem.is_object() ? at(problem, "message") : &problem, true);
    if (!text) continue;
    out.push_back(item({{"number", std::to_string(out.size() + 1)}, {"text", std::move(text)}}));
  }
  return out;
}

Items files(const Json& data) {
  Items out;
  const Json* list = at(data, "files");
  if (!list || !list->is_array()) return out;
  for (const Json& file : *list) {
    out.push_back(item({{"name", text_of(at(file, "name")).value_or("An unnamed attachment")},
                        {"problem", text_of(at(file, "problem")).value_or("could not be read as the ISP form")}}));
  }
  return out;
}

Items records(const Json& data, const RecordList& list) {
  Items out;
  const Json* values = at(data, list.name);
  if (!values || !values->is_array()) return out;
  for (const Json& value : *values) {
    ViewBuilder builder;
    for (const auto field : list.fields) {
      auto text = text_of(at(value, field));
      if (text && field.ends_with("date")) text = date_words(*text);
      builder.text(std::string(field), std::move(text));
    }
    out.push_back(std::move(builder).take());
  }
  return out;
}

Items texts(const std::vector<std::string>& strings) {
  Items out;
  for (const auto& text : strings) out.push_back(item({{"text", text}}));
  return out;
}

// kainjow-mustache 4.1 drops a line that holds only section tags when the
// section is shown, but leaves it blank when the section is skipped. So such
// lines (and partials') are marked before rendering and removed after, as
// mustache means them to be. Form text never holds the mark: controls are spaces.
constexpr char kStandaloneMark = '\x01';

// Whether a line holds nothing but section, partial and comment tags.
bool standalone(std::string_view line) {
  std::size_t at = line.find_first_not_of(" \t");
  if (at == std::string_view::npos) return false;
  while (at < line.size()) {
    if (line.substr(at, 2) != "{{" || at + 2 >= line.size() ||
        std::string_view("#^/>!").find(line[at + 2]) == std::string_view::npos) {
      return false;
    }
    const std::size_t end = line.find("}}", at + 2);
    if (end == std::string_view::npos) return false;
    at = line.find_first_not_of(" \t", end + 2);
    if (at == std::string_view::npos) return true;
  }
  return true;
}

std::string marked(std::string_view source) {
  std::string out;
  out.reserve(source.size() + 64);
  while (!source.empty()) {
    const std::size_t end = source.find('\n');
    const std::string_view line = source.substr(0, end);
    if (standalone(line)) {
      out += line.substr(line.find_first_not_of(" \t"));
      out += kStandaloneMark;
    } else {
      out += line;
    }
    if (end == std::string_view::npos) break;
    out += '\n';
    source.remove_prefix(end + 1);
  }
  return out;
}

std::string unmarked(std::string_view rendered) {
  std::string out;
  out.reserve(rendered.size());
  while (!rendered.empty()) {
    const std::size_t end = rendered.find('\n');
    const std::string_view line = rendered.substr(0, end);
    const bool mark_only = line.find(kStandaloneMark) != std::string_view::npos &&
                           line.find_first_not_of(std::string(" \t") + kStandaloneMark) == std::string_view::npos;
    if (!mark_only) {
      for (const char c : line) {
        if (c != kStandaloneMark) out += c;
      }
      if (end != std::string_view::npos) out += '\n';
    }
    if (end == std::string_view::npos) break;
    rendered.remove_prefix(end + 1);
  }
  return out;
}

std::optional<std::string> template_source(std::string_view file) {
  const auto source = detail::embedded_template(file);
  if (!source) return std::nullopt;
  return marked(*source);
}

View view_of(const Kind& kind, const Json& data) {
  ViewBuilder view;
  for (const Field& field : kFields) view.text(std::string(field.name), field_value(data, field));
  for (const auto name : kFlags) view.flag(std::string(name), is_true(data, name));
  for (const auto name : kTextLists) {
    const auto strings = strings_at(data, name);
    view.items(std::string(name), texts(strings));
    view.text(std::string(name) + "_text", strings.empty() ? std::nullopt : std::optional(joined(strings, ", ")));
  }

  // Never mark a notification lower than its form asks.
  auto classification = text_of(at(data, "classification"));
  if (!classification) {
    const auto confidentiality = text_of(at(data, "confidentiality"));
    classification = confidentiality == "internal" ? "OFFICIAL" : "OFFICIAL-SENSITIVE";
  }
  view.text("classification", std::move(classification));

  const auto action_key = text_of(at(data, "action"));
  const Action* action = &kUnknownAction;
  for (const Action& known : kActions) {
    const bool is = action_key == known.key;
    view.flag("action_" + std::string(known.key), is);
    if (is) action = &known;
  }
  view.text("done", std::string(action->done));
  view.text("logged", std::string(action->logged));
  const bool response = at(data, "provider_response") != nullptr;
  const std::string heading(action->key == "log_new" && response ? kResponseHeading : action->heading);
  view.text("heading", heading);
  view.text("title", kind.title.empty() ? heading : std::string(kind.title));

  for (const RecordList& list : kRecordLists) view.items(std::string(list.name), records(data, list));

  Items lists;
  for (const auto& list : strings_at(data, "lists")) lists.push_back(item({{"words", list_words(list)}}));
  view.items("lists", lists);
  const Json* count = at(data, "recipient_count");
  view.text("recipients_words", count && count->is_number_unsigned()
                                    ? std::optional(counted(count->get<std::size_t>(), "recipient", "recipients"))
                                    : std::nullopt);
  view.items("dropped", choices(data, "dropped"));
  view.items("by_hand", choices(data, "by_hand"));
  view.items("settings", settings(data));

  const Items problem_items = problems(data);
  view.items("problems", problem_items);
  view.text("problems_heading", counted(problem_items.size(), "thing needs", "things need") + " putting right");
  view.flag("returned_sender_not_told", action_key == "returned" && !is_true(data, "sender_told"));

  // The returned mail for unreadable files, and the three kinds of attention mail.
  const Json* files_list = at(data, "files");
  view.flag("unreadable_files", files_list && files_list->is_array());
  view.items("files", files(data));
  const Json* failure = at(data, "failure");
  const bool is_failure = failure && failure->is_object();
  view.flag("delivery_failure", is_failure);
  view.flag("form_attention", !is_failure && (at(data, "stage") || at(data, "provider")));
  view.flag("mail_attention", !is_failure && !at(data, "stage") && !at(data, "provider"));
  const auto failure_kind = text_of(at(data, "failure/kind"));
  std::string failure_words(kFailureWords);
  for (const Failure& known : kFailures) {
    if (failure_kind == known.kind) failure_words = known.words;
  }
  view.text("failure_words", failure_words);
  std::vector<std::string> recipients = strings_at(data, "failure/recipients");
  if (recipients.empty()) {
    if (auto recipient = text_of(at(data, "failure/recipient"))) recipients.push_back(std::move(*recipient));
  }
  view.text("failure_recipients", recipients.empty() ? std::nullopt : std::optional(joined(recipients, ", ")));

  const Json* rescind = at(data, "rescind");
  view.flag("has_rescind", rescind && rescind->is_object());

  const auto which = text_of(at(data, "which"));
  for (const auto name : kChasers) view.flag("chaser_" + std::string(name), which == name);
  const Json* weeks = at(data, "weeks_overdue");
  view.text("weeks_words", weeks && weeks->is_number_integer() && weeks->get<long long>() > 0
                               ? std::optional(counted(weeks->get<std::size_t>(), "week", "weeks"))
                               : std::nullopt);

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
  return unmarked(out);
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
