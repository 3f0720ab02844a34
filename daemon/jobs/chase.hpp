#pragma once
// The daily work on the log: the chasers due today (daemon/protocol/chasers.hpp)
// and the end of retention (daemon/protocol/retention.hpp), each decided and
// recorded in one transaction per notification; and NWADCS closing a
// notification (`ispd close`). Days are UK dates of the injected clock.

#include <string_view>

#include <nlohmann/json.hpp>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace ispd::chase {

struct ChaseReport {
  int chasers = 0;         // chasers queued to issuing officers
  int escalations = 0;     // of them, copied to NWADCS
  int close_requests = 0;  // NWADCS asked to close a notification
  int skipped = 0;         // fell due while ispd was not running; a later one went instead
  int erased = 0;          // notifications whose retention ended
};

// Safe to run as often as wished: what was recorded is never done again.
ChaseReport run_chasers(store::Store& store, const config::Config& config, const Clock& clock);

// Erases the records of every rescinded or closed notification past
// [protocol] retention_months; returns how many. run_chasers calls it.
int run_retention(store::Store& store, const config::Config& config, store::TimePoint now);

// NWADCS closes an open notification (no further concerns): status closed, a
// `closed` event by "nwadcs", and NWADCS's log mail. An Error for a reference
// not in the log or one already rescinded or closed.
Result<Done> close_notification(store::Store& store, const config::Config& config, store::TimePoint now,
                                std::string_view reference);

// The same inside a transaction, for NWADCS's reply to a close request; `how` is added to the closed event's
// detail (which mail said so).
Result<Done> close_in(store::Tx& tx, const config::Config& config, std::string_view reference,
                      const nlohmann::json& how = nlohmann::json::object());

}  // namespace ispd::chase
