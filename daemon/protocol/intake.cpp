#include "daemon/protocol/intake.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace ispd::protocol {

namespace {

using Json = nlohmann::json;

// Subjects stay on one screen line; form text in them is shortened first so the
// protocol's own words (reference, action, counts) always survive.
constexpr std::size_t kMaxSubject = 200;
constexpr std::size_t kMaxProviderInSubject = 110;
constexpr std::size_t kMaxAgencyInSubject = 60;
constexpr std::size_t kMaxQuotedSubject = 120;
constexpr std::size_t kMaxNameInReason = 120;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::string_view kDash = " \xE2\x80\x94 ";
constexpr std::string_view kActionNeeded = "action needed";

constexpr std::string_view kResendAdvice =
    "Please attach the completed ISP notification form as a Word document (.docx), not a PDF, a scan, an old "
    "Word 97-2003 .doc file or a macro-enabled .docm file, without a password, and send it again.";

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }
char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// How many bytes at `at` are a character that must not reach a header: C0 and
// C1 controls, DEL, line and paragraph separators, no-break space and the
// bidirectional controls that reorder what a reader sees. 0 for anything else.
std::size_t blank_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U; };
  const unsigned c = byte(at);
  if (c < 0x20 || c == 0x7F || c == ' ') return 1;
  if (c == 0xC2 && ((byte(at + 1) >= 0x80 && byte(at + 1) <= 0x9F) || byte(at + 1) == 0xA0)) return 2;
  if (c == 0xE2 && byte(at + 1) == 0x80 &&
      (byte(at + 2) == 0xA8 || byte(at + 2) == 0xA9 || (byte(at + 2) >= 0xAA && byte(at + 2) <= 0xAE))) {
    return 3;
  }
  if (c == 0xE2 && byte(at + 1) == 0x81 && byte(at + 2) >= 0xA6 && byte(at + 2) <= 0xA9) return 3;
  return 0;
}

// Text as one line: every control character a space, runs of spaces one, at
// most `max_bytes` (whole UTF-8 characters, an ellipsis where it was cut).
std::string one_line(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes + kEllipsis.size()));
  bool gap = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t blank = blank_length(text, i); blank > 0) {
      gap = !out.empty();
      i += blank;
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += text[i++];
  }
  if (out.size() <= max_bytes) return out;
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(kEllipsis);
}

bool present(const Text& text) { return text && !trimmed(*text).empty(); }


// A domain as DNS writes it: letters, digits and hyphens in non-empty labels.
bool is_domain(std::string_view domain) {
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  char previous = '.';
  for (const char c : domain) {
    if (c == '.' && previous == '.') return false;
    if (c != '.' && c != '-' && !is_alnum(c)) return false;
    previous = c;
  }
  return true;
}

// The lower-case domain of an address, or empty when the address is malformed.
std::string domain_of(std::string_view address) {
  address = trimmed(address);
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string_view::npos) return {};
  std::string domain = lowercase(address.substr(at + 1));
  return is_domain(domain) ? domain : std::string{};
}

bool in_domain(std::string_view domain, std::string_view configured) {
  if (configured.empty()) return false;
  if (domain == configured) return true;
  return domain.size() > configured.size() && domain.ends_with(configured) &&
         domain[domain.size() - configured.size() - 1] == '.';
}

