// Chasers recorded once per (notification, review date, which), and the
// erasure of a notification's records when its retention ends.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "store/connection.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"

namespace ispd::store {

namespace {

constexpr std::array<std::string_view, 2> kChaserStates = {"queued", "skipped"};

ChaserState chaser_state_from_text(std::string_view text) {
  for (std::size_t i = 0; i < kChaserStates.size(); ++i) {
    if (kChaserStates[i] == text) return static_cast<ChaserState>(i);
  }
  throw std::runtime_error("store: unknown chaser state \"" + std::string(text) + "\"");
}

std::runtime_error file_error(const std::filesystem::path& path, const char* what, int error) {
  return std::runtime_error("cannot erase " + path.string() + ": " + what + ": " + std::strerror(error));
}

// Overwrites the file with zeros, makes that durable, then unlinks it and syncs
// its folder. False when there was no such file (it was erased before).
bool overwrite_and_unlink(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    throw file_error(path, "open", errno);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    throw file_error(path, "stat", error);
  }
  static constexpr std::array<char, 65536> kZeros{};
  off_t left = info.st_size;
  while (left > 0) {
    const auto chunk = static_cast<std::size_t>(std::min<off_t>(left, static_cast<off_t>(kZeros.size())));
    const ssize_t wrote = ::write(fd, kZeros.data(), chunk);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      const int error = errno;
      ::close(fd);
      throw file_error(path, "write", error);
    }
    left -= wrote;
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    throw file_error(path, "fsync", error);
  }
  ::close(fd);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw file_error(path, "unlink", errno);
  const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

// A sent mail's template data without the form's free text: the details and the provider's response.
bool clear_free_text(nlohmann::json& data) {
  bool changed = false;
  for (const char* key : {"details", "provider_response"}) {
    if (data.is_object() && data.contains(key) && !data[key].is_null()) {
      data[key] = nullptr;
      changed = true;
    }
  }
  return changed;
}

}  // namespace

std::string_view to_string(ChaserState state) { return kChaserStates.at(static_cast<std::size_t>(state)); }

std::vector<Event> Reader::events_of(std::string_view reference) const {
  SQLite::Statement query(
      c_->db, std::string("SELECT ") + detail::kEventColumns + " FROM events WHERE notification_ref = ? ORDER BY id");
  query.bind(1, std::string(reference));
  std::vector<Event> out;
  while (query.executeStep()) out.push_back(detail::read_event(query));
  return out;
}

