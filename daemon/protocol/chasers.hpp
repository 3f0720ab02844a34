#pragma once
// The protocol's chasers, as pure functions: to the issuing officer 14 days
// before the review date, on it, then weekly while it is overdue, the third
// overdue chaser copied to NWADCS; six months past the review date with no
// word from the issuing agency, NWADCS is asked to close the notification.
// Confidential and restricted notifications also remind the officer to review
// whether the provider can now be told.
//
// Each chaser is named by (reference, the review date it is about, which), so
// an extension starts a new schedule, and the store records each name once.
// A chaser is sent only if it comes later in its schedule than every one
// already recorded, so a clock that jumps back sends nothing again; after a
// gap (ispd switched off, the clock jumping forward) only the latest chaser
// due is sent, and the ones it stands for are recorded as skipped, never to
// go later.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/protocol/calendar.hpp"
#include "daemon/protocol/decision.hpp"
#include "daemon/protocol/mail_plan.hpp"
#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::protocol {

inline constexpr int kChaserDaysBefore = 14;
inline constexpr int kChaserOverdueDays = 7;
// The overdue chaser that copies NWADCS (or, if it was skipped, the first sent after it).
inline constexpr int kChaserEscalationWeek = 3;
inline constexpr int kCloseRequestMonths = 6;

struct ChaserStep {
  // In schedule order: comparing steps compares their places in it.
  enum class Kind { before, on, overdue, close_request };
  Kind kind = Kind::before;
  int week = 0;  // overdue only: 1, 2, 3 …
  // clang-tidy 14 takes the 0 a defaulted <=> compares with for a null pointer.
  auto operator<=>(const ChaserStep&) const = default;  // NOLINT(modernize-use-nullptr)
};

// "before", "on", "overdue-3", "close-request": the name the store records.
std::string chaser_name(ChaserStep step);
std::optional<ChaserStep> chaser_step(std::string_view name);

// When the close request falls due: six months after the review date, or after
// the issuing agency's last word if that came later.
Date close_request_due(Date review_date, std::optional<Date> last_word);

// The day a step of the schedule falls due.
Date chaser_due(ChaserStep step, Date review_date, std::optional<Date> last_word);

struct ChaserDecision {
  ChaserStep step;                  // the chaser to send now
  Date review_date;                 // the review date it is about
  Date due;                         // the day it fell due (today, or earlier after a gap)
  std::vector<ChaserStep> skipped;  // fell due and were never sent; recorded as skipped
  bool copy_nwadcs = false;         // the escalation: NWADCS is copied
  bool remind_provider = false;     // confidential or restricted: may the provider now be told?
};

// What is due today for a notification, given every chaser recorded for it
// (any review date), the local date of the issuing agency's last word on it
// (its latest form: logged, updated, extended or a provider response) and
// today's UK date. Nothing for a notification that is not open or has no
// review date. A step that fell due on or before the agency's last word is
// not sent (they have spoken since); it is recorded as skipped with the next
// one sent.
std::optional<ChaserDecision> due_chaser(const store::Notification& notification,
                                         std::span<const store::RecordedChaser> recorded, std::optional<Date> last_word,
                                         Date today);

// The chaser's mail: to the issuing officer (the form's section 1 e-mail),
// with NWADCS for the escalation; the close request to NWADCS. An officer
// chaser for a form with no usable officer e-mail goes to NWADCS, saying so.
// No mail (nullopt) when there is nobody to send it to.
std::optional<PlannedMail> plan_chaser_mail(const store::Notification& notification, const ChaserDecision& decision,
                                            std::optional<Date> last_word, std::string_view nwadcs_address);

}  // namespace ispd::protocol