std::string with_count(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string file_name(const AttachmentFinding& attachment) {
  const std::string name = one_line(attachment.name, kMaxNameInReason);
  return name.empty() ? "an unnamed attachment" : name;
}

bool unreadable_form(const AttachmentFinding& attachment) { return attachment.looks_like_form && !attachment.form; }

// "report.pdf is a PDF, not the Word form; ...": the parser's message follows the file's name.
std::string unreadable_sentence(const AttachmentFinding& attachment) {
  const std::string problem = one_line(attachment.problem, kMaxNameInReason * 2);
  return file_name(attachment) + " " + (problem.empty() ? "could not be read as the ISP form" : problem);
}

// ---- Deciding a form ----

std::vector<std::string> references(const std::vector<store::Notification>& notifications) {
  std::vector<std::string> out;
  out.reserve(notifications.size());
  for (const auto& notification : notifications) out.push_back(notification.reference);
  return out;
}

std::string ended_words(store::NotificationStatus status) {
  return status == store::NotificationStatus::closed ? "was closed by NWADCS" : "was already rescinded";
}

// The form is a rescind from an authority other than the one that issued the notification.
Problem rescind_from_other_agency(const store::Notification& match, std::string_view agency) {
  return {16, "Section B: a notification can only be rescinded by the agency that issued it (" + match.agency +
                  "), but this form was sent from " + std::string(agency) + "."};
}

std::vector<Problem> problems_with(const Form& form, std::string_view agency, const store::Notification* match,
                                   const CheckContext& context) {
  CheckContext checked = context;
  const bool other_agency = form.stage == Stage::rescind && match && !same_agency(match->agency, agency);
  if (form.stage == Stage::rescind && match) {
    // The sender's domain proves who sent it; the agency typed on the form counts only against another authority.
    if (other_agency) {
      checked.issuing_agency_on_record = match->agency;
    } else {
      checked.issuing_agency_on_record.reset();
    }
  }
  auto problems = check_form(form, checked);
  // check_form refuses only when the form names another agency; the sender's domain counts as much.
  if (other_agency &&
      !(present(form.issuing_agency.agency) && !same_agency(*form.issuing_agency.agency, match->agency))) {
    problems.push_back(rescind_from_other_agency(*match, agency));
    std::stable_sort(problems.begin(), problems.end(),
                     [](const Problem& a, const Problem& b) { return a.section < b.section; });
  }
  return problems;
}

// ---- Planning mails ----

std::string_view classification_of(const Form& form, const Circulation& circulation) {
  if (!circulation.classification.empty()) return circulation.classification;
  // Never mark a notification lower than its form asks.
  if (form.confidentiality == Confidentiality::internal) return "OFFICIAL";
  return "OFFICIAL-SENSITIVE";
}

std::string provider_in_subject(const Form& form) {
  const std::string name = present(form.provider.name) ? one_line(*form.provider.name, kMaxProviderInSubject) : "";
  return name.empty() ? "provider not named" : name;
}

std::string reference_prefix(std::string_view reference) {
  return reference.empty() ? std::string{} : "[" + one_line(reference, 40) + "] ";
}

std::string subject_line(std::string_view text) { return one_line(text, kMaxSubject); }

Json text_json(const Text& text) { return text ? Json(*text) : Json(nullptr); }
Json reference_json(std::string_view reference) { return reference.empty() ? Json(nullptr) : Json(reference); }

Json choices_json(const std::vector<DroppedChoice>& choices) {
  Json out = Json::array();
  for (const auto& choice : choices) {
    out.push_back({{"audience", choice.audience}, {"scope", choice.scope}, {"reason", choice.reason}});
  }
  return out;
}

Json provider_json(const Form& form) {
  return {{"name", text_json(form.provider.name)},
          {"company_number", text_json(form.provider.company_number)},
          {"ofsted_urn", text_json(form.provider.ofsted_urn)}};
}

Json officer_json(const Form& form) {
  return {{"name", text_json(form.issuing_agency.officer_name)},
          {"email", text_json(form.issuing_agency.officer_email)},
          {"phone", text_json(form.issuing_agency.officer_phone)}};
}

Json review_date_json(const Form& form) {
  return form.issuing_agency.review_date ? Json(iso_date(*form.issuing_agency.review_date)) : Json(nullptr);
}

Json confidentiality_json(const Form& form) {
  return form.confidentiality ? Json(std::string(to_string(*form.confidentiality))) : Json(nullptr);
}

Json problems_json(const std::vector<Problem>& problems) {
  Json out = Json::array();
  for (const auto& problem : problems) out.push_back(problem.message);
  return out;
}

// The sender's authority, or the agency the form names when there is none.
std::string agency_of(const MailDecision& mail, const Form& form) {
  if (mail.agency) return *mail.agency;
  return form.issuing_agency.agency.value_or("");
}

// What partners are told about the notification: the summary of the form.
Json summary_json(const MailDecision& mail, const Form& form, const FormDecision& decision, std::string_view reference,
                  const Circulation& circulation) {
  Json settings = Json::array();
  for (const auto& setting : form.settings) {
    settings.push_back({{"name", text_json(setting.name)},
                        {"ofsted_urn", text_json(setting.ofsted_urn)},
                        {"cqc_urn", text_json(setting.cqc_urn)}});
  }
  return {{"reference", reference_json(reference)},
          {"action", std::string(to_string(decision.action))},
          {"agency", agency_of(mail, form)},
          {"provider", provider_json(form)},
          {"settings", std::move(settings)},
          {"service_types", form.service_types},
          {"concerns", form.concerns},
          {"actions", form.actions},
          {"review_date", review_date_json(form)},
          {"officer", officer_json(form)},
          {"confidentiality", confidentiality_json(form)},
          {"classification", std::string(classification_of(form, circulation))}};
}

// What the form's rescind says, without its free text (the form itself is attached).
Json rescind_json(const Form& form) {
  if (!form.rescind) return nullptr;
  const Rescind& rescind = *form.rescind;
  return {{"date", rescind.date ? Json(iso_date(*rescind.date)) : Json(nullptr)},
          {"officer_name", text_json(rescind.officer_name)},
          {"officer_email", text_json(rescind.officer_email)},
          {"outcomes", rescind.outcomes},
          {"contractual_outcomes", rescind.contractual_outcomes},
          {"placement_outcomes", rescind.placement_outcomes}};
}

std::string_view circulation_words(const Form& form, const FormDecision& decision) {
  switch (decision.action) {
    case FormAction::log_new:
      return form.stage == Stage::provider_response ? "ISP notification update" : "ISP notification";
    case FormAction::update:
    case FormAction::provider_response: return "ISP notification update";
    case FormAction::extend: return "ISP notification extended";
    case FormAction::rescind: return "ISP notification rescinded";
    case FormAction::returned:
    case FormAction::attention: break;
  }
  return "ISP notification";
}

std::string_view acknowledgement_words(FormAction action) {
  switch (action) {
    case FormAction::update: return "Update received";
    case FormAction::provider_response: return "Provider response received";
    case FormAction::extend: return "Extension received";
    case FormAction::rescind: return "Rescind received";
    case FormAction::log_new:
    case FormAction::returned:
    case FormAction::attention: break;
  }
  return "Received";
}

std::string_view log_words(FormAction action) {
  switch (action) {
    case FormAction::log_new: return "Logged";
    case FormAction::update: return "Updated";
    case FormAction::provider_response: return "Provider response";
    case FormAction::extend: return "Extended";
    case FormAction::rescind: return "Rescinded";
    case FormAction::returned: return "Returned";
    case FormAction::attention: return "Needs attention";
  }
  return "Logged";
}

}  // namespace

