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
#include "daemon/protocol/monthly_report.hpp"
#include "daemon/protocol/report_schedule.hpp"
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

// Every address on the lists whose audience is "partners", in the config's order, each once.
std::vector<std::string> partners(const config::Config& config);

}  // namespace ispd::reports