std::vector<RecordedChaser> Reader::chasers_of(std::string_view reference) const {
  SQLite::Statement query(c_->db,
                          "SELECT notification_ref, review_date, which, state, event_id, at FROM chasers "
                          "WHERE notification_ref = ? ORDER BY id");
  query.bind(1, std::string(reference));
  std::vector<RecordedChaser> out;
  while (query.executeStep()) {
    RecordedChaser c;
    c.reference = query.getColumn(0).getString();
    const auto review = date_from_text(query.getColumn(1).getString());
    if (!review) throw std::runtime_error("store: a chaser of " + c.reference + " has no review date");
    c.review_date = *review;
    c.which = query.getColumn(2).getString();
    c.state = chaser_state_from_text(query.getColumn(3).getString());
    c.event_id = query.getColumn(4).getInt64();
    c.at = time_from_text(query.getColumn(5).getString());
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<EndedNotification> Reader::ended_not_erased() const {
  SQLite::Statement query(
      c_->db,
      "SELECT n.reference, n.status, (SELECT max(e.at) FROM events e WHERE e.notification_ref = "
      "n.reference AND e.kind IN ('rescinded', 'closed')), n.updated_at FROM notifications n "
      "WHERE n.status IN ('rescinded', 'closed') AND n.erased_at IS NULL ORDER BY n.year, n.number");
  std::vector<EndedNotification> out;
  while (query.executeStep()) {
    EndedNotification n;
    n.reference = query.getColumn(0).getString();
    n.status = detail::notification_status_from_text(query.getColumn(1).getString());
    const auto ended = detail::column_text(query, 2);
    n.ended_at = time_from_text(ended ? *ended : query.getColumn(3).getString());
    out.push_back(std::move(n));
  }
  return out;
}

void Tx::record_chaser(const EventId& cause, const NewChaser& chaser) {
  if (cause.tx_ != serial_) throw std::logic_error("a chaser is recorded with an event of its own transaction");
  SQLite::Statement insert(c_->db,
                           "INSERT INTO chasers (notification_ref, review_date, which, state, event_id, at) "
                           "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, chaser.reference);
  insert.bind(2, iso_date(chaser.review_date));
  insert.bind(3, chaser.which);
  insert.bind(4, std::string(to_string(chaser.state)));
  insert.bind(5, static_cast<int64_t>(cause.value()));
  insert.bind(6, time_text(now_));
  insert.exec();
}

Erasure Tx::erase_notification(std::string_view reference, const Form& kept) {
  auto& db = c_->db;
  const std::string ref(reference);
  if (!find_notification(ref)) {
    throw std::logic_error("erasure of notification " + ref + ", which is not in the log");
  }
  const std::string now = time_text(now_);
  Erasure erased;

  // First the notification: the outbox's trigger lets a mail about it change only once it is erased.
  SQLite::Statement form(db,
                         "UPDATE notifications SET form_json = ?, erased_at = ?, updated_at = ? WHERE reference = ?");
  form.bind(1, to_json(kept).dump());
  form.bind(2, now);
  form.bind(3, now);
  form.bind(4, ref);
  form.exec();

  SQLite::Statement files(db, "SELECT id, path FROM attachments WHERE notification_ref = ? AND erased_at IS NULL");
  files.bind(1, ref);
  std::vector<std::pair<std::int64_t, std::string>> archived;
  while (files.executeStep()) archived.emplace_back(files.getColumn(0).getInt64(), files.getColumn(1).getString());
  SQLite::Statement mark_file(db, "UPDATE attachments SET erased_at = ? WHERE id = ?");
  for (const auto& [id, path] : archived) {
    // A file already gone was erased by an attempt whose transaction did not commit.
    overwrite_and_unlink(c_->options.archive_dir / path);
    ++erased.files;
    mark_file.reset();
    mark_file.bind(1, now);
    mark_file.bind(2, static_cast<int64_t>(id));
    mark_file.exec();
  }

  SQLite::Statement sent(
      db, "SELECT id, template_data FROM outbox WHERE notification_ref = ? AND state IN ('sent', 'failed')");
  sent.bind(1, ref);
  std::vector<std::pair<std::int64_t, nlohmann::json>> mails;
  while (sent.executeStep()) {
    auto data = nlohmann::json::parse(sent.getColumn(1).getString());
    if (clear_free_text(data)) mails.emplace_back(sent.getColumn(0).getInt64(), std::move(data));
  }
  SQLite::Statement clear_mail(db, "UPDATE outbox SET template_data = ? WHERE id = ?");
  for (const auto& [id, data] : mails) {
    clear_mail.reset();
    clear_mail.bind(1, data.dump());
    clear_mail.bind(2, static_cast<int64_t>(id));
    clear_mail.exec();
    ++erased.outbox_mails;
  }

  // A mail that also concerns a notification still kept waits until that one is erased too.
  SQLite::Statement carried(db,
                            "SELECT m.id FROM inbound_messages m WHERE m.erased_at IS NULL AND m.id IN ("
                            "SELECT inbound_id FROM events WHERE notification_ref = ?1 UNION "
                            "SELECT inbound_id FROM attachments WHERE notification_ref = ?1 UNION "
                            "SELECT origin_inbound_id FROM notifications WHERE reference = ?1) "
                            "AND NOT EXISTS (SELECT 1 FROM events e JOIN notifications n ON n.reference = "
                            "e.notification_ref WHERE e.inbound_id = m.id AND n.erased_at IS NULL) "
                            "AND NOT EXISTS (SELECT 1 FROM attachments a JOIN notifications n ON n.reference = "
                            "a.notification_ref WHERE a.inbound_id = m.id AND n.erased_at IS NULL)");
  carried.bind(1, ref);
  std::vector<std::int64_t> inbound;
  while (carried.executeStep()) inbound.push_back(carried.getColumn(0).getInt64());
  SQLite::Statement clear_raw(db, "UPDATE inbound_messages SET raw = X'', size = 0, erased_at = ? WHERE id = ?");
  for (const auto id : inbound) {
    clear_raw.reset();
    clear_raw.bind(1, now);
    clear_raw.bind(2, static_cast<int64_t>(id));
    clear_raw.exec();
    ++erased.mails;
  }

  (void)record_event(
      EventKind::erased, ref, "ispd",
      nlohmann::json{{"files", erased.files}, {"mails", erased.mails}, {"sent_mails", erased.outbox_mails}});
  return erased;
}

void Store::checkpoint() {
  SQLite::Statement query(connection_->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  while (query.executeStep()) {
  }
}

}  // namespace ispd::store
