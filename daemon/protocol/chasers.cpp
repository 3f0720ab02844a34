#include "daemon/protocol/chasers.hpp"

#include <algorithm>
#include <charconv>

#include "mail_data/json.hpp"
#include "util/text.hpp"

namespace ispd::protocol {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::size_t kMaxProviderInSubject = 110;
constexpr std::size_t kMaxAgencyInSubject = 60;
constexpr std::string_view kOverduePrefix = "overdue-";

Date plus_days(Date date, int count) { return Date{sys_days{date} + days(count)}; }

// Form text for a subject: one line, shortened at a character boundary, or `fallback` when there is none.
std::string subject_text(const std::optional<std::string>& text, std::size_t max_bytes, std::string_view fallback) {
  std::string out = text::one_line(text.value_or(""), max_bytes);
  return out.empty() ? std::string(fallback) : out;
}

bool usable_address(const std::optional<std::string>& address) {
  if (!address) return false;
  const auto at = address->find('@');
  return at != std::string::npos && at > 0 && at + 1 < address->size() &&
         address->find_first_of(" \t\r\n<>,;") == std::string::npos;
}

// The step as the chaser's data names it, so a reply can be matched to a close request.
mail_data::ChaserStep data_step(ChaserStep::Kind kind) {
  switch (kind) {
    case ChaserStep::Kind::before: return mail_data::ChaserStep::before;
    case ChaserStep::Kind::on: return mail_data::ChaserStep::on;
    case ChaserStep::Kind::overdue: return mail_data::ChaserStep::overdue;
    case ChaserStep::Kind::close_request: return mail_data::ChaserStep::close_request;
  }
  return mail_data::ChaserStep::before;
}

}  // namespace

std::string chaser_name(ChaserStep step) {
  switch (step.kind) {
    case ChaserStep::Kind::before: return "before";
    case ChaserStep::Kind::on: return "on";
    case ChaserStep::Kind::overdue: return std::string(kOverduePrefix) + std::to_string(step.week);
    case ChaserStep::Kind::close_request: return "close-request";
  }
  return "before";
}

std::optional<ChaserStep> chaser_step(std::string_view name) {
  if (name == "before") return ChaserStep{ChaserStep::Kind::before, 0};
  if (name == "on") return ChaserStep{ChaserStep::Kind::on, 0};
  if (name == "close-request") return ChaserStep{ChaserStep::Kind::close_request, 0};
  if (name.starts_with(kOverduePrefix)) {
    const auto digits = name.substr(kOverduePrefix.size());
    int week = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), week);
    if (error == std::errc{} && end == digits.data() + digits.size() && week >= 1) {
      return ChaserStep{ChaserStep::Kind::overdue, week};
    }
  }
  return std::nullopt;
}

Date close_request_due(Date review_date, std::optional<Date> last_word) {
  const Date from = last_word && sys_days{*last_word} > sys_days{review_date} ? *last_word : review_date;
  return add_months(from, kCloseRequestMonths);
}

Date chaser_due(ChaserStep step, Date review_date, std::optional<Date> last_word) {
  switch (step.kind) {
    case ChaserStep::Kind::before: return plus_days(review_date, -kChaserDaysBefore);
    case ChaserStep::Kind::on: return review_date;
    case ChaserStep::Kind::overdue: return plus_days(review_date, kChaserOverdueDays * step.week);
    case ChaserStep::Kind::close_request: return close_request_due(review_date, last_word);
  }
  return review_date;
}

