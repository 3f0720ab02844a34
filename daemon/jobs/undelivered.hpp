#pragma once
// When a partner does not get a notice: the event that records it and the
// mail that tells NWADCS, written in the caller's transaction. Used by the
// outbox sender (the server refused a recipient, or ispd gave up) and by the
// intake (a delivery status report came back).

#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/config.hpp"
#include "store/store.hpp"

namespace ispd::outbox {

enum class Undelivered {
  rejected,  // the SMTP server refused the recipient for good (5xx)
  gave_up,   // out of attempts, or the mail could not be built
  bounced,   // a delivery status report said the mail did not arrive
};

std::string_view to_string(Undelivered why);

// Records `recipients` of `mail` as not reached (an event of its notification) and, for any
// recipient but NWADCS itself, queues NWADCS's attention mail saying who, which mail and the
// server's words; a failure of NWADCS's own address is only logged, so that a broken NWADCS
// mailbox is never told of its own failure over and over.
void report_undelivered(store::Tx& tx, const store::OutboxRow& mail, Undelivered why,
                        const std::vector<std::string>& recipients, std::string_view reply,
                        const config::Config& config);

// Whether `address` is NWADCS's own.
bool is_nwadcs(std::string_view address, const config::Config& config);

// The most of a server's reply kept with a delivery or an event.
inline constexpr std::size_t kMaxReply = 300;

}  // namespace ispd::outbox
