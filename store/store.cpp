#include "store/store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "store/archive.hpp"
#include "store/connection.hpp"
#include "store/digest.hpp"
#include "store/owner_only.hpp"
#include "store/provider_keys.hpp"
#include "store/schema.hpp"
#include "store/storage_failure.hpp"
#include "store/timestamps.hpp"

namespace ispd::store {

namespace {

std::string pragma_text(SQLite::Database& db, const std::string& pragma) {
  SQLite::Statement query(db, "PRAGMA " + pragma);
  return query.executeStep() ? query.getColumn(0).getString() : std::string();
}

bool is_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  for (char c : domain) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// ISP-YYYY-NNNN; a year's ten-thousandth notification would read ISP-YYYY-10000.
std::string reference_text(int year, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return "ISP-" + std::to_string(year) + "-" + digits;
}

// Binds the columns a form decides to placeholders first … first + 7, in the order of the statements below.
void bind_form_columns(SQLite::Statement& statement, int first, const Form& form) {
  const ProviderKeys keys = provider_keys(form.provider);
  statement.bind(first, std::string(ispd::to_string(form.stage)));
  detail::bind_text(
      statement, first + 1,
      form.confidentiality ? std::optional<std::string>(ispd::to_string(*form.confidentiality)) : std::nullopt);
  detail::bind_text(statement, first + 2, form.provider.name);
  statement.bind(first + 3, keys.name);
  statement.bind(first + 4, keys.company_number);
  statement.bind(first + 5, keys.ofsted_urn);
  const auto& review = form.issuing_agency.review_date;
  detail::bind_text(statement, first + 6, review ? std::optional<std::string>(iso_date(*review)) : std::nullopt);
  statement.bind(first + 7, to_json(form).dump());
}

// SQLite's word that the database's own storage failed, not the statement: the disk is full, the file is
// read-only or cannot be opened, or reading or writing it failed.
bool is_storage_code(int code) {
  const int primary = code & 0xFF;
  return primary == SQLITE_FULL || primary == SQLITE_READONLY || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
}

// Runs `work`; a storage failure of the database is thrown as StorageFailure, naming the database and the cause
// ("database or disk is full (No space left on device)"); any other failure as it was.
template <class Work>
auto storage_guarded(SQLite::Database& db, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const SQLite::Exception& e) {
    if (!is_storage_code(e.getErrorCode()) && !is_storage_code(e.getExtendedErrorCode())) throw;
    std::string cause = e.getErrorStr();
    int error = sqlite3_system_errno(db.getHandle());
    // SQLite reports a write refused with ENOSPC as SQLITE_FULL and clears the errno (max_page_count, the other
    // cause of SQLITE_FULL, ispd never sets).
    if (error == 0 && (e.getErrorCode() & 0xFF) == SQLITE_FULL) error = ENOSPC;
    if (error != 0) cause += " (" + std::generic_category().message(error) + ")";
    throw StorageFailure(StoragePart::database,
                         db.getFilename().empty() ? std::string("the database") : db.getFilename(), cause);
  }
}

EventKind settling_event(InboundState outcome) {
  switch (outcome) {
    case InboundState::processed: return EventKind::processed;
    case InboundState::attention: return EventKind::attention;
    case InboundState::returned: return EventKind::returned;
    case InboundState::ignored: return EventKind::ignored;
    case InboundState::received: break;
  }
  throw std::logic_error("an inbound message is settled as processed, attention, returned or ignored");
}

}  // namespace

// ---- opening ---------------------------------------------------------------

