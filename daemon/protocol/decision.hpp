#pragma once
// The intake's rules, as pure functions: who may send, what a mail is, and what
// each form in it does to the log. The mails that follow are planned in
// mail_plan.hpp; the wiring (daemon/jobs/intake.cpp) reads the mail and the
// store, calls these, and records what they decide in one transaction.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/protocol/policy.hpp"
#include "daemon/protocol/routing.hpp"
#include "daemon/protocol/validation.hpp"
#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::protocol {

// The authority whose domain, or a subdomain of it, the address is in (ASCII
// case ignored); nullptr for anyone else.
const Authority* authority_of(std::string_view address, std::span<const Authority> authorities);

// The reference a subject names: "RE: [ISP-2026-0007] Provider response" gives
// "ISP-2026-0007". Brackets optional, case ignored, the first one wins.
std::optional<std::string> reference_in_subject(std::string_view subject);

// What the mail and form readers found in one attachment.
struct AttachmentFinding {
  std::string name;              // as the sender named it, for messages
  bool looks_like_form = false;  // by name, type or first bytes (a Word, PDF, RTF or ODF file)
  std::optional<Form> form;      // when it was read as an ISP form
  // When it looks like a form but could not be read: why, written to follow the
  // file's name as the parser's messages are ("is a PDF, not the Word form; ...").
  std::string problem;

  bool unreadable_form() const { return looks_like_form && !form; }
};

// Names and reasons from a mail are quoted in ispd's own sentences at most this long.
inline constexpr std::size_t kMaxNameInReason = 120;

// The attachment's name on one line, or "an unnamed attachment".
std::string attachment_name(const AttachmentFinding& attachment);

// "report.pdf is a PDF, not the Word form; ...": the parser's message follows the file's name.
std::string unreadable_sentence(const AttachmentFinding& attachment);

// What the mail reader found in a mail.
struct MailFacts {
  std::string from;                   // the From address (the first, when the header names several)
  std::size_t from_count = 1;         // how many addresses the From header names
  std::vector<std::string> reply_to;  // Reply-To addresses
  std::string subject;
  bool automatic = false;  // RFC 3834 and its kin (mail/mime.hpp decides)
  std::string automatic_why;
  bool is_bounce = false;
  std::vector<AttachmentFinding> attachments;
};

enum class MailRoute {
  ignore,     // automatic mail or a bounce with no form: filed, never answered
  attention,  // a person must look: unknown sender, no form, only unreadable files
  forms,      // the forms are read and each decided by decide_form
};

struct MailDecision {
  MailRoute route = MailRoute::attention;
  // Why, in one sentence for NWADCS: "the sender's domain example.com is not a configured authority".
  std::string reason;
  std::optional<std::string> agency;  // the sender's authority, when it is one
  // Whether anything may be sent back: never to automatic mail, bounces or unknown senders.
  bool may_reply = false;
  std::string reply_address;  // where replies go: the From address (Reply-To only within the same authority)
  // Attachments that look like forms but could not be read, each as one
  // sentence, the name and then the problem: "ISP form.pdf is a PDF, not the Word form; ...".
  std::vector<std::string> unreadable;
  // Forms to decide, in attachment order (route forms only).
  std::vector<Form> forms;
};

// A bounce is always ignored, even with forms in it: those are copies of a mail
// that could not be delivered, never a new notification.
MailDecision classify_mail(const MailFacts& mail, std::span<const Authority> authorities);

// What the store holds that a form may concern; the wiring looks it up.
struct StoredState {
  std::optional<std::string> subject_reference;  // reference_in_subject()
  std::optional<store::Notification> named;      // the notification the subject names, if it is in the log
  std::vector<store::Notification> same_agency;  // open, from the sender's agency, same provider
  std::vector<store::Notification> elsewhere;    // open, from other agencies, same provider
};

enum class FormAction {
  log_new,            // a new notification
  update,             // a resent issue form for an open notification (same review date)
  provider_response,  // the provider's response added
  extend,             // a resent issue form with a later review date
  rescind,            // ended by the issuing agency
  returned,           // incomplete or not allowed: back to the sender, nothing circulated
  attention,          // a person must decide (e.g. which of several notifications it concerns)
};

struct FormDecision {
  FormAction action = FormAction::attention;
  std::optional<std::string> reference;  // the notification acted on; none for log_new
  std::vector<Problem> problems;         // returned: every problem, in words for the sender
  std::string reason;                    // attention: why, for NWADCS; otherwise a short note
  // Other open notifications about the provider, for a form logged anew: other
  // agencies', and the sender's own when the subject named one no longer open.
  std::vector<std::string> possible_duplicates;
  // A provider response or rescind for a notification ispd never logged (issued
  // before it went live): logged anew from its Section A, and NWADCS told.
  bool not_in_log = false;
  bool circulate = false;
};

// `agency` is the sender's authority (MailDecision::agency), the same configured
// name the store keeps. A rescind is judged by that authority, not by the agency
// typed on the form: one from another authority is returned, and one from the
// issuing authority is not refused because its officer spelt the agency another way.
// A subject naming another agency's notification does not let the sender update
// it or add a response to it: the form is matched by agency and provider instead.
FormDecision decide_form(const Form& form, std::string_view agency, const StoredState& stored,
                         const CheckContext& context);

std::string_view to_string(MailRoute route);

// What each action is called wherever ispd speaks of it, in one table.
struct FormActionWords {
  std::string_view key;              // as stored and in JSON: "log_new"
  std::string_view done;             // what happened, for a person: "provider response added"
  std::string_view log_heading;      // the log mail's heading: "Provider response"
  std::string_view circulation;      // a circulation's subject: "ISP notification update"
  std::string_view acknowledgement;  // an acknowledgement's subject: "Provider response received"
};
const FormActionWords& words(FormAction action);

// words(action).key.
std::string_view to_string(FormAction action);

}  // namespace ispd::protocol