std::string_view to_string(MailRoute route) {
  switch (route) {
    case MailRoute::ignore: return "ignore";
    case MailRoute::attention: return "attention";
    case MailRoute::forms: return "forms";
  }
  return "attention";
}

std::string_view to_string(FormAction action) {
  switch (action) {
    case FormAction::log_new: return "log_new";
    case FormAction::update: return "update";
    case FormAction::provider_response: return "provider_response";
    case FormAction::extend: return "extend";
    case FormAction::rescind: return "rescind";
    case FormAction::returned: return "returned";
    case FormAction::attention: return "attention";
  }
  return "attention";
}

const Authority* authority_of(std::string_view address, std::span<const Authority> authorities) {
  const std::string domain = domain_of(address);
  if (domain.empty()) return nullptr;
  for (const auto& authority : authorities) {
    for (const auto& configured : authority.domains) {
      if (in_domain(domain, lowercase(trimmed(configured)))) return &authority;
    }
  }
  return nullptr;
}

std::optional<std::string> reference_in_subject(std::string_view subject) {
  for (std::size_t i = 0; i + 3 < subject.size(); ++i) {
    if (upper(subject[i]) != 'I' || upper(subject[i + 1]) != 'S' || upper(subject[i + 2]) != 'P' ||
        subject[i + 3] != '-' || (i > 0 && is_alnum(subject[i - 1]))) {
      continue;
    }
    std::size_t p = i + 4;
    if (subject.size() < p + 5 || !std::all_of(subject.begin() + static_cast<std::ptrdiff_t>(p),
                                               subject.begin() + static_cast<std::ptrdiff_t>(p + 4), is_digit)) {
      continue;
    }
    const auto year = subject.substr(p, 4);
    p += 4;
    if (subject[p] != '-') continue;
    const std::size_t number_begin = ++p;
    while (p < subject.size() && is_digit(subject[p])) ++p;
    if (p - number_begin < 4 || (p < subject.size() && is_alnum(subject[p]))) continue;
    return "ISP-" + std::string(year) + "-" + std::string(subject.substr(number_begin, p - number_begin));
  }
  return std::nullopt;
}