Store::Store(std::unique_ptr<detail::Connection> connection)
    : Reader(*connection), connection_(std::move(connection)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const std::filesystem::path& path, StoreOptions options) {
  if (!is_domain(options.message_id_domain)) {
    return Error{"cannot be used: message_id_domain \"" + options.message_id_domain + "\" is not a domain name"};
  }
  // SQLite makes a database 0644 whatever the umask, and its -wal and -shm take the database's mode.
  if (auto owned = prepare_owner_only_database(path); !owned)
    return Error{"cannot be opened: " + owned.error().message};
  try {
    auto connection = std::make_unique<detail::Connection>(
        path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOFOLLOW, std::move(options));
    auto& db = connection->db;
    db.setBusyTimeout(static_cast<int>(connection->options.busy_timeout.count()));
    // WAL lets `ispd list` read while the daemon writes. An in-memory database reports "memory".
    const std::string journal = pragma_text(db, "journal_mode = WAL");
    if (journal != "wal" && journal != "memory") {
      return Error{"cannot use write-ahead logging (journal mode is \"" + journal + "\")"};
    }
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a mail
    // is moved to Processed once its commit returns, so a lost commit would be a lost mail.
    // A group commit keeps NORMAL and makes a batch durable at once in sync().
    db.exec(connection->options.group_commit ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    // What is deleted or overwritten is zeroed on disk, so an erasure at the end of retention leaves nothing behind.
    db.exec("PRAGMA secure_delete = ON");
    if (pragma_text(db, "foreign_keys") != "1") return Error{"cannot enforce foreign keys"};
    auto migrated = migrate(db);
    if (!migrated) return migrated.error();
    return Store(std::move(connection));
  } catch (const SQLite::Exception& e) {
    return Error{std::string("cannot be opened: ") + e.what()};
  }
}

// ---- the inbound log -------------------------------------------------------

InboundRecord Store::record_inbound(const RawMail& mail, TimePoint now) {
  if (mail.bytes.size() > static_cast<std::size_t>(INT_MAX)) throw std::length_error("mail too large to store");
  return storage_guarded(connection_->db, [&] { return record_inbound_now(mail, now); });
}

InboundRecord Store::record_inbound_now(const RawMail& mail, TimePoint now) {
  auto& db = connection_->db;
  const std::string sha256 = sha256_hex(mail.bytes);
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(db,
                           "INSERT INTO inbound_messages (message_id, sha256, raw, size, received_at, "
                           "mailbox_uidvalidity, mailbox_uid) VALUES (?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (message_id, sha256) DO NOTHING");
  insert.bind(1, std::string(mail.message_id));
  insert.bind(2, sha256);
  // A null pointer would bind NULL; an empty mail is still a mail.
  insert.bindNoCopy(3, mail.bytes.empty() ? "" : mail.bytes.data(), static_cast<int>(mail.bytes.size()));
  insert.bind(4, static_cast<int64_t>(mail.bytes.size()));
  insert.bind(5, time_text(now));
  detail::bind_int(insert, 6, mail.uidvalidity ? std::optional<std::int64_t>(*mail.uidvalidity) : std::nullopt);
  detail::bind_int(insert, 7, mail.uid ? std::optional<std::int64_t>(*mail.uid) : std::nullopt);
  InboundRecord record;
  if (insert.exec() == 1) {
    record.id = db.getLastInsertRowid();
    SQLite::Statement event(db, "INSERT INTO events (inbound_id, kind, actor, detail, at) VALUES (?, ?, 'ispd', ?, ?)");
    event.bind(1, static_cast<int64_t>(record.id));
    event.bind(2, std::string(to_string(EventKind::received)));
    event.bind(3, nlohmann::json{{"size", mail.bytes.size()}, {"sha256", sha256}}.dump());
    event.bind(4, time_text(now));
    event.exec();
  } else {
    SQLite::Statement known(db, "SELECT id, state FROM inbound_messages WHERE message_id = ? AND sha256 = ?");
    known.bind(1, std::string(mail.message_id));
    known.bind(2, sha256);
    if (!known.executeStep()) throw std::logic_error("a repeated mail vanished from the inbound log");
    record.id = known.getColumn(0).getInt64();
    record.already_known = true;
    record.state = detail::inbound_state_from_text(known.getColumn(1).getString());
  }
  transaction.commit();
  return record;
}

int Store::begin_intake(std::int64_t inbound_id) { return count_intake(inbound_id, "attempts + 1"); }

int Store::undo_intake(std::int64_t inbound_id) { return count_intake(inbound_id, "MAX(attempts - 1, 0)"); }

int Store::reset_intake(std::int64_t inbound_id) { return count_intake(inbound_id, "0"); }

int Store::count_intake(std::int64_t inbound_id, const char* attempts_now) {
  auto& db = connection_->db;
  return storage_guarded(db, [&] {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement bump(
        db, std::string("UPDATE inbound_messages SET attempts = ") + attempts_now + " WHERE id = ? RETURNING attempts");
    bump.bind(1, static_cast<int64_t>(inbound_id));
    if (!bump.executeStep()) throw std::logic_error("no inbound message " + std::to_string(inbound_id));
    const int attempts = bump.getColumn(0).getInt();
    bump.reset();
    transaction.commit();
    return attempts;
  });
}

void Store::sync(TimePoint now) {
  if (!connection_->options.group_commit) return;
  const auto& archive_dir = connection_->options.archive_dir;
  std::error_code ec;
  if (!archive_dir.empty() && std::filesystem::is_directory(archive_dir, ec)) {
    // One syncfs makes every archived file, and the folders naming them, durable.
    const int fd = ::open(archive_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::syncfs(fd) == 0;
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (!synced) {
      throw_if_storage_errno(error, archive_dir.string());
      throw std::runtime_error("cannot sync the archive " + archive_dir.string() + ": " + std::strerror(error));
    }
  }
  storage_guarded(connection_->db, [&] { sync_database(now); });
}

void Store::sync_database(TimePoint now) {
  // A commit under synchronous = FULL syncs the write-ahead log, and with it every commit before it.
  auto& db = connection_->db;
  db.exec("PRAGMA synchronous = FULL");
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement mark(
        db, "INSERT INTO sync_marks (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at");
    mark.bind(1, time_text(now));
    mark.exec();
    transaction.commit();
  } catch (...) {
    db.exec("PRAGMA synchronous = NORMAL");
    throw;
  }
  db.exec("PRAGMA synchronous = NORMAL");
}

// ---- transactions ------------------------------------------------------------

void Store::run(TimePoint now, const std::function<void(Tx&)>& work) {
  storage_guarded(connection_->db, [&] {
    SQLite::Transaction transaction(connection_->db, SQLite::TransactionBehavior::IMMEDIATE);
    Tx tx(*connection_, now, std::nullopt);
    work(tx);
    transaction.commit();
  });
}

void Store::run_intake(std::int64_t inbound_id, TimePoint now, const std::function<void(IntakeTx&)>& work) {
  storage_guarded(connection_->db, [&] { run_intake_now(inbound_id, now, work); });
}

void Store::run_intake_now(std::int64_t inbound_id, TimePoint now, const std::function<void(IntakeTx&)>& work) {
  SQLite::Transaction transaction(connection_->db, SQLite::TransactionBehavior::IMMEDIATE);
  if (!find_inbound(inbound_id)) {
    throw std::logic_error("intake of inbound message " + std::to_string(inbound_id) + ", which was never stored");
  }
  IntakeTx tx(*connection_, now, inbound_id);
  work(tx);
  if (!tx.settled_) {
    throw std::logic_error("intake of inbound message " + std::to_string(inbound_id) +
                           " did not settle it, so nothing it wrote was kept");
  }
  transaction.commit();
}

Tx::Tx(detail::Connection& connection, TimePoint now, std::optional<std::int64_t> inbound_id)
    : Reader(connection), now_(now), inbound_id_(inbound_id), serial_(++connection.transactions) {}

EventId Tx::record_event(EventKind kind, const std::optional<std::string>& reference, std::string_view actor,
                         const nlohmann::json& detail) {
  SQLite::Statement insert(c_->db,
                           "INSERT INTO events (notification_ref, inbound_id, kind, actor, detail, at) "
                           "VALUES (?, ?, ?, ?, ?, ?)");
  detail::bind_text(insert, 1, reference);
  detail::bind_int(insert, 2, inbound_id_);
  insert.bind(3, std::string(to_string(kind)));
  insert.bind(4, std::string(actor));
  insert.bind(5, detail.is_null() ? std::string("{}") : detail.dump());
  insert.bind(6, time_text(now_));
  insert.exec();
  return {c_->db.getLastInsertRowid(), serial_};
}

EventId Tx::append_event(const NewEvent& event) {
  return record_event(event.kind, event.reference, event.actor, event.detail);
}

// ---- notifications -----------------------------------------------------------

Logged Tx::log_notification(const NewNotification& notification) {
  auto& db = c_->db;
  // The reference's year is the year ispd logged it (UTC, which is UK time at New Year): the
  // form's own dates may be missing, mistyped or backdated, and now() only moves forward.
  const int year = static_cast<int>(utc_date(now_).year());
  SQLite::Statement next(db,
                         "INSERT INTO reference_sequences (year, last_number) VALUES (?, 1) "
                         "ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1 RETURNING last_number");
  next.bind(1, year);
  if (!next.executeStep()) throw std::logic_error("the reference sequence returned no number");
  const std::int64_t number = next.getColumn(0).getInt64();
  while (next.executeStep()) {
  }
  const std::string reference = reference_text(year, number);

  SQLite::Statement insert(db,
                           "INSERT INTO notifications (reference, year, number, agency, origin_inbound_id, "
                           "created_at, updated_at, stage, confidentiality, provider_name, provider_name_key, "
                           "company_number, ofsted_urn, review_date, form_json) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, reference);
  insert.bind(2, year);
  insert.bind(3, static_cast<int64_t>(number));
  insert.bind(4, notification.agency);
  detail::bind_int(insert, 5, inbound_id_);
  insert.bind(6, time_text(now_));
  insert.bind(7, time_text(now_));
  bind_form_columns(insert, 8, notification.form);
  insert.exec();

  const EventId event = record_event(EventKind::logged, reference, notification.actor, notification.detail);
  auto stored = find_notification(reference);
  if (!stored) throw std::logic_error("a logged notification vanished");
  return Logged{std::move(*stored), event};
}

EventId Tx::update_notification(std::string_view reference, const NotificationChange& change) {
  auto& db = c_->db;
  if (!find_notification(reference)) {
    throw std::logic_error("update of notification " + std::string(reference) + ", which is not in the log");
  }
  if (change.form) {
    SQLite::Statement update(db,
                             "UPDATE notifications SET stage = ?, confidentiality = ?, provider_name = ?, "
                             "provider_name_key = ?, company_number = ?, ofsted_urn = ?, review_date = ?, "
                             "form_json = ? WHERE reference = ?");
    bind_form_columns(update, 1, *change.form);
    update.bind(9, std::string(reference));
    update.exec();
  }
  if (change.status) {
    SQLite::Statement update(db, "UPDATE notifications SET status = ? WHERE reference = ?");
    update.bind(1, std::string(to_string(*change.status)));
    update.bind(2, std::string(reference));
    update.exec();
  }
  SQLite::Statement touch(db, "UPDATE notifications SET updated_at = ? WHERE reference = ?");
  touch.bind(1, time_text(now_));
  touch.bind(2, std::string(reference));
  touch.exec();
  return record_event(change.kind, std::string(reference), change.actor, change.detail);
}

// ---- the archive ---------------------------------------------------------------

Result<ArchivedFile> Tx::archive_form(const FormFile& file) {
  const auto& archive_dir = c_->options.archive_dir;
  if (archive_dir.empty()) return Error{"no archive folder is configured"};
  const auto notification = find_notification(file.reference);
  if (!notification) {
    throw std::logic_error("archive of a form for " + file.reference + ", which is not in the log");
  }
  // Every stage of one notification goes to the folder of the provider it was logged under.
  const Sync sync = c_->options.group_commit ? Sync::later : Sync::now;
  auto folder = provider_folder(archive_dir, notification->provider_name.value_or(""), sync);
  if (!folder) return folder.error();

  const std::string folder_name = folder->filename().string();
  const std::string base =
      file.reference + "-" + iso_date(utc_date(now_)) + "-" + std::string(ispd::to_string(file.stage));
  SQLite::Statement taken(c_->db, "SELECT 1 FROM attachments WHERE path = ?");
  std::string name;
  std::string relative;  // as the attachments table records it: <folder>/<name>
  for (int n = 1; n <= 1000 && name.empty(); ++n) {
    std::string candidate = base;
    if (n > 1) candidate += "-" + std::to_string(n);
    candidate += ".docx";
    relative = folder_name;
    relative += '/';
    relative += candidate;
    taken.reset();
    taken.bind(1, relative);
    // A file on disk that no row names is left from a rolled-back transaction: ours to replace.
    if (!taken.executeStep()) name = candidate;
  }
  if (name.empty()) return Error{"more than 1000 forms for " + file.reference + " in one day"};

  auto written = write_file_atomically(*folder, name, file.bytes, sync);
  if (!written) return written.error();

  ArchivedFile archived;
  archived.reference = file.reference;
  archived.stage = file.stage;
  archived.file_name = file.file_name;
  archived.path = *written;
  archived.sha256 = sha256_hex(file.bytes);
  archived.size = static_cast<std::int64_t>(file.bytes.size());
  SQLite::Statement insert(c_->db,
                           "INSERT INTO attachments (notification_ref, inbound_id, stage, file_name, path, sha256, "
                           "size, archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, file.reference);
  detail::bind_int(insert, 2, inbound_id_);
  insert.bind(3, std::string(ispd::to_string(file.stage)));
  insert.bind(4, file.file_name);
  insert.bind(5, relative);
  insert.bind(6, archived.sha256);
  insert.bind(7, static_cast<int64_t>(archived.size));
  insert.bind(8, time_text(now_));
  insert.exec();
  archived.id = c_->db.getLastInsertRowid();
  return archived;
}

// ---- settling an inbound message -------------------------------------------------

EventId IntakeTx::settle(InboundState outcome, std::string_view reason, const std::optional<std::string>& reference) {
  const EventKind kind = settling_event(outcome);
  if (settled_) throw std::logic_error("inbound message " + std::to_string(*inbound_id_) + " settled twice");
  // Only a mail not yet settled, or waiting for a person, can be settled: never processed twice.
  SQLite::Statement update(c_->db,
                           "UPDATE inbound_messages SET state = ?, reason = ?, processed_at = ? "
                           "WHERE id = ? AND state IN ('received', 'attention')");
  update.bind(1, std::string(to_string(outcome)));
  update.bind(2, std::string(reason));
  update.bind(3, time_text(now_));
  update.bind(4, static_cast<int64_t>(*inbound_id_));
  if (update.exec() != 1) {
    throw std::logic_error("inbound message " + std::to_string(*inbound_id_) +
                           " was already settled; a mail is never processed twice");
  }
  settled_ = true;
  return record_event(kind, reference, "ispd", nlohmann::json{{"reason", std::string(reason)}});
}

}  // namespace ispd::store
