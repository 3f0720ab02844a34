#pragma once
// ispd's SQLite store: the inbound log, notifications and their events, the
// outbox and the archive. Every write that follows from a decision happens in
// one transaction (Store::transaction, Store::intake), and a mail can only be
// queued against an event recorded in that same transaction, so no mail is
// ever queued without the decision that caused it, nor a decision recorded
// without its mail.
//
// Time is always passed in. Database failures throw SQLite::Exception (the
// loop's per-mail catch rolls back and leaves the mail to be tried again);
// misuse of the API throws std::logic_error.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "parsing/form.hpp"
#include "store/records.hpp"
#include "util/result.hpp"

namespace ispd::store {

struct StoreOptions {
  std::filesystem::path archive_dir;  // where forms are filed; empty refuses archive_form
  std::string message_id_domain = "ispd.local";
  std::chrono::milliseconds busy_timeout{5000};
  // Retry after base · 2^(attempts-1), at most cap, until max_attempts: about three days.
  std::chrono::seconds retry_base{60};
  std::chrono::seconds retry_cap{std::chrono::hours(6)};
  int max_attempts = 20;
  // Group commit: commits and archived files reach the disk only at sync(),
  // once for a whole batch, instead of at every commit. Whoever sets it must
  // call sync() before acting on what was committed (the poller moves a
  // batch's mails out of the inbox only after it).
  bool group_commit = false;
};

namespace detail {
struct Connection;
}

// A recorded event, good only in the transaction that recorded it; a mail is
// queued against one.
class EventId {
 public:
  [[nodiscard]] std::int64_t value() const { return value_; }

 private:
  friend class Tx;
  EventId(std::int64_t value, std::uint64_t tx) : value_(value), tx_(tx) {}
  std::int64_t value_;
  std::uint64_t tx_;
};

// The queries, on the store or inside a transaction (where they see its writes).
class Reader {
 public:
  [[nodiscard]] int schema_version() const;

  // A fresh Message-ID for a mail ispd sends, as the outbox stores it: "<random@message_id_domain>".
  [[nodiscard]] std::string new_message_id() const;

  [[nodiscard]] std::optional<Notification> find_notification(std::string_view reference) const;
  // Open notifications from `agency` about the same provider: same company
  // number, Ofsted URN or normalised name, any one of them.
  [[nodiscard]] std::vector<Notification> find_open_for_provider(std::string_view agency,
                                                                 const ProviderKeys& provider) const;
  // Open notifications about the same provider from other agencies: possible duplicates.
  [[nodiscard]] std::vector<Notification> find_open_elsewhere(std::string_view agency,
                                                              const ProviderKeys& provider) const;
  // By reference, oldest first; the filter is on what is listed, so `open` leaves out the overdue.
  [[nodiscard]] std::vector<Notification> list_notifications(std::optional<ListedStatus> filter, Date today) const;
  [[nodiscard]] std::optional<History> show(std::string_view reference) const;

  [[nodiscard]] std::optional<InboundMessage> find_inbound(std::int64_t id) const;
  [[nodiscard]] std::vector<InboundMessage> find_inbound_by_message_id(std::string_view message_id) const;
  [[nodiscard]] std::optional<std::string> inbound_raw(std::int64_t id) const;
  [[nodiscard]] std::vector<InboundMessage> inbound_in_state(InboundState state) const;

  // Pending mail whose next attempt is due at `now`, oldest first.
  [[nodiscard]] std::vector<OutboxRow> due_mail(TimePoint now, std::size_t limit) const;
  [[nodiscard]] std::optional<OutboxRow> find_outbox(std::int64_t id) const;
  // For delivery status reports and replies, which name the Message-ID they concern: with or without its
  // angle brackets (message_id::wire gives the stored form).
  [[nodiscard]] std::optional<OutboxRow> find_outbox_by_message_id(std::string_view message_id) const;

  // A notification's events, oldest first (show() without its mails).
  [[nodiscard]] std::vector<Event> events_of(std::string_view reference) const;
  // Every chaser recorded for a notification, for any review date, in the order recorded.
  [[nodiscard]] std::vector<RecordedChaser> chasers_of(std::string_view reference) const;
  // Rescinded and closed notifications whose records have not been erased, by reference.
  [[nodiscard]] std::vector<EndedNotification> ended_not_erased() const;

