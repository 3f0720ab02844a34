// `ispd close`: NWADCS closes a notification (no further concerns).

#include <iostream>
#include <string>
#include <variant>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/commands/setup.hpp"
#include "daemon/jobs/chase.hpp"
#include "util/exit_codes.hpp"

namespace {

using ispd::commands::Setup;

// NWADCS closes a notification; its log mail goes with the next run.
int run_close(const std::string& config_path, const std::string& reference) {
  auto setup = ispd::commands::set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto closed = ispd::chase::close_notification(store, config, clock(), reference);
  if (!closed) {
    std::cerr << "ispd: " << closed.error().message << '\n';
    return ispd::kExitProblems;
  }
  std::cout << reference << " is closed (no further concerns); NWADCS's log mail goes with the next run\n";
  return 0;
}

}  // namespace

// `ispd close --config FILE REF`
ISPD_MODULE_COMMAND ispd_close(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_close(args->config, args->path); });
}