MailDecision classify_mail(const MailFacts& mail, std::span<const Authority> authorities) {
  MailDecision decision;
  for (const auto& attachment : mail.attachments) {
    if (unreadable_form(attachment)) decision.unreadable.push_back(unreadable_sentence(attachment));
  }
  std::vector<Form> forms;
  for (const auto& attachment : mail.attachments) {
    if (attachment.form && std::find(forms.begin(), forms.end(), *attachment.form) == forms.end()) {
      forms.push_back(*attachment.form);
    }
  }

  if (mail.is_bounce) {
    decision.route = MailRoute::ignore;
    decision.reason = "a delivery status report (bounce)";
    return decision;
  }
  if (mail.automatic && forms.empty()) {
    decision.route = MailRoute::ignore;
    decision.reason = mail.automatic_why.empty() ? "automatic mail" : one_line(mail.automatic_why, kMaxNameInReason);
    return decision;
  }

  const Authority* authority = authority_of(mail.from, authorities);
  if (!authority) {
    decision.route = MailRoute::attention;
    const std::string domain = domain_of(mail.from);
    decision.reason = domain.empty()
                          ? "the sender's address \"" + one_line(mail.from, kMaxNameInReason) +
                                "\" could not be read; nothing was circulated"
                          : "the sender's domain " + domain + " is not a configured authority; nothing was circulated";
    return decision;
  }
  decision.agency = authority->name;
  decision.reply_address = std::string(trimmed(mail.from));
  for (const auto& reply_to : mail.reply_to) {
    if (authority_of(reply_to, authorities) == authority) {
      decision.reply_address = std::string(trimmed(reply_to));
      break;
    }
  }

  if (!forms.empty()) {
    decision.route = MailRoute::forms;
    decision.forms = std::move(forms);
    decision.may_reply = !mail.automatic;
    if (mail.automatic) {
      const std::string why = one_line(mail.automatic_why, kMaxNameInReason);
      decision.reason = "automatic mail" + (why.empty() ? std::string{} : " (" + why + ")") +
                        "; its forms are read but the sender is not answered";
    }
    return decision;
  }

  decision.route = MailRoute::attention;
  if (decision.unreadable.empty()) {
    decision.reason = "no ISP form attached";
    return decision;
  }
  decision.may_reply = true;
  decision.reason = "no attached file could be read as the ISP form: " + joined(decision.unreadable, "; ");
  return decision;
}

