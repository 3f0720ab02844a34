#include "daemon/jobs/chase.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "daemon/protocol/chasers.hpp"
#include "daemon/protocol/local_date.hpp"
#include "daemon/protocol/retention.hpp"
#include "mail_data/json.hpp"

namespace ispd::chase {

namespace {

using Json = nlohmann::json;

// The local date of the issuing agency's latest form for the notification.
std::optional<Date> last_word(const std::vector<store::Event>& events) {
  std::optional<Date> latest;
  for (const auto& e : events) {
    const bool word = e.kind == store::EventKind::logged || e.kind == store::EventKind::updated ||
                      e.kind == store::EventKind::provider_response || e.kind == store::EventKind::extended;
    if (!word) continue;
    const Date day = local_date(e.at);
    if (!latest || std::chrono::sys_days{day} > std::chrono::sys_days{*latest}) latest = day;
  }
  return latest;
}

struct Due {
  protocol::ChaserDecision decision;
  std::optional<Date> word;
};

std::optional<Due> decide(const store::Reader& reader, const store::Notification& notification, Date today) {
  const auto word = last_word(reader.events_of(notification.reference));
  const auto recorded = reader.chasers_of(notification.reference);
  auto decision = protocol::due_chaser(notification, recorded, word, today);
  if (!decision) return std::nullopt;
  return Due{std::move(*decision), word};
}

Json closed_detail(const store::Notification& n, const Json& how) {
  Json detail = {{"reason", "closed by NWADCS: no further concerns"},
                 {"review_date", n.review_date ? Json(iso_date(*n.review_date)) : Json(nullptr)}};
  if (how.is_object()) {
    for (const auto& [key, value] : how.items()) detail[key] = value;
  }
  return detail;
}

}  // namespace

ChaseReport run_chasers(store::Store& store, const config::Config& config, const Clock& clock) {
  const store::TimePoint now = clock();
  const Date today = local_date(now);
  ChaseReport report;
  for (const auto& listed : store.list_notifications(std::nullopt, today)) {
    if (listed.status != store::NotificationStatus::open || !listed.review_date) continue;
    if (!decide(store, listed, today)) continue;
    // Decided again inside the transaction, on what it sees: nothing recorded twice.
    store.transaction(now, [&](store::Tx& tx) {
      const auto notification = tx.find_notification(listed.reference);
      if (!notification) return;
      const auto due = decide(tx, *notification, today);
      if (!due) return;
      const auto& d = due->decision;
      const auto mail = protocol::plan_chaser_mail(*notification, d, due->word, config.nwadcs.address);
      Json skipped = Json::array();
      for (const auto& step : d.skipped) skipped.push_back(protocol::chaser_name(step));
      const auto event = tx.append_event({.kind = store::EventKind::chaser,
                                          .reference = notification->reference,
                                          .actor = "ispd",
                                          .detail = {{"which", protocol::chaser_name(d.step)},
                                                     {"review_date", iso_date(d.review_date)},
                                                     {"due", iso_date(d.due)},
                                                     {"skipped", skipped},
                                                     {"copied_nwadcs", d.copy_nwadcs},
                                                     {"recipients", mail ? Json(mail->to) : Json::array()}}});
      tx.record_chaser(
          event, {notification->reference, d.review_date, protocol::chaser_name(d.step), store::ChaserState::queued});
      for (const auto& step : d.skipped) {
        tx.record_chaser(
            event, {notification->reference, d.review_date, protocol::chaser_name(step), store::ChaserState::skipped});
      }
      if (mail) {
        store::OutboxMail out;
        out.kind = mail->kind;
        out.reference = notification->reference;
        out.recipients = mail->to;
        out.subject = mail->subject;
        out.template_data = mail->data;
        tx.queue_mail(event, out);
      }
      if (d.step.kind == protocol::ChaserStep::Kind::close_request) {
        ++report.close_requests;
      } else {
        ++report.chasers;
        if (d.copy_nwadcs) ++report.escalations;
      }
      report.skipped += static_cast<int>(d.skipped.size());
    });
  }
  report.erased = run_retention(store, config, now);
  return report;
}

int run_retention(store::Store& store, const config::Config& config, store::TimePoint now) {
  const Date today = local_date(now);
  int erased = 0;
  for (const auto& ended : store.ended_not_erased()) {
    if (!protocol::retention_ended(local_date(ended.ended_at), today, config.protocol.retention_months)) continue;
    store.transaction(now, [&](store::Tx& tx) {
      const auto notification = tx.find_notification(ended.reference);
      if (!notification || notification->status == store::NotificationStatus::open) return;
      tx.erase_notification(ended.reference, protocol::without_free_text(notification->form));
      ++erased;
    });
  }
  // What the erasure overwrote must not live on in the write-ahead log.
  if (erased > 0) store.checkpoint();
  return erased;
}

Result<Done> close_notification(store::Store& store, const config::Config& config, store::TimePoint now,
                                std::string_view reference) {
  return store.transaction(now, [&](store::Tx& tx) { return close_in(tx, config, reference); });
}

Result<Done> close_in(store::Tx& tx, const config::Config& config, std::string_view reference,
                      const nlohmann::json& how) {
  const auto notification = tx.find_notification(reference);
  if (!notification) return Error{"no notification " + std::string(reference) + " in the log"};
  if (notification->status != store::NotificationStatus::open) {
    return Error{notification->reference + " is already " + std::string(store::to_string(notification->status)) +
                 "; only an open notification can be closed"};
  }
  const auto& n = *notification;
  const auto event = tx.update_notification(n.reference, {.kind = store::EventKind::closed,
                                                          .form = std::nullopt,
                                                          .status = store::NotificationStatus::closed,
                                                          .actor = "nwadcs",
                                                          .detail = closed_detail(n, how)});
  if (!config.nwadcs.address.empty()) {
    store::OutboxMail log;
    log.kind = store::OutboxKind::log;
    log.reference = n.reference;
    log.recipients = {config.nwadcs.address};
    log.subject = "[" + n.reference + "] Closed by NWADCS: " + n.provider_name.value_or("provider not named") + " (" +
                  n.agency + ")";
    const auto& officer = n.form.issuing_agency;
    log.template_data = mail_data::Log{
        .reference = n.reference,
        .action = "close",
        .agency = n.agency,
        .provider = {n.provider_name, n.form.provider.company_number, n.form.provider.ofsted_urn},
        .service_types = n.form.service_types,
        .concerns = n.form.concerns,
        .review_date = n.review_date ? std::optional(iso_date(*n.review_date)) : std::nullopt,
        .officer = {officer.officer_name, officer.officer_email, officer.officer_phone},
        .confidentiality =
            n.confidentiality ? std::optional(std::string(ispd::to_string(*n.confidentiality))) : std::nullopt,
        .classification = n.confidentiality == Confidentiality::internal ? "OFFICIAL" : "OFFICIAL-SENSITIVE"};
    tx.queue_mail(event, log);
  }
  return Done{};
}

}  // namespace ispd::chase
