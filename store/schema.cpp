#include "store/schema.hpp"

#include <array>
#include <string>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace ispd::store {

namespace {

// Version 1: what the intake needs. Mails are kept whole and never change;
// references are allocated from a per-year sequence; events are append-only.
constexpr std::string_view kIntakeSchema = R"sql(
CREATE TABLE inbound_messages (
  id                  INTEGER PRIMARY KEY,
  message_id          TEXT NOT NULL,  -- '' when the mail has none, so that UNIQUE still dedupes it
  sha256              TEXT NOT NULL CHECK (length(sha256) = 64),
  raw                 BLOB NOT NULL,
  size                INTEGER NOT NULL CHECK (size = length(raw)),
  received_at         TEXT NOT NULL,
  mailbox_uidvalidity INTEGER,        -- informational: UIDs are not identity
  mailbox_uid         INTEGER,
  state               TEXT NOT NULL DEFAULT 'received'
                      CHECK (state IN ('received', 'processed', 'attention', 'returned', 'ignored')),
  reason              TEXT NOT NULL DEFAULT '',
  processed_at        TEXT,
  UNIQUE (message_id, sha256)
);
CREATE INDEX inbound_messages_by_state ON inbound_messages (state);
CREATE TRIGGER inbound_messages_keep_the_mail
BEFORE UPDATE OF message_id, sha256, raw, size, received_at ON inbound_messages
BEGIN SELECT RAISE(ABORT, 'a stored mail never changes'); END;
CREATE TRIGGER inbound_messages_are_never_deleted BEFORE DELETE ON inbound_messages
BEGIN SELECT RAISE(ABORT, 'stored mail is never deleted'); END;

CREATE TABLE reference_sequences (
  year        INTEGER PRIMARY KEY,
  last_number INTEGER NOT NULL CHECK (last_number > 0)
);

CREATE TABLE notifications (
  id                INTEGER PRIMARY KEY,
  reference         TEXT NOT NULL UNIQUE,
  year              INTEGER NOT NULL,
  number            INTEGER NOT NULL CHECK (number > 0),
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rescinded', 'closed')),
  stage             TEXT NOT NULL CHECK (stage IN ('issue', 'provider_response', 'rescind')),
  confidentiality   TEXT CHECK (confidentiality IN ('restricted', 'confidential', 'internal')),
  agency            TEXT NOT NULL,
  provider_name     TEXT,
  provider_name_key TEXT NOT NULL DEFAULT '',  -- '' is unknown and matches nothing
  company_number    TEXT NOT NULL DEFAULT '',
  ofsted_urn        TEXT NOT NULL DEFAULT '',
  review_date       TEXT,
  form_json         TEXT NOT NULL CHECK (json_valid(form_json)),
  origin_inbound_id INTEGER REFERENCES inbound_messages (id),
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (year, number),
  CHECK (reference = printf('ISP-%04d-%04d', year, number))
);
CREATE INDEX notifications_by_company_number ON notifications (company_number) WHERE company_number <> '';
CREATE INDEX notifications_by_ofsted_urn ON notifications (ofsted_urn) WHERE ofsted_urn <> '';
CREATE INDEX notifications_by_provider_name ON notifications (provider_name_key) WHERE provider_name_key <> '';
CREATE TRIGGER notifications_keep_their_reference
BEFORE UPDATE OF reference, year, number ON notifications
BEGIN SELECT RAISE(ABORT, 'a reference never changes'); END;
CREATE TRIGGER notifications_are_never_deleted BEFORE DELETE ON notifications
BEGIN SELECT RAISE(ABORT, 'notifications are never deleted; close them'); END;

CREATE TABLE events (
  id               INTEGER PRIMARY KEY,
  notification_ref TEXT REFERENCES notifications (reference),
  inbound_id       INTEGER REFERENCES inbound_messages (id),
  kind             TEXT NOT NULL,
  actor            TEXT NOT NULL DEFAULT '',
  detail           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  at               TEXT NOT NULL
);
CREATE INDEX events_by_notification ON events (notification_ref, id);
CREATE INDEX events_by_inbound ON events (inbound_id);
CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE attachments (
  id               INTEGER PRIMARY KEY,
  notification_ref TEXT NOT NULL REFERENCES notifications (reference),
  inbound_id       INTEGER REFERENCES inbound_messages (id),
  stage            TEXT NOT NULL CHECK (stage IN ('issue', 'provider_response', 'rescind')),
  file_name        TEXT NOT NULL,
  path             TEXT NOT NULL UNIQUE,  -- relative to the archive folder
  sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
  size             INTEGER NOT NULL,
  archived_at      TEXT NOT NULL
);
CREATE INDEX attachments_by_notification ON attachments (notification_ref);
)sql";