  // The scheduled mails and alerts (store/reports.cpp).
  // The latest report of `kind` recorded, by the time it was recorded.
  [[nodiscard]] std::optional<RecordedReport> last_report(std::string_view kind) const;
  // What happened in [from, to): the digest's counts.
  [[nodiscard]] Activity activity(TimePoint from, TimePoint to) const;
  // The events of `kind` in [from, to), oldest first, at most `limit`.
  [[nodiscard]] std::vector<Event> events_between(EventKind kind, TimePoint from, TimePoint to,
                                                  std::size_t limit) const;
  // When the last mail was stored; nullopt when none ever was.
  [[nodiscard]] std::optional<TimePoint> last_received() const;
  // Mail still not sent though it was queued before `queued_before` and has been tried, and mail given up on
  // since `failed_since`; oldest first, at most `limit`.
  [[nodiscard]] std::vector<OutboxRow> stuck_mail(TimePoint queued_before, TimePoint failed_since,
                                                  std::size_t limit) const;
  [[nodiscard]] std::optional<Failing> failing(std::string_view what) const;

 protected:
  explicit Reader(detail::Connection& connection) : c_(&connection) {}
  detail::Connection* c_;
};

struct NewNotification {
  Form form;
  std::string agency;  // the issuing authority's configured name
  std::string actor;   // who sent it
  nlohmann::json detail = nlohmann::json::object();
};

struct NotificationChange {
  EventKind kind = EventKind::updated;
  std::optional<Form> form;  // the new current form: stage, review date and provider follow it
  std::optional<NotificationStatus> status;
  std::string actor;
  nlohmann::json detail = nlohmann::json::object();
};

struct NewEvent {
  EventKind kind = EventKind::attention;
  std::optional<std::string> reference;
  std::string actor;
  nlohmann::json detail = nlohmann::json::object();
};

struct NewChaser {
  std::string reference;
  Date review_date;
  std::string which;
  ChaserState state = ChaserState::queued;
};

struct FormFile {
  std::string reference;
  Stage stage = Stage::issue;
  std::string file_name;  // as the sender named it
  std::string_view bytes;
};

// A temporary failure (4xx, no connection) is retried with backoff; a permanent one (5xx for the whole mail) is not.
enum class Failure { temporary, permanent };

struct Logged {
  Notification notification;
  EventId event;
};

// One write transaction (BEGIN IMMEDIATE). Every change to a notification
// appends its event; every queued mail names its event.
class Tx : public Reader {
 public:
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  [[nodiscard]] TimePoint now() const { return now_; }

  // A new notification with the next reference of now()'s year, and its `logged` event.
  Logged log_notification(const NewNotification& notification);
  // Changes a notification and appends the change's event. Throws std::logic_error for an unknown reference.
  EventId update_notification(std::string_view reference, const NotificationChange& change);
  EventId append_event(const NewEvent& event);
  // Throws std::logic_error if `cause` was not recorded in this transaction or the mail has no recipient.
  std::int64_t queue_mail(const EventId& cause, const OutboxMail& mail);
  // Files the form under archive_dir (written atomically) and records it.
  Result<ArchivedFile> archive_form(const FormFile& file);

  // Records a chaser against its event. A chaser is recorded once: the same
  // (reference, review date, which) again throws SQLite::Exception (UNIQUE).
  void record_chaser(const EventId& cause, const NewChaser& chaser);
  // The end of a notification's retention: every archived form of it is
  // overwritten and unlinked, its current form replaced by `kept` (the form
  // without its free text), the free text of the mails sent about it cleared,
  // and the raw bytes of each inbound mail that carried it cleared once every
  // notification that mail concerns is erased; then its `erased` event. The
  // connection deletes securely (PRAGMA secure_delete). Throws std::logic_error
  // for an unknown reference, and std::runtime_error if a file cannot be erased.
  Erasure erase_notification(std::string_view reference, const Form& kept);

  // Records a scheduled mail or alert against its event. Once: the same
  // (kind, period) again throws SQLite::Exception (UNIQUE).
  void record_report(const EventId& cause, std::string_view kind, std::string_view period);
  // `what` failed now with `error`; returns since when it has been failing.
  TimePoint note_failing(std::string_view what, std::string_view error);
  // `what` works again.
  void note_working(std::string_view what);

  // The sender's side of the outbox.
  bool begin_attempt(std::int64_t outbox_id);  // false unless pending
  void record_delivery(std::int64_t outbox_id, std::string_view recipient, DeliveryState state,
                       std::string_view smtp_reply);
  void mark_sent(std::int64_t outbox_id);
  RetryDecision mark_failed(std::int64_t outbox_id, std::string_view error, Failure failure = Failure::temporary);
  // Attempts cut short by a crash go back to pending; call once at start, under the poller lock.
  int requeue_interrupted();

