#pragma once
// What ispd does in one cycle — the daily jobs, a poll of the mailbox, sending the outbox — for `run --once`
// (which prints what it did) and for the daemon's loop (which logs it).

#include <functional>
#include <string>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "daemon/jobs/mail_settings.hpp"
#include "daemon/jobs/service.hpp"
#include "store/store.hpp"

namespace ispd::jobs {

// One Cycle serves one thread.
class Cycle final : public service::Work {
 public:
  Cycle(store::Store& store, Clock clock, bool once);

  void poll(const config::Config& config, const std::function<bool()>& stop_requested) override;
  void send(const config::Config& config) override;
  // `run --once`: the mailbox first, so the daily jobs see what it brought (a rescind ends the chasing), then
  // everything that was queued goes out. The exit code: 0, kExitMailbox or kExitBadConfig.
  int once(const config::Config& config);
  // The daily jobs: each decides for itself what is due, so running them more often changes nothing.
  void daily(const config::Config& config) override;

 private:
  // With --once a line for the person at the terminal; in the daemon, `logged` writes the part's fixed message.
  void say(const std::string& line, const std::function<void()>& logged) const;
  void complain(const std::string& line, const std::function<void()>& logged) const;
  int poll_mailbox(const config::Config& config, const std::function<bool()>& stop_requested);
  // Sends every mail due in the outbox; 0, or kExitMailbox when the SMTP server could not be used.
  int send_outbox(const config::Config& config, const std::function<bool()>& stop_requested);

  store::Store& store_;
  Clock clock_;
  bool once_;
  // One OAuth2 token for the mailbox and the SMTP server, kept from poll to poll.
  MailTokens tokens_;
  int exit_code_ = 0;
};

}  // namespace ispd::jobs
