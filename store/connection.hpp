#pragma once
// The store's shared state and the small helpers its .cpp files use to read
// and write rows. Not part of the store's interface.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.hpp"

namespace ispd::store::detail {

struct Connection {
  Connection(const std::string& path, int flags, StoreOptions store_options)
      : db(path, flags), options(std::move(store_options)) {}
  SQLite::Database db;
  StoreOptions options;
  std::uint64_t transactions = 0;  // numbers each Tx, so an EventId cannot leave its own
};

inline void bind_text(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

inline void bind_int(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value) {
  if (value) {
    statement.bind(index, static_cast<int64_t>(*value));
  } else {
    statement.bind(index);
  }
}

inline std::optional<std::string> column_text(const SQLite::Statement& statement, int index) {
  if (statement.isColumnNull(index)) return std::nullopt;
  return statement.getColumn(index).getString();
}

inline std::optional<std::int64_t> column_int(const SQLite::Statement& statement, int index) {
  if (statement.isColumnNull(index)) return std::nullopt;
  return statement.getColumn(index).getInt64();
}

// The rows as values, shared by the queries and the transaction.
Notification read_notification(const SQLite::Statement& row);              // columns: kNotificationColumns
InboundMessage read_inbound(const SQLite::Statement& row);                 // columns: kInboundColumns
OutboxRow read_outbox(const Connection& c, const SQLite::Statement& row);  // columns: kOutboxColumns
Event read_event(const SQLite::Statement& row);                            // columns: kEventColumns
std::vector<ArchivedFile> read_attachments_of_mail(const Connection& c, std::int64_t outbox_id);
std::vector<MadeFile> read_files_of_mail(const Connection& c, std::int64_t outbox_id);

inline constexpr const char* kNotificationColumns =
    "id, reference, status, stage, confidentiality, agency, provider_name, provider_name_key, company_number, "
    "ofsted_urn, review_date, form_json, origin_inbound_id, created_at, updated_at";
inline constexpr const char* kInboundColumns =
    "id, message_id, sha256, size, received_at, mailbox_uidvalidity, mailbox_uid, state, reason, processed_at, "
    "attempts";
inline constexpr const char* kEventColumns = "id, kind, notification_ref, inbound_id, actor, detail, at";
inline constexpr const char* kOutboxColumns =
    "id, message_id, event_id, kind, notification_ref, subject, in_reply_to, template_data, state, attempts, "
    "next_attempt_at, last_error, created_at, sent_at";

// Text back to enums; a value the schema's CHECK allows always reads.
InboundState inbound_state_from_text(std::string_view text);
NotificationStatus notification_status_from_text(std::string_view text);
EventKind event_kind_from_text(std::string_view text);
OutboxKind outbox_kind_from_text(std::string_view text);
OutboxState outbox_state_from_text(std::string_view text);
DeliveryState delivery_state_from_text(std::string_view text);
Stage stage_from_text(std::string_view text);
std::optional<Confidentiality> confidentiality_from_text(const std::optional<std::string>& text);

}  // namespace ispd::store::detail
