#include "daemon/protocol/decision.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "util/text.hpp"

namespace ispd::protocol {

namespace {

using Json = nlohmann::json;

using text::is_alnum;
using text::is_digit;
using text::joined;
using text::lowercase;
using text::one_line;
using text::present;
using text::trimmed;
using text::upper;
using text::with_count;

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

}  // namespace

std::string attachment_name(const AttachmentFinding& attachment) {
  const std::string name = one_line(attachment.name, kMaxNameInReason);
  return name.empty() ? "an unnamed attachment" : name;
}

std::string unreadable_sentence(const AttachmentFinding& attachment) {
  const std::string problem = one_line(attachment.problem, kMaxNameInReason * 2);
  return attachment_name(attachment) + " " + (problem.empty() ? "could not be read as the ISP form" : problem);
}

std::string_view to_string(MailRoute route) {
  switch (route) {
    case MailRoute::ignore: return "ignore";
    case MailRoute::attention: return "attention";
    case MailRoute::forms: return "forms";
  }
  return "attention";
}

const FormActionWords& words(FormAction action) {
  static constexpr std::array<FormActionWords, 7> kWords = {{
      {"log_new", "logged", "Logged", "ISP notification", "Received"},
      {"update", "updated", "Updated", "ISP notification update", "Update received"},
      {"provider_response", "provider response added", "Provider response", "ISP notification update",
       "Provider response received"},
      {"extend", "extended", "Extended", "ISP notification extended", "Extension received"},
      {"rescind", "rescinded", "Rescinded", "ISP notification rescinded", "Rescind received"},
      {"returned", "returned to the sender", "Returned", "ISP notification", "Received"},
      {"attention", "needs attention", "Needs attention", "ISP notification", "Received"},
  }};
  static_assert(static_cast<std::size_t>(FormAction::attention) + 1 == kWords.size(), "one row per action");
  return kWords.at(static_cast<std::size_t>(action));
}

std::string_view to_string(FormAction action) { return words(action).key; }

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
    if (attachment.unreadable_form()) decision.unreadable.push_back(unreadable_sentence(attachment));
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

  // Several From addresses are no one sender: taking the first would let anyone write an authority's address first.
  if (mail.from_count > 1) {
    decision.route = MailRoute::attention;
    decision.reason = "the From header names " + std::to_string(mail.from_count) +
                      " addresses, so no one sender can be matched to an authority; nothing was circulated";
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

}  // namespace ispd::protocol
