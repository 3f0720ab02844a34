#pragma once
// The mails that follow from what the rules decided: to whom, with what
// subject, and the data their templates render. Pure functions, as decision.hpp.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/protocol/decision.hpp"
#include "daemon/protocol/routing.hpp"
#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::protocol {

// A mail to queue, as the outbox takes it; the templates (a later part) render `data`.
struct PlannedMail {
  store::OutboxKind kind = store::OutboxKind::log;
  std::vector<std::string> to;
  std::string subject;  // one line: form text in it has no CR, LF or other control characters
  nlohmann::json data = nlohmann::json::object();  // one of mail_data/mails.hpp's structs, for `kind`
  bool attach_form = false;                        // circulations carry the form itself
};

// The mails that follow from one decided form: the acknowledgement or the
// returned reply to the sender (only if the mail may be replied to), the
// circulation, and the log mail to NWADCS (none for a form returned to a
// sender who is told: only they hear of it), with its word on duplicates or on a
// notification not in the log in the log mail's data and a subject ending
// "— action needed". `reference` is the notification's (the new one's for
// log_new and for a rescind not in the log; empty for returned forms that
// matched nothing). A form that needs attention gets an attention mail to
// NWADCS in place of the log mail, and nothing else.
std::vector<PlannedMail> plan_form_mails(const MailDecision& mail, const Form& form, const FormDecision& decision,
                                         std::string_view reference, const Circulation& circulation,
                                         std::string_view nwadcs_address);

// The mails for a mail that needs attention: NWADCS told why, and, for a
// sender who may be answered and sent only unreadable files, a reply naming
// each file and its problem. None for ignored mail.
std::vector<PlannedMail> plan_mail_mails(const MailDecision& mail, const MailFacts& facts,
                                         std::string_view nwadcs_address);

}  // namespace ispd::protocol
