// The store's queries: what the intake matches against, what `ispd list` and
// `ispd show` print, and what the sender drains.

#include <stdexcept>

#include "parsing/form_json.hpp"
#include "store/connection.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "util/message_id.hpp"

namespace ispd::store {

namespace detail {

Notification read_notification(const SQLite::Statement& row) {
  Notification n;
  n.id = row.getColumn(0).getInt64();
  n.reference = row.getColumn(1).getString();
  n.status = notification_status_from_text(row.getColumn(2).getString());
  n.stage = stage_from_text(row.getColumn(3).getString());
  n.confidentiality = confidentiality_from_text(column_text(row, 4));
  n.agency = row.getColumn(5).getString();
  n.provider_name = column_text(row, 6);
  n.provider = ProviderKeys{row.getColumn(7).getString(), row.getColumn(8).getString(), row.getColumn(9).getString()};
  if (auto review = column_text(row, 10)) n.review_date = date_from_text(*review);
  auto form = form_from_json_text(row.getColumn(11).getString());
  // The store wrote this JSON with to_json; failing to read it back is a broken invariant.
  if (!form) throw std::runtime_error("store: the form of " + n.reference + " cannot be read: " + form.error().message);
  n.form = std::move(form).value();
  n.origin_inbound_id = column_int(row, 12);
  n.created_at = time_from_text(row.getColumn(13).getString());
  n.updated_at = time_from_text(row.getColumn(14).getString());
  return n;
}

InboundMessage read_inbound(const SQLite::Statement& row) {
  InboundMessage m;
  m.id = row.getColumn(0).getInt64();
  m.message_id = row.getColumn(1).getString();
  m.sha256 = row.getColumn(2).getString();
  m.size = row.getColumn(3).getInt64();
  m.received_at = time_from_text(row.getColumn(4).getString());
  if (auto v = column_int(row, 5)) m.uidvalidity = static_cast<std::uint32_t>(*v);
  if (auto v = column_int(row, 6)) m.uid = static_cast<std::uint32_t>(*v);
  m.state = inbound_state_from_text(row.getColumn(7).getString());
  m.reason = row.getColumn(8).getString();
  if (auto at = column_text(row, 9)) m.processed_at = time_from_text(*at);
  m.attempts = row.getColumn(10).getInt();
  return m;
}

std::vector<ArchivedFile> read_attachments_of_mail(const Connection& c, std::int64_t outbox_id) {
  SQLite::Statement query(c.db,
                          "SELECT a.id, a.notification_ref, a.stage, a.file_name, a.path, a.sha256, a.size "
                          "FROM outbox_attachments o JOIN attachments a ON a.id = o.attachment_id "
                          "WHERE o.outbox_id = ? ORDER BY o.position");
  query.bind(1, static_cast<int64_t>(outbox_id));
  std::vector<ArchivedFile> files;
  while (query.executeStep()) {
    ArchivedFile f;
    f.id = query.getColumn(0).getInt64();
    f.reference = query.getColumn(1).getString();
    f.stage = stage_from_text(query.getColumn(2).getString());
    f.file_name = query.getColumn(3).getString();
    f.path = c.options.archive_dir / query.getColumn(4).getString();
    f.sha256 = query.getColumn(5).getString();
    f.size = query.getColumn(6).getInt64();
    files.push_back(std::move(f));
  }
  return files;
}

OutboxRow read_outbox(const Connection& c, const SQLite::Statement& row) {
  OutboxRow m;
  m.id = row.getColumn(0).getInt64();
  m.message_id = row.getColumn(1).getString();
  m.event_id = row.getColumn(2).getInt64();
  m.kind = outbox_kind_from_text(row.getColumn(3).getString());
  m.reference = column_text(row, 4);
  m.subject = row.getColumn(5).getString();
  m.in_reply_to = column_text(row, 6);
  m.template_data = nlohmann::json::parse(row.getColumn(7).getString());
  m.state = outbox_state_from_text(row.getColumn(8).getString());
  m.attempts = row.getColumn(9).getInt();
  m.next_attempt_at = time_from_text(row.getColumn(10).getString());
  m.last_error = column_text(row, 11);
  m.created_at = time_from_text(row.getColumn(12).getString());
  if (auto at = column_text(row, 13)) m.sent_at = time_from_text(*at);

  SQLite::Statement deliveries(c.db,
                               "SELECT recipient, state, smtp_reply, at FROM deliveries WHERE outbox_id = ? "
                               "ORDER BY position");
  deliveries.bind(1, static_cast<int64_t>(m.id));
  while (deliveries.executeStep()) {
    Delivery d;
    d.recipient = deliveries.getColumn(0).getString();
    d.state = delivery_state_from_text(deliveries.getColumn(1).getString());
    d.smtp_reply = column_text(deliveries, 2);
    if (auto at = column_text(deliveries, 3)) d.at = time_from_text(*at);
    m.deliveries.push_back(std::move(d));
  }
  m.attachments = read_attachments_of_mail(c, m.id);
  m.files = read_files_of_mail(c, m.id);
  return m;
}

std::vector<MadeFile> read_files_of_mail(const Connection& c, std::int64_t outbox_id) {
  SQLite::Statement query(c.db,
                          "SELECT file_name, content_type, bytes FROM outbox_files WHERE outbox_id = ? "
                          "ORDER BY position");
  query.bind(1, static_cast<int64_t>(outbox_id));
  std::vector<MadeFile> files;
  while (query.executeStep()) {
    const auto bytes = query.getColumn(2);
    files.push_back(
        {query.getColumn(0).getString(), query.getColumn(1).getString(),
         std::string(static_cast<const char*>(bytes.getBlob()), static_cast<std::size_t>(bytes.getBytes()))});
  }
  return files;
}

Event read_event(const SQLite::Statement& row) {
  Event e;
  e.id = row.getColumn(0).getInt64();
  e.kind = event_kind_from_text(row.getColumn(1).getString());
  e.reference = column_text(row, 2);
  e.inbound_id = column_int(row, 3);
  e.actor = row.getColumn(4).getString();
  e.detail = nlohmann::json::parse(row.getColumn(5).getString());
  e.at = time_from_text(row.getColumn(6).getString());
  return e;
}

}  // namespace detail

namespace {

using detail::kInboundColumns;
using detail::kNotificationColumns;
using detail::kOutboxColumns;

std::vector<Notification> notifications(SQLite::Statement& query) {
  std::vector<Notification> out;
  while (query.executeStep()) out.push_back(detail::read_notification(query));
  return out;
}

std::vector<InboundMessage> inbound(SQLite::Statement& query) {
  std::vector<InboundMessage> out;
  while (query.executeStep()) out.push_back(detail::read_inbound(query));
  return out;
}

// Open notifications about the provider, from `agency` or (`same_agency` false) from every other agency.
std::vector<Notification> open_for_provider(const detail::Connection& c, std::string_view agency,
                                            const ProviderKeys& provider, bool same_agency) {
  if (provider.name.empty() && provider.company_number.empty() && provider.ofsted_urn.empty()) return {};
  SQLite::Statement query(c.db, std::string("SELECT ") + kNotificationColumns +
                                    " FROM notifications WHERE status = 'open' AND " +
                                    (same_agency ? "agency = ?1" : "agency <> ?1") +
                                    " AND ((?2 <> '' AND company_number = ?2) OR (?3 <> '' AND ofsted_urn = ?3)"
                                    " OR (?4 <> '' AND provider_name_key = ?4)) ORDER BY year, number");
  query.bind(1, std::string(agency));
  query.bind(2, provider.company_number);
  query.bind(3, provider.ofsted_urn);
  query.bind(4, provider.name);
  return notifications(query);
}

}  // namespace

int Reader::schema_version() const {
  SQLite::Statement query(c_->db, "PRAGMA user_version");
  query.executeStep();
  return query.getColumn(0).getInt();
}

std::optional<Notification> Reader::find_notification(std::string_view reference) const {
  SQLite::Statement query(c_->db,
                          std::string("SELECT ") + kNotificationColumns + " FROM notifications WHERE reference = ?");
  query.bind(1, std::string(reference));
  if (!query.executeStep()) return std::nullopt;
  return detail::read_notification(query);
}

std::vector<Notification> Reader::find_open_for_provider(std::string_view agency, const ProviderKeys& provider) const {
  return open_for_provider(*c_, agency, provider, true);
}

std::vector<Notification> Reader::find_open_elsewhere(std::string_view agency, const ProviderKeys& provider) const {
  return open_for_provider(*c_, agency, provider, false);
}

std::vector<Notification> Reader::list_notifications(std::optional<ListedStatus> filter, Date today) const {
  SQLite::Statement query(c_->db,
                          std::string("SELECT ") + kNotificationColumns + " FROM notifications ORDER BY year, number");
  std::vector<Notification> out;
  while (query.executeStep()) {
    auto n = detail::read_notification(query);
    if (!filter || listed_status(n, today) == *filter) out.push_back(std::move(n));
  }
  return out;
}

std::optional<History> Reader::show(std::string_view reference) const {
  auto notification = find_notification(reference);
  if (!notification) return std::nullopt;
  History history{std::move(*notification), {}, {}};
  history.events = events_of(reference);
  SQLite::Statement mails(
      c_->db, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE notification_ref = ? ORDER BY id");
  mails.bind(1, std::string(reference));
  while (mails.executeStep()) history.mails.push_back(detail::read_outbox(*c_, mails));
  return history;
}

std::optional<InboundMessage> Reader::find_inbound(std::int64_t id) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + kInboundColumns + " FROM inbound_messages WHERE id = ?");
  query.bind(1, static_cast<int64_t>(id));
  if (!query.executeStep()) return std::nullopt;
  return detail::read_inbound(query);
}

