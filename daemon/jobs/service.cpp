#include "daemon/jobs/service.hpp"
#include "daemon/jobs/logs.hpp"

#include <atomic>
#include <csignal>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

namespace ispd::service {

namespace {

using Config = std::shared_ptr<const config::Config>;

const char* signal_name(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

// One timer whose work runs on the worker; it is armed again only once that work is done, so a slow
// piece of work never queues up behind itself.
class Repeating {
 public:
  using Job = std::function<void(const config::Config&)>;

  Repeating(const char* name, boost::asio::io_context& io, boost::asio::thread_pool& worker,
            const std::atomic<bool>& stopping, Job job)
      : name_(name), io_(io), worker_(worker), stopping_(stopping), timer_(io), job_(std::move(job)) {}

  // Runs the work now with `config`, then every `interval`.
  void start(Config config, std::chrono::seconds interval) {
    interval_ = interval;
    fire(std::move(config));
  }

  // The next run uses this config and interval; a run in progress finishes with the old one.
  void reconfigure(Config config, std::chrono::seconds interval) {
    config_ = std::move(config);
    interval_ = interval;
    if (!running_) arm();
  }

  void cancel() { timer_.cancel(); }

 private:
  void arm() {
    if (stopping_) return;
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& error) {
      if (!error) fire(config_);
    });
  }

  void fire(Config config) {
    if (stopping_) return;
    config_ = config;
    running_ = true;
    boost::asio::post(worker_, [this, config = std::move(config)] {
      try {
        job_(*config);
      } catch (const std::exception& e) {
        // A failure of one run is logged, and the next run tries again.
        logs::daemon()->error("{} failed error={}", name_, e.what());
      }
      boost::asio::post(io_, [this] {
        running_ = false;
        arm();
      });
    });
  }

  const char* name_;
  boost::asio::io_context& io_;
  boost::asio::thread_pool& worker_;
  const std::atomic<bool>& stopping_;
  boost::asio::steady_timer timer_;
  Job job_;
  Config config_;
  std::chrono::seconds interval_{60};
  bool running_ = false;
};

// Whether a reloaded config may be swapped in while ispd runs, and why not.
std::string why_not_swappable(const config::Config& old_config, const config::Config& new_config) {
  if (old_config.store.database != new_config.store.database ||
      old_config.store.archive_dir != new_config.store.archive_dir) {
    return "[store] changed, which needs a restart";
  }
  return {};
}

}  // namespace

int run(const std::filesystem::path& config_path, config::Config initial, Work& work, Intervals intervals) {
  const auto log = logs::daemon();
  // A peer closing a connection must be an error on that connection, not the end of ispd.
  (void)std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  boost::asio::thread_pool worker(1);
  std::atomic<bool> stopping{false};
  Config config = std::make_shared<const config::Config>(std::move(initial));

  Repeating poll("poll", io, worker, stopping,
                 [&](const config::Config& c) { work.poll(c, [&] { return stopping.load(); }); });
  Repeating outbox("outbox", io, worker, stopping, [&](const config::Config& c) { work.send(c); });
  Repeating daily("daily jobs", io, worker, stopping, [&](const config::Config& c) { work.daily(c); });
  const auto poll_interval = [](const config::Config& c) { return std::chrono::seconds(c.mailbox.poll_seconds); };

  boost::asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  boost::asio::signal_set reload_signal(io, SIGHUP);
  stop_signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    log->info("stopping signal={}: finishing the mail in hand", signal_name(signal));
    stopping = true;
    poll.cancel();
    outbox.cancel();
    daily.cancel();
    reload_signal.cancel();
    guard.reset();
  });
  std::function<void()> wait_for_reload = [&] {
    reload_signal.async_wait([&](const boost::system::error_code& error, int) {
      if (error) return;
      auto loaded = config::load(config_path);
      if (!loaded.ok()) {
        log->error("config reload refused, keeping the running config file={} error={}", config_path.string(),
                   loaded.errors.front());
      } else if (const auto why = why_not_swappable(*config, loaded.config); !why.empty()) {
        log->error("config reload refused, keeping the running config file={} error={}", config_path.string(), why);
      } else {
        for (const auto& w : loaded.warnings) log->warn("config warning={}", w);
        config = std::make_shared<const config::Config>(std::move(loaded.config));
        poll.reconfigure(config, poll_interval(*config));
        outbox.reconfigure(config, intervals.outbox);
        daily.reconfigure(config, intervals.daily);
        log->info("config reloaded file={} poll_seconds={}", config_path.string(), config->mailbox.poll_seconds);
      }
      wait_for_reload();
    });
  };
  wait_for_reload();

  log->info("started poll_seconds={} outbox_seconds={} daily_seconds={}", config->mailbox.poll_seconds,
            intervals.outbox.count(), intervals.daily.count());
  // The daily jobs first, so what they queue goes out with the first poll's mail.
  daily.start(config, intervals.daily);
  poll.start(config, poll_interval(*config));
  outbox.start(config, intervals.outbox);
  io.run();
  // The worker finishes the piece of work in hand (a poll stops after its mail in hand).
  worker.join();
  log->info("stopped");
  return 0;
}

}  // namespace ispd::service
