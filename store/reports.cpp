// The store's side of the scheduled mails and health alerts: each report
// recorded once for its period, what the daily digest counts, and what is
// failing now.

#include "store/connection.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"

namespace ispd::store {

std::optional<RecordedReport> Reader::last_report(std::string_view kind) const {
  SQLite::Statement query(c_->db,
                          "SELECT kind, period, event_id, at FROM reports WHERE kind = ? ORDER BY at DESC, id DESC "
                          "LIMIT 1");
  query.bind(1, std::string(kind));
  if (!query.executeStep()) return std::nullopt;
  return RecordedReport{query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getInt64(),
                        time_from_text(query.getColumn(3).getString())};
}

Activity Reader::activity(TimePoint from, TimePoint to) const {
  Activity a;
  SQLite::Statement events(c_->db, "SELECT kind, count(*) FROM events WHERE at >= ? AND at < ? GROUP BY kind");
  events.bind(1, time_text(from));
  events.bind(2, time_text(to));
  while (events.executeStep()) {
    const int count = events.getColumn(1).getInt();
    switch (detail::event_kind_from_text(events.getColumn(0).getString())) {
      case EventKind::received: a.received += count; break;
      case EventKind::logged: a.logged += count; break;
      case EventKind::updated:
      case EventKind::provider_response:
      case EventKind::extended: a.updated += count; break;
      case EventKind::rescinded: a.rescinded += count; break;
      case EventKind::closed: a.closed += count; break;
      case EventKind::returned: a.returned += count; break;
      case EventKind::attention: a.attention += count; break;
      case EventKind::ignored: a.ignored += count; break;
      case EventKind::mail_failed:
      case EventKind::bounced: a.failures += count; break;
      default: break;
    }
  }
  SQLite::Statement circulated(c_->db,
                               "SELECT count(*) FROM outbox WHERE kind = 'circulation' AND created_at >= ? "
                               "AND created_at < ?");
  circulated.bind(1, time_text(from));
  circulated.bind(2, time_text(to));
  circulated.executeStep();
  a.circulated = circulated.getColumn(0).getInt();
  return a;
}

std::vector<Event> Reader::events_between(EventKind kind, TimePoint from, TimePoint to, std::size_t limit) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + detail::kEventColumns +
                                      " FROM events WHERE kind = ? AND at >= ? AND at < ? ORDER BY id LIMIT ?");
  query.bind(1, std::string(to_string(kind)));
  query.bind(2, time_text(from));
  query.bind(3, time_text(to));
  query.bind(4, static_cast<int64_t>(limit));
  std::vector<Event> out;
  while (query.executeStep()) out.push_back(detail::read_event(query));
  return out;
}

std::optional<TimePoint> Reader::last_received() const {
  SQLite::Statement query(c_->db, "SELECT max(received_at) FROM inbound_messages");
  if (!query.executeStep() || query.isColumnNull(0)) return std::nullopt;
  return time_from_text(query.getColumn(0).getString());
}

std::vector<OutboxRow> Reader::stuck_mail(TimePoint queued_before, TimePoint failed_since, std::size_t limit) const {
  SQLite::Statement query(c_->db, std::string("SELECT ") + detail::kOutboxColumns +
                                      " FROM outbox WHERE (state IN ('pending', 'sending') AND attempts > 0 "
                                      "AND created_at < ?) OR (state = 'failed' AND last_attempt_at >= ?) "
                                      "ORDER BY id LIMIT ?");
  query.bind(1, time_text(queued_before));
  query.bind(2, time_text(failed_since));
  query.bind(3, static_cast<int64_t>(limit));
  std::vector<OutboxRow> out;
  while (query.executeStep()) out.push_back(detail::read_outbox(*c_, query));
  return out;
}

std::optional<Failing> Reader::failing(std::string_view what) const {
  SQLite::Statement query(c_->db, "SELECT what, since, last, error FROM failing WHERE what = ?");
  query.bind(1, std::string(what));
  if (!query.executeStep()) return std::nullopt;
  return Failing{query.getColumn(0).getString(), time_from_text(query.getColumn(1).getString()),
                 time_from_text(query.getColumn(2).getString()), query.getColumn(3).getString()};
}

void Tx::record_report(const EventId& cause, std::string_view kind, std::string_view period) {
  if (cause.tx_ != serial_) {
    throw std::logic_error(
        "a report is recorded only with the event, recorded in the same transaction, that decided it");
  }
  SQLite::Statement insert(c_->db, "INSERT INTO reports (kind, period, event_id, at) VALUES (?, ?, ?, ?)");
  insert.bind(1, std::string(kind));
  insert.bind(2, std::string(period));
  insert.bind(3, static_cast<int64_t>(cause.value()));
  insert.bind(4, time_text(now_));
  insert.exec();
}

TimePoint Tx::note_failing(std::string_view what, std::string_view error) {
  SQLite::Statement upsert(c_->db,
                           "INSERT INTO failing (what, since, last, error) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (what) DO UPDATE SET last = excluded.last, error = excluded.error");
  upsert.bind(1, std::string(what));
  upsert.bind(2, time_text(now_));
  upsert.bind(3, time_text(now_));
  upsert.bind(4, std::string(error));
  upsert.exec();
  const auto now_failing = failing(what);
  return now_failing ? now_failing->since : now_;
}

void Tx::note_working(std::string_view what) {
  SQLite::Statement remove(c_->db, "DELETE FROM failing WHERE what = ?");
  remove.bind(1, std::string(what));
  remove.exec();
}

}  // namespace ispd::store