std::vector<InboundMessage> Reader::find_inbound_by_message_id(std::string_view message_id) const {
  SQLite::Statement query(
      c_->db, std::string("SELECT ") + kInboundColumns + " FROM inbound_messages WHERE message_id = ? ORDER BY id");
  query.bind(1, std::string(message_id));
  return inbound(query);
}

std::optional<std::string> Reader::inbound_raw(std::int64_t id) const {
  SQLite::Statement query(c_->db, "SELECT raw FROM inbound_messages WHERE id = ?");
  query.bind(1, static_cast<int64_t>(id));
  if (!query.executeStep()) return std::nullopt;
  const auto column = query.getColumn(0);
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
}

std::vector<InboundMessage> Reader::inbound_in_state(InboundState state) const {
  SQLite::Statement query(
      c_->db, std::string("SELECT ") + kInboundColumns + " FROM inbound_messages WHERE state = ? ORDER BY id");
  query.bind(1, std::string(to_string(state)));
  return inbound(query);
}

std::vector<OutboxRow> Reader::due_mail(TimePoint now, std::size_t limit) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + kOutboxColumns +
                                      " FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
                                      "ORDER BY next_attempt_at, id LIMIT ?");
  query.bind(1, time_text(now));
  query.bind(2, static_cast<int64_t>(limit));
  std::vector<OutboxRow> out;
  while (query.executeStep()) out.push_back(detail::read_outbox(*c_, query));
  return out;
}

std::optional<OutboxRow> Reader::find_outbox(std::int64_t id) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?");
  query.bind(1, static_cast<int64_t>(id));
  if (!query.executeStep()) return std::nullopt;
  return detail::read_outbox(*c_, query);
}

std::optional<OutboxRow> Reader::find_outbox_by_message_id(std::string_view message_id) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE message_id = ?");
  query.bind(1, message_id::wire(message_id));
  if (!query.executeStep()) return std::nullopt;
  return detail::read_outbox(*c_, query);
}

}  // namespace ispd::store