FormDecision decide_form(const Form& form, std::string_view agency, const StoredState& stored,
                         const CheckContext& context) {
  FormDecision decision;
  std::vector<std::string> notes;

  // Which notification the form concerns: the one its subject names, else the
  // sender's own open one about the same provider.
  const store::Notification* match = nullptr;
  bool several = false;
  const store::Notification* named = stored.named ? &*stored.named : nullptr;
  if (named && form.stage != Stage::rescind && !same_agency(named->agency, agency)) {
    notes.push_back("the subject names " + named->reference + ", which " + named->agency + " issued; this form from " +
                    std::string(agency) + " was matched by agency and provider instead");
    named = nullptr;
  } else if (!named && stored.subject_reference) {
    notes.push_back("the subject names " + one_line(*stored.subject_reference, 40) +
                    ", which is not in the log; matched by agency and provider instead");
  }
  if (named) {
    match = named;
  } else if (stored.same_agency.size() == 1) {
    match = &stored.same_agency.front();
  } else if (stored.same_agency.size() > 1) {
    several = true;
  }

  decision.problems = problems_with(form, agency, match, context);
  if (!decision.problems.empty()) {
    decision.action = FormAction::returned;
    if (match) decision.reference = match->reference;
    decision.reason = with_count(decision.problems.size(), "problem", "problems") + " for the sender to fix";
    return decision;
  }

  if (several) {
    decision.action = FormAction::attention;
    notes.insert(notes.begin(), "several open notifications from " + std::string(agency) +
                                    " about this provider: " + joined(references(stored.same_agency), ", ") +
                                    "; which one this form concerns needs a person");
    decision.reason = joined(notes, "; ");
    return decision;
  }

  const bool open = match && match->status == store::NotificationStatus::open;
  const auto log_anew = [&] {
    decision.possible_duplicates = references(stored.elsewhere);
    if (match) {
      // The subject named an ended notification; the sender's other open ones are worth a look too.
      for (const auto& other : stored.same_agency) {
        if (other.reference != match->reference) decision.possible_duplicates.push_back(other.reference);
      }
    }
  };

  switch (form.stage) {
    case Stage::issue:
      if (!match) {
        decision.action = FormAction::log_new;
        log_anew();
      } else if (open) {
        decision.reference = match->reference;
        const auto& review = form.issuing_agency.review_date;
        decision.action =
            review && match->review_date && *review > *match->review_date ? FormAction::extend : FormAction::update;
      } else {
        decision.action = FormAction::log_new;
        notes.push_back(match->reference + " " + ended_words(match->status) +
                        "; this form is logged as a new notification about the same provider");
        log_anew();
      }
      break;
    case Stage::provider_response:
      if (!match) {
        decision.action = FormAction::log_new;
        decision.not_in_log = true;
        notes.emplace_back("a provider response for a notification that is not in the log; logged from its Section A");
        log_anew();
      } else if (open) {
        decision.action = FormAction::provider_response;
        decision.reference = match->reference;
      } else {
        decision.action = FormAction::attention;
        decision.reference = match->reference;
        notes.insert(notes.begin(), "a provider response for " + match->reference + ", which " +
                                        ended_words(match->status) + "; a person must decide what to do with it");
      }
      break;
    case Stage::rescind:
      if (!match) {
        decision.action = FormAction::rescind;
        decision.not_in_log = true;
        notes.emplace_back(
            "a rescind for a notification that is not in the log; logged from its Section A and rescinded at once");
        log_anew();
      } else if (open) {
        decision.action = FormAction::rescind;
        decision.reference = match->reference;
      } else {
        decision.action = FormAction::attention;
        decision.reference = match->reference;
        notes.insert(notes.begin(), "a rescind for " + match->reference + ", which " + ended_words(match->status) +
                                        "; nothing was circulated");
      }
      break;
  }
  decision.reason = joined(notes, "; ");
  decision.circulate = decision.action != FormAction::returned && decision.action != FormAction::attention;
  return decision;
}

