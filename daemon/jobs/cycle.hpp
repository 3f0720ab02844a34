#pragma once
// What ispd does in one cycle — the daily jobs, a poll of the mailbox, sending the outbox — for `run --once`
// (which prints what it did) and for the daemon's loop (which logs it).

#include <functional>
#include <optional>
#include <string>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "daemon/jobs/mail_settings.hpp"
#include "daemon/jobs/service.hpp"
#include "store/storage_failure.hpp"
#include "store/store.hpp"

namespace ispd::jobs {

// One Cycle serves one thread.
class Cycle final : public service::Work {
 public:
  Cycle(store::Store& store, Clock clock, bool once);

  void poll(const config::Config& config, const std::function<bool()>& stop_requested) override;
  void send(const config::Config& config) override;
  // `run --once`: the mailbox first, so the daily jobs see what it brought (a rescind ends the chasing), then
  // everything that was queued goes out. The exit code: 0, kExitTemporary (the mailbox, the SMTP server or ispd's
  // own storage could not be used) or kExitBadConfig.
  int once(const config::Config& config);
  // The daily jobs: each decides for itself what is due, so running them more often changes nothing.
  void daily(const config::Config& config) override;

  // What this cycle found of ispd's own storage: every step that could not write stops there, the first says so
  // and tells NWADCS (reports.hpp), and the cycle's exit code is kExitTemporary.
  int storage_failed(const config::Config& config, const store::StorageFailure& failure);

 private:
  // With --once a line for the person at the terminal; in the daemon, `logged` writes the part's fixed message.
  void say(const std::string& line, const std::function<void()>& logged) const;
  void complain(const std::string& line, const std::function<void()>& logged) const;
  int poll_mailbox(const config::Config& config, const std::function<bool()>& stop_requested);
  void run_daily(const config::Config& config);
  // Runs one step of the cycle; a StorageFailure stops it and is reported once for the cycle.
  int storage_step(const config::Config& config, const std::function<int()>& step);
  // Whether the database itself failed in this cycle: then nothing more is written, nor sent (a mail sent whose
  // sending cannot be recorded would go again).
  [[nodiscard]] bool database_failed() const;
  // Sends every mail due in the outbox; 0, or kExitTemporary when the SMTP server could not be used.
  int send_outbox(const config::Config& config, const std::function<bool()>& stop_requested);

  store::Store& store_;
  Clock clock_;
  bool once_;
  // One OAuth2 token for the mailbox and the SMTP server, kept from poll to poll.
  MailTokens tokens_;
  int exit_code_ = 0;
  std::optional<store::StorageFailure> storage_failure_;  // this cycle's
  std::optional<store::TimePoint> told_directly_;         // NWADCS told without the database (reports.hpp)
};

}  // namespace ispd::jobs
