// The outbox: mail queued in the transaction of the decision that caused it,
// then sent, retried with backoff, and recorded per recipient.

#include <algorithm>
#include <stdexcept>

#include "store/connection.hpp"
#include "store/digest.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "util/message_id.hpp"
#include "util/text.hpp"

namespace ispd::store {

namespace {

bool same_address(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// An address as an envelope needs it: one @, no spaces, controls or characters that end a header.
bool is_plain_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= address.size() || address.size() > 254) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' ||
           c == '\\';
  });
}

}  // namespace

std::string Reader::new_message_id() const {
  return message_id::wire(random_hex(16) + "@" + c_->options.message_id_domain);
}

std::int64_t Tx::queue_mail(const EventId& cause, const OutboxMail& mail) {
  if (cause.tx_ != serial_) {
    throw std::logic_error("a mail is queued only with the event, recorded in the same transaction, that decided it");
  }
  std::vector<std::string> recipients;
  for (const auto& r : mail.recipients) {
    if (!is_plain_address(r))
      throw std::invalid_argument("\"" + text::without_controls(r) + "\" is not a plain e-mail address");
    const bool seen = std::any_of(recipients.begin(), recipients.end(),
                                  [&](const std::string& kept) { return same_address(kept, r); });
    if (!seen) recipients.push_back(r);
  }
  if (recipients.empty()) throw std::logic_error("a mail with no recipient cannot be queued");

  auto& db = c_->db;
  const std::string message_id = new_message_id();
  SQLite::Statement insert(db,
                           "INSERT INTO outbox (message_id, event_id, kind, notification_ref, subject, in_reply_to, "
                           "template_data, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, message_id);
  insert.bind(2, static_cast<int64_t>(cause.value()));
  insert.bind(3, std::string(to_string(mail.kind)));
  detail::bind_text(insert, 4, mail.reference);
  insert.bind(5, text::without_controls(mail.subject));
  detail::bind_text(
      insert, 6,
      mail.in_reply_to ? std::optional<std::string>(text::without_controls(*mail.in_reply_to)) : std::nullopt);
  insert.bind(7, mail.template_data.is_null() ? std::string("{}") : mail.template_data.dump());
  insert.bind(8, time_text(now_));
  insert.bind(9, time_text(now_));
  insert.exec();
  const std::int64_t id = db.getLastInsertRowid();

  SQLite::Statement delivery(db, "INSERT INTO deliveries (outbox_id, recipient, position) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    delivery.reset();
    delivery.bind(1, static_cast<int64_t>(id));
    delivery.bind(2, recipients[i]);
    delivery.bind(3, static_cast<int64_t>(i));
    delivery.exec();
  }
  SQLite::Statement attachment(db,
                               "INSERT INTO outbox_attachments (outbox_id, attachment_id, position) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < mail.attachments.size(); ++i) {
    attachment.reset();
    attachment.bind(1, static_cast<int64_t>(id));
    attachment.bind(2, static_cast<int64_t>(mail.attachments[i]));
    attachment.bind(3, static_cast<int64_t>(i));
    attachment.exec();
  }
  SQLite::Statement file(db,
                         "INSERT INTO outbox_files (outbox_id, position, file_name, content_type, bytes) "
                         "VALUES (?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < mail.files.size(); ++i) {
    const auto& made = mail.files[i];
    file.reset();
    file.bind(1, static_cast<int64_t>(id));
    file.bind(2, static_cast<int64_t>(i));
    file.bind(3, text::without_controls(made.file_name));
    file.bind(4, text::without_controls(made.content_type));
    file.bind(5, made.bytes.data(), static_cast<int>(made.bytes.size()));
    file.exec();
  }
  return id;
}

bool Tx::begin_attempt(std::int64_t outbox_id) {
  SQLite::Statement update(c_->db,
                           "UPDATE outbox SET state = 'sending', attempts = attempts + 1, last_attempt_at = ? "
                           "WHERE id = ? AND state = 'pending'");
  update.bind(1, time_text(now_));
  update.bind(2, static_cast<int64_t>(outbox_id));
  return update.exec() == 1;
}

void Tx::record_delivery(std::int64_t outbox_id, std::string_view recipient, DeliveryState state,
                         std::string_view smtp_reply) {
  SQLite::Statement update(c_->db,
                           "UPDATE deliveries SET state = ?, smtp_reply = ?, at = ? "
                           "WHERE outbox_id = ? AND recipient = ?");
  update.bind(1, std::string(to_string(state)));
  update.bind(2, std::string(smtp_reply));
  update.bind(3, time_text(now_));
  update.bind(4, static_cast<int64_t>(outbox_id));
  update.bind(5, std::string(recipient));
  if (update.exec() != 1) {
    throw std::logic_error("mail " + std::to_string(outbox_id) + " has no recipient " +
                           text::without_controls(recipient));
  }
}

void Tx::mark_sent(std::int64_t outbox_id) {
  SQLite::Statement update(c_->db,
                           "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL "
                           "WHERE id = ? AND state = 'sending'");
  update.bind(1, time_text(now_));
  update.bind(2, static_cast<int64_t>(outbox_id));
  if (update.exec() != 1) {
    throw std::logic_error("mail " + std::to_string(outbox_id) + " is marked sent without an attempt begun");
  }
}

RetryDecision Tx::mark_failed(std::int64_t outbox_id, std::string_view error, Failure failure) {
  SQLite::Statement attempts(c_->db, "SELECT attempts FROM outbox WHERE id = ? AND state = 'sending'");
  attempts.bind(1, static_cast<int64_t>(outbox_id));
  if (!attempts.executeStep()) {
    throw std::logic_error("mail " + std::to_string(outbox_id) + " is marked failed without an attempt begun");
  }
  const int made = attempts.getColumn(0).getInt();
  const auto& options = c_->options;
  RetryDecision decision;
  decision.gave_up = failure == Failure::permanent || made >= options.max_attempts;
  if (!decision.gave_up) {
    // base · 2^(made-1), at most the cap; the shift is bounded so it cannot overflow.
    const auto doubled = options.retry_base * (std::int64_t{1} << std::clamp(made - 1, 0, 30));
    decision.next_attempt_at = now_ + std::min<std::chrono::seconds>(doubled, options.retry_cap);
  }
  SQLite::Statement update(c_->db,
                           "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = coalesce(?, "
                           "next_attempt_at) WHERE id = ?");
  update.bind(1, std::string(decision.gave_up ? "failed" : "pending"));
  update.bind(2, std::string(error));
  detail::bind_text(
      update, 3,
      decision.next_attempt_at ? std::optional<std::string>(time_text(*decision.next_attempt_at)) : std::nullopt);
  update.bind(4, static_cast<int64_t>(outbox_id));
  update.exec();
  return decision;
}

int Tx::requeue_interrupted() {
  SQLite::Statement update(c_->db,
                           "UPDATE outbox SET state = 'pending', next_attempt_at = ?, "
                           "last_error = 'interrupted while sending' WHERE state = 'sending'");
  update.bind(1, time_text(now_));
  return update.exec();
}

}  // namespace ispd::store
