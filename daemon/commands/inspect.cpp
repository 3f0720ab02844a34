// `ispd inspect`: what ispd reads from a mail, as JSON (commands/module.hpp).

#include <cctype>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/jobs/intake.hpp"
#include "mail/mime.hpp"
#include "parsing/parse.hpp"
#include "util/files.hpp"

namespace {

using ispd::read_input;
using ispd::refuse;

int run_inspect(const std::string& path) {
  const ispd::mail::MailLimits limits;
  auto raw = read_input(path, limits.max_mail_bytes, "a mail to the ISP mailbox is far smaller");
  if (!raw) return refuse(path, raw.error());
  const auto mail = ispd::mail::read_mail(*raw, limits);
  if (!mail) return refuse(path, ispd::Error{mail.error().message});

  const auto addresses = [](const std::vector<ispd::mail::Address>& list) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& m : list) out.push_back(m.address);
    return out;
  };
  nlohmann::ordered_json out;
  out["from"] = mail->from.address;
  out["from_name"] = mail->from.name;
  out["reply_to"] = addresses(mail->reply_to);
  out["subject"] = mail->subject;
  out["message_id"] = mail->message_id;
  out["date"] = mail->date;
  out["in_reply_to"] = mail->in_reply_to;
  out["auto_submitted"] = mail->auto_submitted;
  out["precedence"] = mail->precedence;
  out["automatic"] = mail->automatic;
  out["automatic_why"] = mail->why;
  out["is_bounce"] = mail->is_bounce;
  out["failed_recipients"] = mail->failed_recipients;
  out["original_message_id"] = mail->original_message_id;
  out["attachments"] = nlohmann::ordered_json::array();
  out["forms"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < mail->attachments.size(); ++i) {
    const auto& a = mail->attachments[i];
    nlohmann::ordered_json item;
    item["name"] = a.name;
    item["content_type"] = a.content_type;
    item["size"] = a.size;
    item["sha256"] = a.sha256;
    item["from_forwarded"] = a.from_forwarded;
    item["from_tnef"] = a.from_tnef;
    item["form"] = false;
    item["form_problem"] = nullptr;
    if (ispd::intake::looks_like_form(a)) {
      const auto form = ispd::parse_form(a.bytes);
      if (form) {
        item["form"] = true;
        out["forms"].push_back(i);
      } else {
        item["form_problem"] = form.error().message;
      }
    }
    out["attachments"].push_back(std::move(item));
  }
  // Names and subjects come from strangers: print invalid UTF-8 as U+FFFD rather than fail.
  std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  return 0;
}

}  // namespace

// `ispd inspect MAIL.eml`: what ispd reads from a mail, as JSON.
ISPD_MODULE_COMMAND ispd_mail_inspect(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_inspect(args->path); });
}