std::vector<PlannedMail> plan_form_mails(const MailDecision& mail, const Form& form, const FormDecision& decision,
                                         std::string_view reference, const Circulation& circulation,
                                         std::string_view nwadcs_address) {
  std::vector<PlannedMail> mails;
  const std::string provider = provider_in_subject(form);
  const std::string prefix = reference_prefix(reference);
  const bool to_sender = mail.may_reply && !trimmed(mail.reply_address).empty();
  const bool circulated = decision.circulate && !circulation.recipients.empty();

  if (decision.action == FormAction::attention) {
    PlannedMail attention;
    attention.kind = store::OutboxKind::attention;
    attention.subject = subject_line(prefix + "Needs attention: " + provider + " (" +
                                     one_line(agency_of(mail, form), kMaxAgencyInSubject) + ")");
    attention.data = {{"reference", reference_json(reference)},
                      {"action", std::string(to_string(decision.action))},
                      {"agency", agency_of(mail, form)},
                      {"sender", mail.reply_address},
                      {"provider", provider_json(form)},
                      {"stage", std::string(to_string(form.stage))},
                      {"reason", decision.reason}};
    if (!nwadcs_address.empty()) {
      attention.to = {std::string(nwadcs_address)};
      mails.push_back(std::move(attention));
    }
    return mails;
  }

  if (decision.action == FormAction::returned) {
    if (to_sender) {
      PlannedMail returned;
      returned.kind = store::OutboxKind::returned;
      returned.to = {mail.reply_address};
      returned.subject = subject_line(prefix + "ISP form returned: " + provider + std::string(kDash) +
                                      with_count(decision.problems.size(), "thing to fix", "things to fix"));
      returned.data = {{"reference", reference_json(reference)},
                       {"action", std::string(to_string(decision.action))},
                       {"agency", agency_of(mail, form)},
                       {"provider", {{"name", text_json(form.provider.name)}}},
                       {"officer", {{"name", text_json(form.issuing_agency.officer_name)}}},
                       {"problems", problems_json(decision.problems)}};
      mails.push_back(std::move(returned));
      // Only the sender hears of a form returned to them: nothing was logged or circulated, and
      // the event (and NWADCS's daily digest) keeps the count.
      return mails;
    }
  } else {
    if (to_sender) {
      PlannedMail acknowledgement;
      acknowledgement.kind = store::OutboxKind::acknowledgement;
      acknowledgement.to = {mail.reply_address};
      acknowledgement.subject = subject_line(prefix + std::string(acknowledgement_words(decision.action)) +
                                             (circulated ? " and circulated: " : " and logged: ") + provider);
      acknowledgement.data = {{"reference", reference_json(reference)},
                              {"action", std::string(to_string(decision.action))},
                              {"agency", agency_of(mail, form)},
                              {"provider", {{"name", text_json(form.provider.name)}}},
                              {"officer", {{"name", text_json(form.issuing_agency.officer_name)}}},
                              {"review_date", review_date_json(form)},
                              {"classification", std::string(classification_of(form, circulation))},
                              {"circulated", circulated},
                              {"lists", circulation.lists},
                              {"dropped", choices_json(circulation.dropped)},
                              {"by_hand", choices_json(circulation.by_hand)},
                              {"not_in_log", decision.not_in_log}};
      mails.push_back(std::move(acknowledgement));
    }
    if (circulated) {
      PlannedMail circulation_mail;
      circulation_mail.kind = store::OutboxKind::circulation;
      circulation_mail.to = circulation.recipients;
      circulation_mail.subject = subject_line(std::string(classification_of(form, circulation)) + " " + prefix +
                                              std::string(circulation_words(form, decision)) + ": " + provider);
      circulation_mail.data = summary_json(mail, form, decision, reference, circulation);
      // Partners need the details to act on; only they get section 12's words.
      circulation_mail.data["details"] = text_json(form.details);
      if (decision.action == FormAction::provider_response || form.stage == Stage::provider_response) {
        circulation_mail.data["provider_response"] = text_json(form.provider_response);
      }
      if (decision.action == FormAction::rescind) circulation_mail.data["rescind"] = rescind_json(form);
      circulation_mail.attach_form = true;
      mails.push_back(std::move(circulation_mail));
    }
  }

  // NWADCS hears of every form handled, and of anything it must act on.
  const bool nobody_on_lists = decision.circulate && circulation.recipients.empty();
  const bool action_needed = !decision.possible_duplicates.empty() || decision.not_in_log ||
                             !circulation.by_hand.empty() || nobody_on_lists ||
                             (decision.action == FormAction::returned && !to_sender);
  PlannedMail log;
  log.kind = store::OutboxKind::log;
  log.subject = subject_line(prefix + std::string(log_words(decision.action)) + ": " + provider + " (" +
                             one_line(agency_of(mail, form), kMaxAgencyInSubject) + ")" +
                             (action_needed ? std::string(kDash) + std::string(kActionNeeded) : ""));
  log.data = {{"reference", reference_json(reference)},
              {"action", std::string(to_string(decision.action))},
              {"agency", agency_of(mail, form)},
              {"sender", mail.reply_address},
              {"sender_told", to_sender},
              {"provider", provider_json(form)},
              {"service_types", form.service_types},
              {"concerns", form.concerns},
              {"review_date", review_date_json(form)},
              {"officer", officer_json(form)},
              {"confidentiality", confidentiality_json(form)},
              {"classification", std::string(classification_of(form, circulation))},
              {"circulated", circulated},
              {"lists", circulation.lists},
              {"recipient_count", circulation.recipients.size()},
              {"nobody_on_lists", nobody_on_lists},
              {"dropped", choices_json(circulation.dropped)},
              {"by_hand", choices_json(circulation.by_hand)},
              {"problems", problems_json(decision.problems)},
              {"possible_duplicates", decision.possible_duplicates},
              {"not_in_log", decision.not_in_log},
              {"other_files_not_read", mail.unreadable},
              {"action_needed", action_needed},
              {"reason", decision.reason}};
  if (!nwadcs_address.empty()) {
    log.to = {std::string(nwadcs_address)};
    mails.push_back(std::move(log));
  }
  return mails;
}

