#pragma once
// What the store keeps, as values: the inbound log, notifications, their
// events, the outbox and the archived forms. The tables are in schema.cpp.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "parsing/form.hpp"

namespace ispd::store {

using TimePoint = std::chrono::system_clock::time_point;

// received → processed | attention | returned | ignored; an attention item
// may be settled again once someone has fixed its cause (`ispd reprocess`).
enum class InboundState { received, processed, attention, returned, ignored };

// What is stored. Overdue is not stored: it is an open notification whose
// review date has passed, so it changes with the date, not with an event.
enum class NotificationStatus { open, rescinded, closed };
// What `ispd list` shows and filters by.
enum class ListedStatus { open, overdue, rescinded, closed };

enum class EventKind {
  received,             // a mail was stored
  processed,            // a mail's forms were logged or matched
  returned,             // a mail went back to its sender with its problems
  attention,            // a mail needs a person
  ignored,              // automatic mail, never answered
  logged,               // a new notification and its reference
  updated,              // a later form replaced the current one
  provider_response,    // the provider's response was added
  extended,             // a new review date
  rescinded,            // the issuing agency rescinded it
  closed,               // NWADCS closed it
  duplicate_suspected,  // another agency has the same provider open
  chaser,               // the issuing officer was chased
  mail_failed,          // a queued mail could not be delivered
  bounced,              // a delivery status report said a recipient did not get a mail
  erased,               // its retention ended: its forms' files and free text were securely deleted
  report,               // a scheduled mail to NWADCS was queued: the daily digest or the monthly spreadsheet
  alert,                // NWADCS was alerted to ispd's own health: the mailbox, the outbox, the disk
};

enum class OutboxKind { acknowledgement, returned, circulation, attention, log, chaser, digest, spreadsheet, alert };
// pending → sending → sent; sending → pending (retry) | failed (gave up).
enum class OutboxState { pending, sending, sent, failed };
enum class DeliveryState { pending, accepted, deferred, rejected, bounced };

std::string_view to_string(InboundState state);
std::string_view to_string(NotificationStatus status);
std::string_view to_string(ListedStatus status);
std::string_view to_string(EventKind kind);
std::string_view to_string(OutboxKind kind);
std::string_view to_string(OutboxState state);
std::string_view to_string(DeliveryState state);
std::optional<ListedStatus> listed_status_from_string(std::string_view text);

// A mail as fetched, before anything else is done with it.
struct RawMail {
  std::string_view bytes;
  std::string_view message_id;  // empty when the mail has none
  // Informational only: Microsoft 365 changes UIDs, so they never identify a mail.
  std::optional<std::uint32_t> uidvalidity;
  std::optional<std::uint32_t> uid;
};

struct InboundRecord {
  std::int64_t id = 0;
  bool already_known = false;  // the same Message-ID and content were stored before
  InboundState state = InboundState::received;
};

struct InboundMessage {
  std::int64_t id = 0;
  std::string message_id;
  std::string sha256;
  std::int64_t size = 0;
  TimePoint received_at;
  std::optional<std::uint32_t> uidvalidity;
  std::optional<std::uint32_t> uid;
  InboundState state = InboundState::received;
  std::string reason;
  std::optional<TimePoint> processed_at;
  int attempts = 0;  // intakes started on it (Store::begin_intake)
};

// The provider as matching sees it; an empty key is unknown and matches nothing.
struct ProviderKeys {
  std::string name;            // normalise_provider_name()
  std::string company_number;  // normalise_company_number()
  std::string ofsted_urn;      // normalise_ofsted_urn()
  bool operator==(const ProviderKeys&) const = default;
};

struct Notification {
  std::int64_t id = 0;
  std::string reference;  // ISP-YYYY-NNNN
  NotificationStatus status = NotificationStatus::open;
  Stage stage = Stage::issue;
  std::optional<Confidentiality> confidentiality;
  std::string agency;  // the issuing authority's configured name
  std::optional<std::string> provider_name;
  ProviderKeys provider;
  std::optional<Date> review_date;
  Form form;  // the current form
  std::optional<std::int64_t> origin_inbound_id;
  TimePoint created_at;
  TimePoint updated_at;
};

// Open with a review date before `today` reads as overdue.
ListedStatus listed_status(const Notification& notification, Date today);

struct Event {
  std::int64_t id = 0;
  EventKind kind = EventKind::received;
  std::optional<std::string> reference;
  std::optional<std::int64_t> inbound_id;
  std::string actor;  // who: an officer's address, "nwadcs" or "ispd"
  nlohmann::json detail;
  TimePoint at;
};

struct ArchivedFile {
  std::int64_t id = 0;
  std::string reference;
  Stage stage = Stage::issue;
  std::string file_name;       // as the sender named it
  std::filesystem::path path;  // archive_dir/<provider folder>/<ref>-<yyyy-mm-dd>-<stage>.docx
  std::string sha256;
  std::int64_t size = 0;
};

struct Delivery {
  std::string recipient;
  DeliveryState state = DeliveryState::pending;
  std::optional<std::string> smtp_reply;
  std::optional<TimePoint> at;
};

// A file ispd made itself (the monthly spreadsheet), kept with the mail that carries it, so a retry sends the
// same bytes.
struct MadeFile {
  std::string file_name;
  std::string content_type;
  std::string bytes;
  bool operator==(const MadeFile&) const = default;
};

struct OutboxMail {
  OutboxKind kind = OutboxKind::log;
  std::optional<std::string> reference;
  std::vector<std::string> recipients;  // deduplicated, ignoring ASCII case
  std::string subject;
  std::optional<std::string> in_reply_to;
  nlohmann::json template_data = nlohmann::json::object();
  std::vector<std::int64_t> attachments;  // ArchivedFile ids
  std::vector<MadeFile> files;            // attached after the archived forms
};

struct OutboxRow {
  std::int64_t id = 0;
  std::string message_id;     // <hex@domain>, the stored wire form (message_id::wire), fixed when written
  std::int64_t event_id = 0;  // the decision that caused this mail
  OutboxKind kind = OutboxKind::log;
  std::optional<std::string> reference;
  std::vector<Delivery> deliveries;  // one per recipient, in the queued order
  std::string subject;
  std::optional<std::string> in_reply_to;
  nlohmann::json template_data;
  std::vector<ArchivedFile> attachments;
  std::vector<MadeFile> files;
  OutboxState state = OutboxState::pending;
  int attempts = 0;
  TimePoint next_attempt_at;
  std::optional<std::string> last_error;
  TimePoint created_at;
  std::optional<TimePoint> sent_at;

