#include "daemon/jobs/logs.hpp"

#include <array>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace ispd::logs {

namespace {

constexpr std::array<const char*, 6> kParts = {"daemon", "mail", "intake", "send", "schedule", "store"};

// A part's logger; before to_stderr() (in tests, say) one that writes where spdlog's default logger does.
std::shared_ptr<spdlog::logger> named(const char* part) {
  static std::mutex made;
  const std::lock_guard lock(made);
  if (auto log = spdlog::get(part)) return log;
  const auto& sinks = spdlog::default_logger()->sinks();
  auto log = std::make_shared<spdlog::logger>(part, sinks.begin(), sinks.end());
  spdlog::register_logger(log);
  return log;
}

}  // namespace

std::shared_ptr<spdlog::logger> daemon() { return named("daemon"); }
std::shared_ptr<spdlog::logger> mail() { return named("mail"); }
std::shared_ptr<spdlog::logger> intake() { return named("intake"); }
std::shared_ptr<spdlog::logger> send() { return named("send"); }
std::shared_ptr<spdlog::logger> schedule() { return named("schedule"); }
std::shared_ptr<spdlog::logger> store() { return named("store"); }

void to_stderr() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  for (const char* part : kParts) {
    spdlog::drop(part);
    spdlog::register_logger(std::make_shared<spdlog::logger>(part, sink));
  }
}

}  // namespace ispd::logs