std::vector<PlannedMail> plan_mail_mails(const MailDecision& mail, const MailFacts& facts,
                                         std::string_view nwadcs_address) {
  std::vector<PlannedMail> mails;
  if (mail.route != MailRoute::attention) return mails;

  const std::string subject = one_line(facts.subject, kMaxQuotedSubject);
  const auto reference = reference_in_subject(facts.subject);
  const std::string prefix = reference_prefix(reference.value_or(""));

  if (!nwadcs_address.empty()) {
    PlannedMail attention;
    attention.kind = store::OutboxKind::attention;
    attention.to = {std::string(nwadcs_address)};
    attention.subject = subject_line("Needs attention: " + (subject.empty() ? std::string("(no subject)") : subject));
    attention.data = {{"reason", mail.reason},
                      {"sender", one_line(facts.from, kMaxNameInReason)},
                      {"agency", mail.agency ? Json(*mail.agency) : Json(nullptr)},
                      {"subject", subject},
                      {"unreadable", mail.unreadable},
                      {"sender_told", mail.may_reply && !mail.unreadable.empty()}};
    mails.push_back(std::move(attention));
  }

  if (mail.may_reply && !mail.unreadable.empty() && !trimmed(mail.reply_address).empty()) {
    Json files = Json::array();
    for (const auto& attachment : facts.attachments) {
      if (!unreadable_form(attachment)) continue;
      files.push_back({{"name", file_name(attachment)},
                       {"problem", attachment.problem.empty() ? "could not be read as the ISP form"
                                                              : one_line(attachment.problem, kMaxNameInReason * 2)},
                       {"sentence", unreadable_sentence(attachment)}});
    }
    PlannedMail returned;
    returned.kind = store::OutboxKind::returned;
    returned.to = {mail.reply_address};
    returned.subject = subject_line(prefix + "ISP form could not be read" + std::string(kDash) +
                                    "please send it again as a Word .docx file");
    returned.data = {{"reference", reference ? Json(*reference) : Json(nullptr)},
                     {"agency", mail.agency ? Json(*mail.agency) : Json(nullptr)},
                     {"subject", subject},
                     {"files", std::move(files)},
                     {"advice", kResendAdvice}};
    mails.push_back(std::move(returned));
  }
  return mails;
}

}  // namespace ispd::protocol
