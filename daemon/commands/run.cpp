// `ispd run`: one cycle with --once, else the daemon until SIGTERM.

#include <iostream>
#include <string>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/commands/setup.hpp"
#include "daemon/config/secrets.hpp"
#include "daemon/jobs/cycle.hpp"
#include "daemon/jobs/logs.hpp"
#include "daemon/jobs/poller_lock.hpp"
#include "daemon/jobs/service.hpp"
#include "store/storage_failure.hpp"
#include "util/exit_codes.hpp"

namespace {

int run(const std::string& config_path, bool once) {
  ispd::logs::to_stderr();
  auto config = ispd::commands::load_config(config_path, true);
  if (!config) return ispd::kExitBadConfig;
  // A password others can read is refused before anything starts, as OpenSSH refuses an unprotected key.
  if (const auto unprotected = ispd::unprotected_secret_files(*config); !unprotected.empty()) {
    for (const auto& problem : unprotected) std::cerr << "ispd: " << problem << '\n';
    return ispd::kExitBadConfig;
  }
  const auto clock = ispd::commands::make_clock();
  if (!clock) return ispd::kExitBadConfig;
  auto lock = ispd::PollerLock::take(config->store.database);
  if (!lock) {
    std::cerr << "ispd: " << lock.error().message << '\n';
    return ispd::kExitLocked;
  }
  auto store = ispd::commands::open_store(*config, true);
  if (!store) return ispd::kExitProblems;
  ispd::jobs::Cycle cycle(*store, *clock, once);
  // Attempts cut short when ispd last stopped go back to pending: every recipient not recorded is tried again.
  try {
    store->transaction((*clock)(), [](ispd::store::Tx& tx) { tx.requeue_interrupted(); });
  } catch (const ispd::store::StorageFailure& failure) {
    // Nothing is sent while the database cannot be written; said, and NWADCS told.
    const int code = cycle.storage_failed(*config, failure);
    if (once) return code;
  }
  if (once) return cycle.once(*config);
  return ispd::service::run(config_path, std::move(*config), cycle);
}

}  // namespace

// `ispd run --config FILE [--once]`
ISPD_MODULE_COMMAND ispd_run(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run(args->config, args->once != 0); });
}