 protected:
  friend class Store;
  Tx(detail::Connection& connection, TimePoint now, std::optional<std::int64_t> inbound_id);
  [[nodiscard]] EventId record_event(EventKind kind, const std::optional<std::string>& reference,
                                     std::string_view actor, const nlohmann::json& detail);
  TimePoint now_;
  std::optional<std::int64_t> inbound_id_;  // every event of an intake names its mail
  std::uint64_t serial_;
};

// The intake's transaction for one inbound message: it must settle the
// message, or nothing it wrote is kept.
class IntakeTx : public Tx {
 public:
  [[nodiscard]] std::int64_t inbound_id() const { return *inbound_id_; }
  // Records the mail's outcome and its event. Throws std::logic_error if the
  // mail was already settled (unless it was an attention item), so a mail is
  // never processed twice.
  EventId settle(InboundState outcome, std::string_view reason,
                 const std::optional<std::string>& reference = std::nullopt);

 private:
  friend class Store;
  using Tx::Tx;
  bool settled_ = false;
};

class Store : public Reader {
 public:
  // ":memory:" for tests. Creates or upgrades the schema; refuses a database
  // newer than this code or one that is not ispd's. The error's message
  // follows the database's path: "/var/lib/ispd/ispd.sqlite has schema version 3, newer …".
  static Result<Store> open(const std::filesystem::path& path, StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // Stores the raw mail, and its `received` event, before anything else is done with it; a repeat (same Message-ID and
  // content) is recognised, not stored again.
  InboundRecord record_inbound(const RawMail& mail, TimePoint now);

  // Counts, in its own committed transaction, one more intake started on a
  // stored mail and returns the count: a mail whose intake keeps failing (or
  // crashing ispd) is recognised by it and handed to a person.
  int begin_intake(std::int64_t inbound_id);
  // Takes back the count of an intake that stopped for a StorageFailure: the
  // fault was ispd's, not the mail's. Returns the count.
  int undo_intake(std::int64_t inbound_id);
  // The count back to nought, for a person asking for a fresh try (ispd reprocess).
  int reset_intake(std::int64_t inbound_id);

  // Makes every commit and archived file so far durable (group_commit); with
  // every commit already durable, a cheap no-op. Throws on failure.
  //
  // Every write here and in a transaction throws StorageFailure
  // (storage_failure.hpp) when the database's or the archive's storage fails.
  void sync(TimePoint now);

  // Copies the write-ahead log into the database and truncates it, so that no
  // copy of what an erasure overwrote is left in the log. Best effort: a
  // reader holding an old snapshot leaves it for the next checkpoint.
  void checkpoint();

  // Runs `work` in one transaction: committed if it returns, rolled back if it throws.
  template <class Work>
  auto transaction(TimePoint now, Work&& work) -> std::invoke_result_t<Work&, Tx&> {
    using R = std::invoke_result_t<Work&, Tx&>;
    if constexpr (std::is_void_v<R>) {
      run(now, [&](Tx& tx) { work(tx); });
    } else {
      std::optional<R> result;
      run(now, [&](Tx& tx) { result.emplace(work(tx)); });
      return std::move(*result);
    }
  }

  // The intake's one transaction for a stored mail: `work` must settle it.
  template <class Work>
  auto intake(std::int64_t inbound_id, TimePoint now, Work&& work) -> std::invoke_result_t<Work&, IntakeTx&> {
    using R = std::invoke_result_t<Work&, IntakeTx&>;
    if constexpr (std::is_void_v<R>) {
      run_intake(inbound_id, now, [&](IntakeTx& tx) { work(tx); });
    } else {
      std::optional<R> result;
      run_intake(inbound_id, now, [&](IntakeTx& tx) { result.emplace(work(tx)); });
      return std::move(*result);
    }
  }

 private:
  explicit Store(std::unique_ptr<detail::Connection> connection);
  InboundRecord record_inbound_now(const RawMail& mail, TimePoint now);
  int count_intake(std::int64_t inbound_id, const char* attempts_now);
  void sync_database(TimePoint now);
  void run(TimePoint now, const std::function<void(Tx&)>& work);
  void run_intake(std::int64_t inbound_id, TimePoint now, const std::function<void(IntakeTx&)>& work);
  void run_intake_now(std::int64_t inbound_id, TimePoint now, const std::function<void(IntakeTx&)>& work);
  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace ispd::store
