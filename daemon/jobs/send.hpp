#pragma once
// The outbox's sender: every mail due is rendered (templates/), composed
// (mail/compose) and handed to SMTP one recipient at a time, and each
// recipient's outcome is committed the moment the server answers. So a crash
// can resend at most the one copy that was in flight when it happened, with
// the same Message-ID; every other recipient is sent exactly once.
//
// A 4xx for a recipient is retried with the store's backoff, for that
// recipient only; a 5xx fails that recipient only and NWADCS is told; a
// session that fails (server gone, connection lost) stops the drain and
// leaves the mail pending for the next run.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "mail/smtp.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace ispd::outbox {

// The SMTP edge, as small as the sender needs it; mail/smtp.hpp is the real one.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<mail::DeliveryResult> send(std::string_view envelope_from, std::string_view recipient,
                                            std::string_view raw_message) = 0;
};

// Opens a session; called only when there is something to send.
using Connect = std::function<Result<std::unique_ptr<Transport>>()>;

// The real transport: libcurl's SMTP with the [smtp] settings and its password.
Connect smtp_connect(mail::SmtpSettings settings);

struct SendReport {
  int mails = 0;     // mails attempted
  int sent = 0;      // every recipient accepted or finally refused
  int retrying = 0;  // some recipient deferred: tried again later
  int gave_up = 0;   // out of attempts, or could not be built: NWADCS told
  int accepted = 0;  // recipients the server took
  int refused = 0;   // recipients refused for good (5xx)
  int deferred = 0;  // recipients refused for now (4xx)
  bool connected = false;
};

// Sends every mail due at clock(), oldest first, at most `limit` mails. An
// error means the server could not be reached or the session failed; what
// was recorded before it stands and the next drain carries on. Once
// `stop_requested` says yes, the mail in hand is finished and the rest wait.
Result<SendReport> drain_outbox(store::Store& store, const Connect& connect, const config::Config& config,
                                const Clock& clock, const std::function<bool()>& stop_requested = {},
                                std::size_t limit = 100000);

// The mail as it goes out, for one row: rendered, composed, with its form attached.
Result<std::string> build_mail(const store::OutboxRow& row, const config::Config& config);

// A mail sent at once, not through the outbox, to each of the row's recipients: for the one mail that cannot wait
// for the database (the alert that the database itself cannot be written). Nothing is recorded. An error when the
// mail cannot be built, the server cannot be used, or a recipient is refused.
Result<Done> send_now(const store::OutboxRow& row, const Connect& connect, const config::Config& config);

}  // namespace ispd::outbox