std::optional<ChaserDecision> due_chaser(const store::Notification& notification,
                                         std::span<const store::RecordedChaser> recorded, std::optional<Date> last_word,
                                         Date today) {
  if (notification.status != store::NotificationStatus::open || !notification.review_date) return std::nullopt;
  const Date review = *notification.review_date;

  // This review date's schedule so far: the latest step recorded, and whether NWADCS was copied.
  std::optional<ChaserStep> latest;
  bool escalated = false;
  for (const auto& chaser : recorded) {
    if (chaser.review_date != review) continue;
    const auto step = chaser_step(chaser.which);
    if (!step) continue;
    if (!latest || *step > *latest) latest = *step;
    if (chaser.state == store::ChaserState::queued &&
        (step->kind == ChaserStep::Kind::close_request ||
         (step->kind == ChaserStep::Kind::overdue && step->week >= kChaserEscalationWeek))) {
      escalated = true;
    }
  }
  if (latest && latest->kind == ChaserStep::Kind::close_request) return std::nullopt;

  // Every step due by today, in schedule order; weekly chasers stop where the close request takes over.
  const sys_days now{today};
  const sys_days close_due{close_request_due(review, last_word)};
  std::vector<ChaserStep> due;
  for (const ChaserStep step : {ChaserStep{ChaserStep::Kind::before, 0}, ChaserStep{ChaserStep::Kind::on, 0}}) {
    if (sys_days{chaser_due(step, review, last_word)} <= now) due.push_back(step);
  }
  for (int week = 1;; ++week) {
    const ChaserStep step{ChaserStep::Kind::overdue, week};
    const sys_days on{chaser_due(step, review, last_word)};
    if (on > now || on >= close_due) break;
    due.push_back(step);
  }
  if (close_due <= now) due.push_back(ChaserStep{ChaserStep::Kind::close_request, 0});

  // Only what comes after everything recorded; the latest of it is sent, the rest stands skipped.
  std::erase_if(due, [&](const ChaserStep& step) { return latest && step <= *latest; });
  if (due.empty()) return std::nullopt;
  const ChaserStep send = due.back();
  const Date send_due = chaser_due(send, review, last_word);
  // The agency has spoken since it fell due: nothing to chase them for until the next step.
  if (last_word && sys_days{send_due} <= sys_days{*last_word}) return std::nullopt;

  ChaserDecision decision;
  decision.step = send;
  decision.review_date = review;
  decision.due = send_due;
  decision.skipped.assign(due.begin(), due.end() - 1);
  decision.copy_nwadcs = !escalated && send.kind == ChaserStep::Kind::overdue && send.week >= kChaserEscalationWeek;
  decision.remind_provider =
      send.kind != ChaserStep::Kind::close_request && (notification.confidentiality == Confidentiality::confidential ||
                                                       notification.confidentiality == Confidentiality::restricted);
  return decision;
}

std::optional<PlannedMail> plan_chaser_mail(const store::Notification& notification, const ChaserDecision& decision,
                                            std::optional<Date> last_word, std::string_view nwadcs_address) {
  const Form& form = notification.form;
  const auto& officer_email = form.issuing_agency.officer_email;
  const bool close_request = decision.step.kind == ChaserStep::Kind::close_request;
  const bool officer_known = usable_address(officer_email);

  PlannedMail mail;
  mail.kind = store::OutboxKind::chaser;
  if (!close_request && officer_known) mail.to.push_back(*officer_email);
  const bool to_nwadcs = close_request || decision.copy_nwadcs || !officer_known;
  if (to_nwadcs && !nwadcs_address.empty()) mail.to.emplace_back(nwadcs_address);
  if (mail.to.empty()) return std::nullopt;

  const std::string provider = subject_text(notification.provider_name, kMaxProviderInSubject, "provider not named");
  const std::string agency = subject_text(notification.agency, kMaxAgencyInSubject, "agency not named");
  const int weeks = decision.step.kind == ChaserStep::Kind::overdue ? decision.step.week : 0;
  std::string what;
  switch (decision.step.kind) {
    case ChaserStep::Kind::before: what = "Review date in 14 days"; break;
    case ChaserStep::Kind::on: what = "Review date today"; break;
    case ChaserStep::Kind::overdue:
      what = "Review overdue by " + std::to_string(weeks) + (weeks == 1 ? " week" : " weeks");
      break;
    case ChaserStep::Kind::close_request: what = "Please close: six months past the review date"; break;
  }
  mail.subject = "[" + notification.reference + "] " + what + ": " + provider + " (" + agency + ")";

  const bool internal = notification.confidentiality == Confidentiality::internal;
  mail.data =
      mail_data::Chaser{.reference = notification.reference,
                        .which = data_step(decision.step.kind),
                        .chaser = chaser_name(decision.step),
                        .weeks_overdue = weeks,
                        .review_date = iso_date(decision.review_date),
                        .due = iso_date(decision.due),
                        .last_word = last_word ? std::optional(iso_date(*last_word)) : std::nullopt,
                        .agency = notification.agency,
                        .provider = {notification.provider_name},
                        .officer = {form.issuing_agency.officer_name, form.issuing_agency.officer_email,
                                    form.issuing_agency.officer_phone},
                        .confidentiality = notification.confidentiality
                                               ? std::optional(std::string(to_string(*notification.confidentiality)))
                                               : std::nullopt,
                        .classification = internal ? "OFFICIAL" : "OFFICIAL-SENSITIVE",
                        .copied_nwadcs = decision.copy_nwadcs && !nwadcs_address.empty(),
                        .no_officer_email = !close_request && !officer_known,
                        .remind_provider = decision.remind_provider,
                        .caught_up = !decision.skipped.empty()};
  return mail;
}

}  // namespace ispd::protocol
