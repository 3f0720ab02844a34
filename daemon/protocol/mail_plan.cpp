#include "daemon/protocol/mail_plan.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "mail_data/json.hpp"
#include "util/text.hpp"

namespace ispd::protocol {

namespace {

using text::joined;
using text::one_line;
using text::present;
using text::trimmed;
using text::with_count;

// Subjects stay on one screen line; form text in them is shortened first so the
// protocol's own words (reference, action, counts) always survive.
constexpr std::size_t kMaxSubject = 200;
constexpr std::size_t kMaxProviderInSubject = 110;
constexpr std::size_t kMaxAgencyInSubject = 60;
constexpr std::size_t kMaxQuotedSubject = 120;
constexpr std::string_view kDash = " \xE2\x80\x94 ";
constexpr std::string_view kActionNeeded = "action needed";

constexpr std::string_view kResendAdvice =
    "Please attach the completed ISP notification form as a Word document (.docx), not a PDF, a scan, an old "
    "Word 97-2003 .doc file or a macro-enabled .docm file, without a password, and send it again.";

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

std::optional<std::string> reference_text(std::string_view reference) {
  return reference.empty() ? std::nullopt : std::optional<std::string>(reference);
}

std::vector<mail_data::Choice> choices_of(const std::vector<DroppedChoice>& choices) {
  std::vector<mail_data::Choice> out;
  out.reserve(choices.size());
  for (const auto& choice : choices) out.push_back({choice.audience, choice.scope, choice.reason});
  return out;
}

mail_data::Provider provider_of(const Form& form) {
  return {form.provider.name, form.provider.company_number, form.provider.ofsted_urn};
}

mail_data::Officer officer_of(const Form& form) {
  return {form.issuing_agency.officer_name, form.issuing_agency.officer_email, form.issuing_agency.officer_phone};
}

Text review_date_of(const Form& form) {
  return form.issuing_agency.review_date ? Text(iso_date(*form.issuing_agency.review_date)) : std::nullopt;
}

Text confidentiality_of(const Form& form) {
  return form.confidentiality ? Text(std::string(to_string(*form.confidentiality))) : std::nullopt;
}

std::vector<std::string> problems_of(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  out.reserve(problems.size());
  for (const auto& problem : problems) out.push_back(problem.message);
  return out;
}

// The sender's authority, or the agency the form names when there is none.
std::string agency_of(const MailDecision& mail, const Form& form) {
  if (mail.agency) return *mail.agency;
  return form.issuing_agency.agency.value_or("");
}

// What partners are told about the notification: the summary of the form.
mail_data::Circulation summary_of(const MailDecision& mail, const Form& form, const FormDecision& decision,
                                  std::string_view reference, const Circulation& circulation) {
  mail_data::Circulation out{.reference = reference_text(reference),
                             .action = std::string(to_string(decision.action)),
                             .agency = agency_of(mail, form),
                             .provider = provider_of(form),
                             .service_types = form.service_types,
                             .concerns = form.concerns,
                             .actions = form.actions,
                             .review_date = review_date_of(form),
                             .officer = officer_of(form),
                             .confidentiality = confidentiality_of(form),
                             .classification = std::string(classification_of(form, circulation))};
  for (const auto& setting : form.settings) out.settings.push_back({setting.name, setting.ofsted_urn, setting.cqc_urn});
  return out;
}

// What the form's rescind says, without its free text (the form itself is attached).
std::optional<mail_data::Rescind> rescind_of(const Form& form) {
  if (!form.rescind) return std::nullopt;
  const Rescind& rescind = *form.rescind;
  return mail_data::Rescind{.date = rescind.date ? Text(iso_date(*rescind.date)) : std::nullopt,
                            .officer_name = rescind.officer_name,
                            .officer_email = rescind.officer_email,
                            .outcomes = rescind.outcomes,
                            .contractual_outcomes = rescind.contractual_outcomes,
                            .placement_outcomes = rescind.placement_outcomes};
}

std::string_view circulation_words(const Form& form, const FormDecision& decision) {
  // A provider's response the log never saw is logged anew, and circulated as the update it is.
  if (decision.action == FormAction::log_new && form.stage == Stage::provider_response) {
    return words(FormAction::update).circulation;
  }
  return words(decision.action).circulation;
}

}  // namespace

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
    attention.data = mail_data::Attention{.reference = reference_text(reference),
                                          .action = std::string(to_string(decision.action)),
                                          .agency = agency_of(mail, form),
                                          .sender = mail.reply_address,
                                          .provider = provider_of(form),
                                          .stage = std::string(to_string(form.stage)),
                                          .reason = decision.reason};
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
      returned.data = mail_data::Returned{.reference = reference_text(reference),
                                          .action = std::string(to_string(decision.action)),
                                          .agency = agency_of(mail, form),
                                          .provider = mail_data::Named{form.provider.name},
                                          .officer = mail_data::Named{form.issuing_agency.officer_name},
                                          .problems = problems_of(decision.problems)};
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
      acknowledgement.subject = subject_line(prefix + std::string(words(decision.action).acknowledgement) +
                                             (circulated ? " and circulated: " : " and logged: ") + provider);
      acknowledgement.data =
          mail_data::Acknowledgement{.reference = reference_text(reference),
                                     .action = std::string(to_string(decision.action)),
                                     .agency = agency_of(mail, form),
                                     .provider = {form.provider.name},
                                     .officer = {form.issuing_agency.officer_name},
                                     .review_date = review_date_of(form),
                                     .classification = std::string(classification_of(form, circulation)),
                                     .circulated = circulated,
                                     .lists = circulation.lists,
                                     .dropped = choices_of(circulation.dropped),
                                     .by_hand = choices_of(circulation.by_hand),
                                     .not_in_log = decision.not_in_log};
      mails.push_back(std::move(acknowledgement));
    }
    if (circulated) {
      PlannedMail circulation_mail;
      circulation_mail.kind = store::OutboxKind::circulation;
      circulation_mail.to = circulation.recipients;
      circulation_mail.subject = subject_line(std::string(classification_of(form, circulation)) + " " + prefix +
                                              std::string(circulation_words(form, decision)) + ": " + provider);
      auto summary = summary_of(mail, form, decision, reference, circulation);
      // Partners need the details to act on; only they get section 12's words.
      summary.details = form.details;
      if (decision.action == FormAction::provider_response || form.stage == Stage::provider_response) {
        summary.provider_response.emplace(form.provider_response);
      }
      if (decision.action == FormAction::rescind) summary.rescind = rescind_of(form);
      circulation_mail.data = summary;
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
  log.subject = subject_line(prefix + std::string(words(decision.action).log_heading) + ": " + provider + " (" +
                             one_line(agency_of(mail, form), kMaxAgencyInSubject) + ")" +
                             (action_needed ? std::string(kDash) + std::string(kActionNeeded) : ""));
  log.data = mail_data::Log{.reference = reference_text(reference),
                            .action = std::string(to_string(decision.action)),
                            .agency = agency_of(mail, form),
                            .sender = mail.reply_address,
                            .sender_told = to_sender,
                            .provider = provider_of(form),
                            .service_types = form.service_types,
                            .concerns = form.concerns,
                            .review_date = review_date_of(form),
                            .officer = officer_of(form),
                            .confidentiality = confidentiality_of(form),
                            .classification = std::string(classification_of(form, circulation)),
                            .circulated = circulated,
                            .lists = circulation.lists,
                            .recipient_count = circulation.recipients.size(),
                            .nobody_on_lists = nobody_on_lists,
                            .dropped = choices_of(circulation.dropped),
                            .by_hand = choices_of(circulation.by_hand),
                            .problems = problems_of(decision.problems),
                            .possible_duplicates = decision.possible_duplicates,
                            .not_in_log = decision.not_in_log,
                            .other_files_not_read = mail.unreadable,
                            .action_needed = action_needed,
                            .reason = decision.reason};
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
    attention.data = mail_data::Attention{.agency = mail.agency,
                                          .sender = one_line(facts.from, kMaxNameInReason),
                                          .reason = mail.reason,
                                          .subject = subject,
                                          .unreadable = mail.unreadable,
                                          .sender_told = mail.may_reply && !mail.unreadable.empty()};
    mails.push_back(std::move(attention));
  }

  if (mail.may_reply && !mail.unreadable.empty() && !trimmed(mail.reply_address).empty()) {
    std::vector<mail_data::UnreadableFile> files;
    for (const auto& attachment : facts.attachments) {
      if (!attachment.unreadable_form()) continue;
      files.push_back({.name = attachment_name(attachment),
                       .problem = attachment.problem.empty() ? "could not be read as the ISP form"
                                                             : one_line(attachment.problem, kMaxNameInReason * 2),
                       .sentence = unreadable_sentence(attachment)});
    }
    PlannedMail returned;
    returned.kind = store::OutboxKind::returned;
    returned.to = {mail.reply_address};
    returned.subject = subject_line(prefix + "ISP form could not be read" + std::string(kDash) +
                                    "please send it again as a Word .docx file");
    returned.data = mail_data::Returned{.reference = reference,
                                        .agency = mail.agency,
                                        .subject = subject,
                                        .files = std::move(files),
                                        .advice = std::string(kResendAdvice)};
    mails.push_back(std::move(returned));
  }
  return mails;
}

}  // namespace ispd::protocol
