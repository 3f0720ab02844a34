#pragma once
// What the module's commands share: the config, the clock (ISPD_NOW) and the store,
// opened the same way for each, with what failed already printed.

#include <optional>
#include <string>
#include <variant>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "parsing/form.hpp"
#include "store/store.hpp"

namespace ispd::commands {

// The config, or nothing with its errors printed. Warnings are for the commands that act on it (run).
std::optional<config::Config> load_config(const std::string& path, bool warn = false);

// The system clock, or ISPD_NOW's fixed time; nothing (the error printed) for an ISPD_NOW that is no time.
std::optional<Clock> make_clock();

// The poller commits in groups (jobs/poll.hpp); every other command commits durably each time.
std::optional<store::Store> open_store(const config::Config& config, bool group_commit = false);

// What every store command starts from.
struct Setup {
  config::Config config;
  Clock clock;
  store::Store store;
};

// The set-up, or the exit code of what failed (its message already printed).
std::variant<Setup, int> set_up(const std::string& config_path);

// The day in England of `clock`'s now, as the chasers count days.
Date today(const Clock& clock);

}  // namespace ispd::commands