// Version 2: the outbox. A mail row never changes once written (only its
// sending state does), names the event that decided it, and is final once sent.
constexpr std::string_view kOutboxSchema = R"sql(
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  message_id       TEXT NOT NULL UNIQUE,
  event_id         INTEGER NOT NULL REFERENCES events (id),
  kind             TEXT NOT NULL,
  notification_ref TEXT REFERENCES notifications (reference),
  subject          TEXT NOT NULL,
  in_reply_to      TEXT,
  template_data    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(template_data)),
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_attempt_at  TEXT,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_notification ON outbox (notification_ref);
CREATE TRIGGER outbox_mail_never_changes
BEFORE UPDATE OF message_id, event_id, kind, notification_ref, subject, in_reply_to, template_data, created_at
ON outbox BEGIN SELECT RAISE(ABORT, 'a queued mail never changes; queue another'); END;
CREATE TRIGGER outbox_sent_is_final BEFORE UPDATE OF state ON outbox WHEN OLD.state = 'sent'
BEGIN SELECT RAISE(ABORT, 'a sent mail is never sent again'); END;
CREATE TRIGGER outbox_is_never_deleted BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'queued mail is never deleted'); END;

CREATE TABLE outbox_attachments (
  outbox_id     INTEGER NOT NULL REFERENCES outbox (id),
  attachment_id INTEGER NOT NULL REFERENCES attachments (id),
  position      INTEGER NOT NULL,
  PRIMARY KEY (outbox_id, attachment_id)
) WITHOUT ROWID;

-- One row per recipient: which recipient got which mail when, with the SMTP reply.
CREATE TABLE deliveries (
  outbox_id  INTEGER NOT NULL REFERENCES outbox (id),
  recipient  TEXT NOT NULL COLLATE NOCASE,
  position   INTEGER NOT NULL,
  state      TEXT NOT NULL DEFAULT 'pending'
             CHECK (state IN ('pending', 'accepted', 'deferred', 'rejected', 'bounced')),
  smtp_reply TEXT,
  at         TEXT,
  PRIMARY KEY (outbox_id, recipient)
) WITHOUT ROWID;
)sql";

// Version 3: how often intake has started on a mail, so a mail that makes ispd
// fail every time goes to a person instead of stalling the mailbox; and the
// row a group commit's sync writes.
constexpr std::string_view kAttemptsSchema = R"sql(
ALTER TABLE inbound_messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
-- One row, rewritten by Store::sync: a commit that makes every earlier one durable.
CREATE TABLE sync_marks (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
)sql";

// Version 4: chasers, each recorded once for its (notification, review date,
// which) with the event that decided it; and erasure at the end of retention,
// the one change a stored mail or a sent mail may undergo.
constexpr std::string_view kChasersSchema = R"sql(
CREATE TABLE chasers (
  id               INTEGER PRIMARY KEY,
  notification_ref TEXT NOT NULL REFERENCES notifications (reference),
  review_date      TEXT NOT NULL,
  which            TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('queued', 'skipped')),
  event_id         INTEGER NOT NULL REFERENCES events (id),
  at               TEXT NOT NULL,
  UNIQUE (notification_ref, review_date, which)
);
CREATE TRIGGER chasers_never_change BEFORE UPDATE ON chasers
BEGIN SELECT RAISE(ABORT, 'a chaser is recorded once'); END;
CREATE TRIGGER chasers_are_never_deleted BEFORE DELETE ON chasers
BEGIN SELECT RAISE(ABORT, 'a chaser is recorded once'); END;

ALTER TABLE notifications ADD COLUMN erased_at TEXT;
ALTER TABLE attachments ADD COLUMN erased_at TEXT;
ALTER TABLE inbound_messages ADD COLUMN erased_at TEXT;

-- A stored mail never changes, except that its bytes are cleared when its retention ends.
DROP TRIGGER inbound_messages_keep_the_mail;
CREATE TRIGGER inbound_messages_keep_the_mail
BEFORE UPDATE OF message_id, sha256, raw, size, received_at ON inbound_messages
WHEN NOT (NEW.message_id IS OLD.message_id AND NEW.sha256 IS OLD.sha256 AND NEW.received_at IS OLD.received_at
          AND length(NEW.raw) = 0 AND NEW.size = 0 AND NEW.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'a stored mail never changes'); END;

