#pragma once
// How long a notification's records are kept once it has ended: the host
// authority's retention schedule, counted from the rescind or the closure.
// After it, the forms' files and free text are securely deleted; the log keeps
// what the regional spreadsheet and the protocol's oversight need (reference,
// dates, issuing agency and officer, provider, the ticks).

#include "parsing/form.hpp"

namespace ispd::protocol {

// Whether a notification that ended on `ended_on` (a UK date) is past its retention on `today`.
bool retention_ended(Date ended_on, Date today, int retention_months);

// The form without its free text: the justification, every "other" box, the
// regulator and other agencies informed, the details, the provider's response,
// the rescind's explanations, and the parser's warnings (which may quote it).
Form without_free_text(const Form& form);

}  // namespace ispd::protocol