  // Recipients still to be sent to: neither accepted, rejected nor bounced.
  std::vector<std::string> undelivered() const;
};

// What a failed attempt led to.
struct RetryDecision {
  bool gave_up = false;
  std::optional<TimePoint> next_attempt_at;  // when not given up
};

// A chaser of one review date's schedule, recorded once: queued (its mail is
// in the outbox) or skipped (fell due while ispd was not running, and a later
// one went in its place). `which` is the protocol's name for it
// (daemon/protocol/chasers.hpp): "before", "on", "overdue-3", "close-request".
enum class ChaserState { queued, skipped };
std::string_view to_string(ChaserState state);

struct RecordedChaser {
  std::string reference;
  Date review_date;
  std::string which;
  ChaserState state = ChaserState::queued;
  std::int64_t event_id = 0;  // the chaser event that recorded it
  TimePoint at;
};

// A rescinded or closed notification not yet erased, and when it ended.
struct EndedNotification {
  std::string reference;
  NotificationStatus status = NotificationStatus::closed;
  TimePoint ended_at;  // its last rescinded or closed event
};

// What erasing a notification's records removed.
struct Erasure {
  int files = 0;         // archived forms overwritten and unlinked
  int mails = 0;         // inbound mails whose raw bytes were cleared
  int outbox_mails = 0;  // sent mails whose free text was cleared
};

// A scheduled mail or health alert, recorded once for its kind and period:
// ("spreadsheet", "2026-11"), ("digest", "2026-12-03"), ("alert:disk", the time it went).
struct RecordedReport {
  std::string kind;
  std::string period;
  std::int64_t event_id = 0;
  TimePoint at;
};

// What happened between two moments, as the daily digest counts it.
struct Activity {
  int received = 0;  // mails stored
  int logged = 0;    // new notifications
  int updated = 0;   // updates, provider responses and extensions
  int rescinded = 0;
  int closed = 0;
  int returned = 0;    // mails returned to their senders
  int attention = 0;   // mails handed to a person
  int ignored = 0;     // automatic mail, bounces
  int circulated = 0;  // notices circulated to partners
  int failures = 0;    // recipients refused, bounced or given up on
};

// Something ispd depends on that is failing (the mailbox sign-in), since when, and the last error.
struct Failing {
  std::string what;
  TimePoint since;
  TimePoint last;
  std::string error;
};

struct History {
  Notification notification;
  std::vector<Event> events;  // oldest first
  std::vector<OutboxRow> mails;
};

}  // namespace ispd::store