-- A queued mail never changes, except that the free text of a finished one
-- about an erased notification is cleared.
DROP TRIGGER outbox_mail_never_changes;
CREATE TRIGGER outbox_mail_never_changes
BEFORE UPDATE OF message_id, event_id, kind, notification_ref, subject, in_reply_to, template_data, created_at
ON outbox
WHEN NOT (NEW.message_id IS OLD.message_id AND NEW.event_id IS OLD.event_id AND NEW.kind IS OLD.kind
          AND NEW.notification_ref IS OLD.notification_ref AND NEW.subject IS OLD.subject
          AND NEW.in_reply_to IS OLD.in_reply_to AND NEW.created_at IS OLD.created_at
          AND OLD.state IN ('sent', 'failed')
          AND EXISTS (SELECT 1 FROM notifications n WHERE n.reference = OLD.notification_ref
                      AND n.erased_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'a queued mail never changes; queue another'); END;
)sql";

// Version 5: the scheduled mails and health alerts, each recorded once for its
// kind and period; the files ispd makes itself (the monthly spreadsheet), kept
// with the mail that carries them; and what is failing now, for the alerts.
constexpr std::string_view kReportsSchema = R"sql(
CREATE TABLE reports (
  id       INTEGER PRIMARY KEY,
  kind     TEXT NOT NULL,  -- spreadsheet | digest | alert:<what>
  period   TEXT NOT NULL,  -- 2026-11 | 2026-12-03 | the time an alert went
  event_id INTEGER NOT NULL REFERENCES events (id),
  at       TEXT NOT NULL,
  UNIQUE (kind, period)
);
CREATE INDEX reports_by_kind ON reports (kind, at);
CREATE TRIGGER reports_never_change BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'a report is recorded once'); END;
CREATE TRIGGER reports_are_never_deleted BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'a report is recorded once'); END;

CREATE TABLE outbox_files (
  outbox_id    INTEGER NOT NULL REFERENCES outbox (id),
  position     INTEGER NOT NULL,
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes        BLOB NOT NULL,
  PRIMARY KEY (outbox_id, position)
) WITHOUT ROWID;
CREATE TRIGGER outbox_files_never_change BEFORE UPDATE ON outbox_files
BEGIN SELECT RAISE(ABORT, 'a queued mail never changes; queue another'); END;
CREATE TRIGGER outbox_files_are_never_deleted BEFORE DELETE ON outbox_files
BEGIN SELECT RAISE(ABORT, 'queued mail is never deleted'); END;

-- One row while something is failing; gone once it works again.
CREATE TABLE failing (
  what   TEXT PRIMARY KEY,
  since  TEXT NOT NULL,
  last   TEXT NOT NULL,
  error  TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::array<Migration, 5> kMigrations = {{
    {1, "inbound messages, notifications, events, attachments", kIntakeSchema},
    {2, "outbox and deliveries", kOutboxSchema},
    {3, "intake attempts per inbound message, sync marks", kAttemptsSchema},
    {4, "chasers, erasure at the end of retention", kChasersSchema},
    {5, "scheduled reports and alerts, files ispd makes, what is failing", kReportsSchema},
}};

int read_int_pragma(SQLite::Database& db, const char* pragma) {
  SQLite::Statement query(db, std::string("PRAGMA ") + pragma);
  query.executeStep();
  return query.getColumn(0).getInt();
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations.back().version; }

Result<int> migrate(SQLite::Database& db, std::span<const Migration> steps) {
  const int latest = steps.empty() ? 0 : steps.back().version;
  for (const auto& step : steps) {
    // Read the version inside the write transaction, so two processes opening at once migrate once.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const int version = read_int_pragma(db, "user_version");
    const int application = read_int_pragma(db, "application_id");
    if (version == 0 && application != kApplicationId) {
      SQLite::Statement tables(db, "SELECT count(*) FROM sqlite_schema");
      tables.executeStep();
      if (tables.getColumn(0).getInt() > 0 || application != 0) {
        return Error{"is not an ispd database (it holds other tables)"};
      }
    }
    if (version > latest) {
      return Error{"has schema version " + std::to_string(version) + ", newer than this ispd knows (" +
                   std::to_string(latest) + "); use a newer ispd"};
    }
    if (version >= step.version) continue;
    if (version != step.version - 1) {
      return Error{"has schema version " + std::to_string(version) + " but the next migration is " +
                   std::to_string(step.version)};
    }
    db.exec(std::string(step.sql));
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    transaction.commit();
  }
  SQLite::Statement version(db, "PRAGMA user_version");
  version.executeStep();
  const int reached = version.getColumn(0).getInt();
  if (reached > latest) {
    return Error{"has schema version " + std::to_string(reached) + ", newer than this ispd knows (" +
                 std::to_string(latest) + "); use a newer ispd"};
  }
  return reached;
}

}  // namespace ispd::store
