#pragma once
// NWADCS's scheduled mails and ispd's health alerts, run with the daily jobs:
// the monthly spreadsheet on the first working day (to NWADCS and the partners
// lists), the daily digest (to NWADCS), and an alert to NWADCS, at most once
// every [health] alert_every_hours for each kind, when the mailbox has not been
// usable for a while, no mail has come for some working days, mail is stuck in
// the outbox, or the disk is nearly full. Each is decided, recorded and queued
// in one transaction, and recorded once (store/reports.cpp), so running the
// daily jobs again, or after a restart, sends nothing twice. When is
// daemon/protocol/reports.hpp's and monthly_report.hpp's to decide.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "daemon/jobs/send.hpp"
#include "daemon/protocol/monthly_report.hpp"
#include "daemon/protocol/report_schedule.hpp"
#include "store/storage_failure.hpp"
#include "store/store.hpp"

namespace ispd::reports {

// What the disk holding a folder has; nullopt when it cannot be read.
struct DiskSpace {
  std::uintmax_t available = 0;
  std::uintmax_t capacity = 0;
};
using DiskProbe = std::function<std::optional<DiskSpace>(const std::filesystem::path&)>;

// std::filesystem::space.
DiskProbe real_disk();

struct ReportsReport {
  std::optional<protocol::Month> spreadsheet;  // the month whose sheet was queued
  std::size_t spreadsheet_rows = 0;
  std::optional<protocol::DigestWindow> digest;
  std::vector<std::string> alerts;    // "mailbox", "quiet", "outbox", "disk": the alerts queued
  std::vector<std::string> problems;  // what could not be done now, and is tried again at the next run
};

// The mailbox failing ("mailbox" in the store's failing table), as each poll found it: an error notes it, a good
// poll clears it. The error must hold no secret (libcurl's and the OAuth2 client's never do).
void note_mailbox(store::Store& store, store::TimePoint now, const std::optional<std::string>& error);

// Safe to run as often as wished. `scratch` is where the spreadsheet is written before it is stored with its mail.
ReportsReport run_reports(store::Store& store, const config::Config& config, const Clock& clock, const DiskProbe& disk,
                          const std::filesystem::path& scratch);

// How NWADCS was told that ispd's own storage failed.
enum class StorageAlert {
  queued,         // in the outbox, to go with the run's mail
  sent_directly,  // the database could not take it, so it was sent at once over SMTP
  already_told,   // told already while the failure lasts, within [health] alert_every_hours
  not_sent,       // neither queued nor sent: `error` says why
};
struct StorageAlertResult {
  StorageAlert how = StorageAlert::not_sent;
  std::string error;
};

// Tells NWADCS that ispd cannot write to its own storage, naming the path and the cause: the forms stay in the
// inbox and are processed once it is fixed. Told once when the failure starts, then at most once every [health]
// alert_every_hours while it lasts. When the archive failed, queued in the outbox; when the database failed (or
// cannot take the alert), sent at once through `connect`, recording nothing in it, and the sending marked by
// storage_alert_marker(config) (its time is the time told), so that a later run does not tell again. Where even
// that file cannot be made, `told_directly` (kept by the caller between polls) stands in for it.
StorageAlertResult alert_storage_failure(store::Store& store, const config::Config& config, store::TimePoint now,
                                         const store::StorageFailure& failure, const outbox::Connect& connect,
                                         std::optional<store::TimePoint>& told_directly);

// ispd's storage works again: the failure is forgotten, so the next one is told at once.
void storage_works(store::Store& store, const config::Config& config, store::TimePoint now);

// <database>.storage-alert: NWADCS was told directly that the storage failed, at the file's modification time.
std::filesystem::path storage_alert_marker(const config::Config& config);

// Every address on the lists whose audience is "partners", in the config's order, each once.
std::vector<std::string> partners(const config::Config& config);

}  // namespace ispd::reports
