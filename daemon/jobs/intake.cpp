#include "daemon/jobs/intake.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/jobs/chase.hpp"
#include "daemon/jobs/logs.hpp"
#include "daemon/jobs/undelivered.hpp"
#include "daemon/protocol/decision.hpp"
#include "daemon/protocol/local_date.hpp"
#include "daemon/protocol/mail_plan.hpp"
#include "daemon/protocol/routing.hpp"
#include "mail_data/json.hpp"
#include "parsing/parse.hpp"
#include "store/provider_keys.hpp"
#include "store/storage_failure.hpp"
#include "util/text.hpp"

namespace ispd::intake {

namespace {

using protocol::FormAction;
using protocol::MailDecision;
using protocol::MailRoute;
using store::InboundState;

// What a mail's attachments hold, with the bytes kept for the archive.
struct ReadAttachment {
  const mail::Attachment* attachment = nullptr;
  protocol::AttachmentFinding finding;
};

protocol::MailFacts facts_of(const mail::MailMessage& mail, std::vector<ReadAttachment>& read) {
  protocol::MailFacts facts;
  facts.from = mail.from.address;
  facts.from_count = mail.from_count;
  for (const auto& r : mail.reply_to) facts.reply_to.push_back(r.address);
  facts.subject = mail.subject;
  facts.automatic = mail.automatic;
  facts.automatic_why = mail.why;
  facts.is_bounce = mail.is_bounce;
  for (const auto& attachment : mail.attachments) {
    ReadAttachment item;
    item.attachment = &attachment;
    item.finding.name = attachment.name;
    item.finding.looks_like_form = looks_like_form(attachment);
    if (item.finding.looks_like_form) {
      auto form = parse_form(attachment.bytes);
      if (form) {
        item.finding.form = std::move(form).value();
      } else {
        item.finding.problem = form.error().message;
      }
    }
    facts.attachments.push_back(item.finding);
    read.push_back(std::move(item));
  }
  return facts;
}

store::OutboxMail outbox_mail(const protocol::PlannedMail& planned, const std::optional<std::string>& reference,
                              const std::string& in_reply_to, std::optional<std::int64_t> form_file) {
  store::OutboxMail mail;
  mail.kind = planned.kind;
  mail.reference = reference;
  mail.recipients = planned.to;
  mail.subject = planned.subject;
  mail.template_data = planned.data;
  // Replies to the sender thread under the mail they answer.
  const bool reply = planned.kind == store::OutboxKind::acknowledgement || planned.kind == store::OutboxKind::returned;
  if (reply && !in_reply_to.empty()) mail.in_reply_to = in_reply_to;
  if (planned.attach_form && form_file) mail.attachments.push_back(*form_file);
  return mail;
}

void queue_all(store::Tx& tx, const store::EventId& cause, const std::vector<protocol::PlannedMail>& planned,
               const std::optional<std::string>& reference, const std::string& in_reply_to,
               std::optional<std::int64_t> form_file) {
  for (const auto& p : planned) {
    if (p.to.empty()) continue;  // nobody to send to: the NWADCS log says so
    tx.queue_mail(cause, outbox_mail(p, reference, in_reply_to, form_file));
  }
}

// The state a mail settles in once all its forms are decided: a person is
// needed if any form needs one; processed if any was logged or changed.
InboundState mail_state(const std::vector<FormAction>& actions) {
  const auto any = [&](auto pred) { return std::any_of(actions.begin(), actions.end(), pred); };
  if (any([](FormAction a) { return a == FormAction::attention; })) return InboundState::attention;
  if (any([](FormAction a) { return a != FormAction::returned; })) return InboundState::processed;
  return InboundState::returned;
}

store::EventKind change_kind(FormAction action) {
  switch (action) {
    case FormAction::provider_response: return store::EventKind::provider_response;
    case FormAction::extend: return store::EventKind::extended;
    case FormAction::rescind: return store::EventKind::rescinded;
    default: return store::EventKind::updated;
  }
}

// Decides one form and records what follows from it; returns what was done.
struct FormResult {
  FormAction action = FormAction::attention;
  std::optional<std::string> reference;
  std::string note;
};

FormResult take_form(store::IntakeTx& tx, const Form& form, const ReadAttachment& file, const MailDecision& decision,
                     const protocol::MailFacts& facts, const std::string& message_id, const config::Config& config) {
  const std::string agency = *decision.agency;
  protocol::StoredState stored;
  stored.subject_reference = protocol::reference_in_subject(facts.subject);
  if (stored.subject_reference) stored.named = tx.find_notification(*stored.subject_reference);
  const auto keys = store::provider_keys(form.provider);
  stored.same_agency = tx.find_open_for_provider(agency, keys);
  stored.elsewhere = tx.find_open_elsewhere(agency, keys);

  protocol::CheckContext context;
  // The day in England, as the chasers count it: near midnight in summer the UTC day is the day before.
  context.received = local_date(tx.now());
  context.max_review_months = config.protocol.max_review_months;
  const auto decided = protocol::decide_form(form, agency, stored, context);

  FormResult result;
  result.action = decided.action;
  result.reference = decided.reference;
  result.note = decided.reason;
  const std::string actor = facts.from;
  nlohmann::json detail = {{"action", std::string(protocol::words(decided.action).done)}, {"file", file.finding.name}};
  if (!decided.reason.empty()) detail["note"] = decided.reason;

  std::optional<store::EventId> cause;
  std::optional<std::int64_t> form_file;
  // The notification as it was, before this form changes it.
  const auto before = decided.reference ? tx.find_notification(*decided.reference) : std::nullopt;
  switch (decided.action) {
    case FormAction::log_new:
    case FormAction::update:
    case FormAction::provider_response:
    case FormAction::extend:
    case FormAction::rescind: {
      if (!decided.reference) {
        // New, or issued before ispd went live: logged from its Section A.
        detail["not_in_log"] = decided.not_in_log;
        auto logged = tx.log_notification({.form = form, .agency = agency, .actor = actor, .detail = detail});
        result.reference = logged.notification.reference;
        cause = logged.event;
        if (decided.action == FormAction::rescind) {
          cause = tx.update_notification(*result.reference, {.kind = store::EventKind::rescinded,
                                                             .form = form,
                                                             .status = store::NotificationStatus::rescinded,
                                                             .actor = actor,
                                                             .detail = detail});
        }
      } else {
        store::NotificationChange change;
        change.kind = change_kind(decided.action);
        change.form = form;
        change.actor = actor;
        change.detail = detail;
        if (decided.action == FormAction::rescind) change.status = store::NotificationStatus::rescinded;
        cause = tx.update_notification(*decided.reference, change);
      }
      if (!decided.possible_duplicates.empty()) {
        tx.append_event({.kind = store::EventKind::duplicate_suspected,
                         .reference = result.reference,
                         .actor = "ispd",
                         .detail = {{"others", decided.possible_duplicates}}});
      }
      auto archived = tx.archive_form({.reference = *result.reference,
                                       .stage = form.stage,
                                       .file_name = file.finding.name,
                                       .bytes = file.attachment->bytes});
      // A form that cannot be filed must not be half-handled: roll back, retry. (A disk that is full, read-only
      // or not ispd's throws StorageFailure instead, which is not counted against the mail.)
      if (!archived) throw std::runtime_error("could not file the form: " + archived.error().message);
      form_file = archived->id;
      break;
    }
    case FormAction::returned: {
      detail["problems"] = nlohmann::json::array();
      for (const auto& p : decided.problems) detail["problems"].push_back(p.message);
      cause = tx.append_event(
          {.kind = store::EventKind::returned, .reference = decided.reference, .actor = actor, .detail = detail});
      break;
    }
    case FormAction::attention: {
      cause = tx.append_event(
          {.kind = store::EventKind::attention, .reference = decided.reference, .actor = actor, .detail = detail});
      break;
    }
  }

  protocol::Circulation circulation;
  if (decided.circulate) {
    // A rescind or response sent without its section 1 or 3 goes where, and as, the notification went.
    Form routed = form;
    if (before && routed.circulation.empty()) routed.circulation = before->form.circulation;
    if (before && !routed.confidentiality) routed.confidentiality = before->form.confidentiality;
    circulation = protocol::route(routed, config.lists);
  }
  const auto planned = protocol::plan_form_mails(decision, form, decided, result.reference.value_or(""), circulation,
                                                 config.nwadcs.address);
  queue_all(tx, *cause, planned, result.reference, message_id, form_file);
  return result;
}

Outcome settle_without_forms(store::IntakeTx& tx, const MailDecision& decision, const protocol::MailFacts& facts,
                             const std::string& message_id, const config::Config& config) {
  const InboundState state = decision.route == MailRoute::ignore ? InboundState::ignored : InboundState::attention;
  const auto event = tx.settle(state, decision.reason);
  const auto planned = protocol::plan_mail_mails(decision, facts, config.nwadcs.address);
  queue_all(tx, event, planned, std::nullopt, message_id, std::nullopt);
  return {state, decision.reason, {}};
}

// A delivery status report about a mail ispd sent: each recipient it names as failed is
// recorded as bounced and NWADCS told. Never answered, never read as a form.
Outcome settle_bounce(store::IntakeTx& tx, const mail::MailMessage& report, const config::Config& config) {
  const std::string id = report.original_message_id;
  const auto sent = id.empty() ? std::nullopt : tx.find_outbox_by_message_id(id);
  if (!sent) {
    const std::string reason = "a delivery status report (bounce) for a mail ispd did not send";
    tx.settle(InboundState::ignored, reason);
    return {InboundState::ignored, reason, {}};
  }
  std::vector<std::string> bounced;
  for (const auto& failed : report.failed_recipients) {
    for (const auto& delivery : sent->deliveries) {
      if (text::lowercase(delivery.recipient) != text::lowercase(failed) ||
          delivery.state == store::DeliveryState::bounced)
        continue;
      tx.record_delivery(sent->id, delivery.recipient, store::DeliveryState::bounced,
                         "bounced: delivery status report " + text::without_controls(report.message_id, 200));
      bounced.push_back(delivery.recipient);
    }
  }
  std::string reason = "a delivery status report (bounce) for " + text::without_controls(sent->subject, 200);
  if (bounced.empty()) {
    reason += "; it names no recipient still on record as waiting for it";
  } else {
    outbox::report_undelivered(tx, *sent, outbox::Undelivered::bounced, bounced,
                               "delivery status report " + report.message_id, config);
    reason += ": " + std::to_string(bounced.size()) + (bounced.size() == 1 ? " recipient" : " recipients") +
              " did not receive it; NWADCS told";
  }
  tx.settle(InboundState::ignored, reason, sent->reference);
  Outcome outcome{InboundState::ignored, reason, {}};
  if (sent->reference) outcome.references.push_back(*sent->reference);
  return outcome;
}

// NWADCS's own address, or another of its domain (a colleague answering for a shared mailbox).
bool from_nwadcs(std::string_view address, const config::Config& config) {
  if (outbox::is_nwadcs(address, config)) return true;
  const auto domain = [](std::string_view a) {
    const auto at = a.rfind('@');
    return at == std::string_view::npos ? std::string() : text::lowercase(a.substr(at + 1));
  };
  std::string nwadcs = domain(config.nwadcs.address);
  while (!nwadcs.empty() && (nwadcs.back() == '>' || nwadcs.back() == ' ')) nwadcs.pop_back();
  return !nwadcs.empty() && domain(address) == nwadcs;
}

// The first word of a reply, before anything it quotes: "CLOSE" in "Close it, please.".
std::string first_word(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t at = 0;
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  std::size_t end = at;
  while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
  return text::lowercase(text.substr(at, end - at));
}

// NWADCS's reply to a close request (chasers.hpp): from the NWADCS address, naming in In-Reply-To or References
// the Message-ID that only the close request carried. "CLOSE" as its first word closes the notification;
// anything else goes to a person. nullopt for any other mail.
std::optional<Outcome> settle_close_reply(store::IntakeTx& tx, const mail::MailMessage& reply,
                                          const config::Config& config) {
  if (reply.automatic || reply.from_count > 1 || !from_nwadcs(reply.from.address, config)) return std::nullopt;
  std::vector<std::string> named = reply.references;
  if (!reply.in_reply_to.empty()) named.push_back(reply.in_reply_to);
  std::optional<store::OutboxRow> request;
  for (const auto& id : named) {
    auto sent = tx.find_outbox_by_message_id(id);
    if (sent && sent->kind == store::OutboxKind::chaser && sent->reference &&
        mail_data::read<mail_data::Chaser>(sent->template_data).which == mail_data::ChaserStep::close_request) {
      request = std::move(sent);
    }
  }
  if (!request) return std::nullopt;
  const std::string& reference = *request->reference;
  std::string problem;
  if (first_word(reply.text) == "close") {
    const auto closed = chase::close_in(tx, config, reference,
                                        {{"by", "a reply to the close request"}, {"message_id", reply.message_id}});
    if (closed) {
      const std::string reason = "NWADCS closed " + reference + " by replying CLOSE to its close request";
      tx.settle(InboundState::processed, reason, reference);
      logs::intake()->info("notification closed by reply ref={}", reference);
      return Outcome{InboundState::processed, reason, {reference}};
    }
    problem = "NWADCS replied CLOSE to the close request for " + reference + ", but " + closed.error().message;
  } else {
    problem = "NWADCS replied to the close request for " + reference +
              " without CLOSE as the first word, so nothing was changed; to close it, reply CLOSE or run ispd close";
  }
  MailDecision decision;
  decision.route = MailRoute::attention;
  decision.reason = problem;
  std::vector<ReadAttachment> read;
  const auto facts = facts_of(reply, read);
  const auto event = tx.settle(InboundState::attention, problem, reference);
  queue_all(tx, event, protocol::plan_mail_mails(decision, facts, config.nwadcs.address), reference, reply.message_id,
            std::nullopt);
  return Outcome{InboundState::attention, problem, {reference}};
}

// The intake proper, once its attempt is counted.
Outcome decide_inbound(store::Store& store, std::int64_t inbound_id, int attempts,
                       const Result<mail::MailMessage>& mail, const config::Config& config, store::TimePoint now) {
  return store.intake(inbound_id, now, [&](store::IntakeTx& tx) -> Outcome {
    if (attempts > kMaxIntakeAttempts) {
      MailDecision stuck;
      stuck.route = MailRoute::attention;
      stuck.reason = "ispd started on this mail " + std::to_string(attempts - 1) +
                     " times without finishing; a person must look at it";
      // Who sent it and what it is about, from its headers: its forms are not read again, as they may be the cause.
      protocol::MailFacts facts;
      if (mail) {
        facts.from = mail->from.address;
        facts.subject = mail->subject;
      }
      return settle_without_forms(tx, stuck, facts, mail ? mail->message_id : "", config);
    }
    if (!mail) {
      MailDecision unreadable;
      unreadable.route = MailRoute::attention;
      unreadable.reason = "the mail could not be read: it " + mail.error().message;
      return settle_without_forms(tx, unreadable, {}, "", config);
    }
    if (mail->is_bounce) return settle_bounce(tx, *mail, config);
    if (auto closed = settle_close_reply(tx, *mail, config)) return std::move(*closed);
    std::vector<ReadAttachment> read;
    read.reserve(mail->attachments.size());
    const auto facts = facts_of(*mail, read);
    const auto decision = protocol::classify_mail(facts, config.authorities);
    if (decision.route != MailRoute::forms) return settle_without_forms(tx, decision, facts, mail->message_id, config);

    Outcome outcome;
    std::vector<FormAction> actions;
    std::vector<std::string> notes;
    for (const auto& form : decision.forms) {
      const auto file = std::find_if(
          read.begin(), read.end(), [&](const ReadAttachment& r) { return r.finding.form && *r.finding.form == form; });
      if (file == read.end()) throw std::logic_error("a decided form is not among the mail's attachments");
      const auto result = take_form(tx, form, *file, decision, facts, mail->message_id, config);
      actions.push_back(result.action);
      std::string note = result.reference.value_or("a form");
      note += std::string(" ") + std::string(protocol::words(result.action).done);
      notes.push_back(std::move(note));
      if (result.reference) outcome.references.push_back(*result.reference);
    }
    outcome.state = mail_state(actions);
    for (std::size_t i = 0; i < notes.size(); ++i) outcome.reason += (i == 0 ? "" : "; ") + notes[i];
    tx.settle(outcome.state, outcome.reason,
              outcome.references.empty() ? std::nullopt : std::optional<std::string>(outcome.references.front()));
    return outcome;
  });
}

}  // namespace

bool looks_like_form(const mail::Attachment& attachment) {
  const std::string name = text::lowercase(attachment.name);
  const std::size_t dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  for (const char* e : {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".pdf", ".odt", ".rtf"}) {
    if (ext == e) return true;
  }
  const std::string& type = attachment.content_type;
  if (type.starts_with("application/vnd.openxmlformats-officedocument.wordprocessingml") ||
      type.starts_with("application/vnd.ms-word") || type == "application/msword" || type == "application/pdf" ||
      type == "application/vnd.oasis.opendocument.text" || type == "application/rtf" || type == "text/rtf") {
    return true;
  }
  if (!ext.empty() && type != "application/octet-stream") return false;
  const std::string& b = attachment.bytes;
  return b.starts_with("PK\x03\x04") || b.starts_with("\xD0\xCF\x11\xE0") || b.starts_with("%PDF") ||
         b.starts_with("{\\rtf");
}

const std::string& folder_for(store::InboundState state, const config::Config& config) {
  return state == InboundState::attention ? config.mailbox.attention_folder : config.mailbox.processed_folder;
}

Outcome process_inbound(store::Store& store, std::int64_t inbound_id, std::string_view raw,
                        const config::Config& config, store::TimePoint now) {
  const mail::MailLimits limits;
  return process_inbound(store, inbound_id, mail::read_mail(raw, limits), config, now);
}

Outcome process_inbound(store::Store& store, std::int64_t inbound_id, const Result<mail::MailMessage>& mail,
                        const config::Config& config, store::TimePoint now) {
  const int attempts = store.begin_intake(inbound_id);
  try {
    return decide_inbound(store, inbound_id, attempts, mail, config, now);
  } catch (const store::StorageFailure& failure) {
    // ispd's own storage failed, not the mail: the attempt is not held against it.
    try {
      store.undo_intake(inbound_id);
    } catch (const store::StorageFailure& again) {
      logs::intake()->warn("intake attempt could not be taken back inbound={} error=\"{}\"", inbound_id, again.what());
    }
    throw;
  }
}

}  // namespace ispd::intake
