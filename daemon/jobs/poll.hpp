#pragma once
// One pass over the ISP mailbox: every mail in the inbox fetched, stored,
// decided and filed, in that order, so that no mail is moved before its
// outcome is committed, and a mail seen again (after a crash, or twice in the
// mailbox) is recognised by its Message-ID and content, never by its UID.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "daemon/config/config.hpp"
#include "daemon/jobs/clock.hpp"
#include "mail/mailbox.hpp"
#include "store/storage_failure.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace ispd::intake {

struct PollReport {
  int seen = 0;       // mails in the inbox at the start
  int processed = 0;  // forms logged or changed
  int returned = 0;   // sent back to the sender
  int attention = 0;  // filed for a person
  int ignored = 0;    // automatic mail, filed unanswered
  int repeats = 0;    // already handled (a crash before the move, or a second copy): only filed
  int failed = 0;     // left in the inbox to be tried again on the next poll
  int left = 0;       // not looked at: the poll was asked to stop, or storage failed (they wait for the next one)
  // ispd's own storage failed (store/storage_failure.hpp): the poll stopped at the mail in hand, which stays in the
  // inbox with the rest, its attempt not counted; the mails decided before it are filed if they could be made durable.
  std::optional<store::StorageFailure> storage_failure;
};

// Drains the inbox. An error means the mailbox could not be used (not
// reached, login refused, a folder that cannot be made, a move refused);
// everything committed before it stands and the next poll carries on.
// Mails are handled in batches of config.mailbox.batch_size: decided one by
// one, made durable together (Store::sync), then moved together.
// `stop_requested`, when given, is asked before each mail: once it says yes,
// the mails decided so far are made durable and filed, and the rest wait.
// A mail put back into the inbox from the attention folder is tried afresh,
// its attempts counted from nought.
Result<PollReport> poll_inbox(mail::Mailbox& mailbox, store::Store& store, const config::Config& config,
                              const Clock& clock, const std::function<bool()>& stop_requested = {});

}  // namespace ispd::intake
