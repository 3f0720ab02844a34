#pragma once
// `ispd run`: the daemon's one Boost.Asio loop. Three timers — the poll
// (mailbox.poll_seconds), the outbox (mail waiting for a retry) and the daily
// jobs — hand their work, one piece at a time, to a single worker thread, so
// the store is only ever used from one thread and a piece of work never
// overlaps another. Signals arrive only through signal_set: SIGTERM and SIGINT
// stop taking work and let the worker finish the mail in hand; SIGHUP reads
// the config again and swaps it in only if it is valid.

#include <chrono>
#include <filesystem>
#include <functional>

#include "daemon/config/config.hpp"

namespace ispd::service {

// What the loop runs. Each call gets the config in force when it was started.
class Work {
 public:
  virtual ~Work() = default;
  // Reads the mailbox, then sends what follows; returns early (with what it decided filed) once asked to stop.
  virtual void poll(const config::Config& config, const std::function<bool()>& stop_requested) = 0;
  // Sends the mail that is due (retries, and mail queued by the daily jobs).
  virtual void send(const config::Config& config) = 0;
  // Whatever is due today: chasers and the like. Safe to run more often than daily.
  virtual void daily(const config::Config& config) = 0;
};

struct Intervals {
  std::chrono::seconds outbox{60};
  std::chrono::seconds daily{std::chrono::minutes(15)};
};

// Runs until SIGTERM or SIGINT; 0 after a clean stop. `config_path` is read again on SIGHUP
// (its [store] cannot change without a restart: a new one is refused with a log line).
int run(const std::filesystem::path& config_path, config::Config config, Work& work, Intervals intervals = {});

}  // namespace ispd::service
