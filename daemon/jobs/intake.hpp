#pragma once
// The intake of one stored mail: read it, decide with the protocol's rules
// (daemon/protocol/intake.hpp), and record every decision and the mails that
// follow from it in one transaction. I/O around pure rules: the only effects
// are on the store.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/config.hpp"
#include "mail/mime.hpp"
#include "store/store.hpp"

namespace ispd::intake {

// A mail whose intake has started this many times without settling (ispd
// failed or was killed on it each time) goes to a person instead.
inline constexpr int kMaxIntakeAttempts = 3;

struct Outcome {
  store::InboundState state = store::InboundState::received;
  std::string reason;                   // one sentence, for logs and NWADCS
  std::vector<std::string> references;  // notifications logged or changed
};

// Decides a stored mail and settles it. Throws on database failure (nothing
// is kept, and the mail is tried again on the next poll); a failure of ispd's
// own storage is thrown as store::StorageFailure, and the attempt it cut short
// is not counted against the mail.
Outcome process_inbound(store::Store& store, std::int64_t inbound_id, std::string_view raw,
                        const config::Config& config, store::TimePoint now);

// The same for a mail already read (the poller reads it once for its Message-ID).
Outcome process_inbound(store::Store& store, std::int64_t inbound_id, const Result<mail::MailMessage>& mail,
                        const config::Config& config, store::TimePoint now);

// Whether an attachment is worth handing to the form reader: by name, by
// content type or, when the sender gave neither, by its first bytes. The
// reader then says what is wrong with any that fail.
bool looks_like_form(const mail::Attachment& attachment);

// The folder a settled mail belongs in.
const std::string& folder_for(store::InboundState state, const config::Config& config);

}  // namespace ispd::intake
