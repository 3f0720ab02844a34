// The mail commands, built as the module ispd-mail.so (see mail_module.hpp).

#include <cctype>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/files.hpp"
#include "mail/mime.hpp"
#include "parsing/parse.hpp"

namespace {

using ispd::read_input;
using ispd::refuse;

// Attachments worth handing to the form reader: by name, by content type, or, when the sender
// gave neither, by their first bytes. The reader then says what is wrong with any that fail.
bool may_be_a_form(const ispd::mail::Attachment& attachment) {
  std::string name = attachment.name;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  for (const char* e : {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".pdf", ".odt", ".rtf"}) {
    if (ext == e) return true;
  }
  const std::string& type = attachment.content_type;
  if (type.starts_with("application/vnd.openxmlformats-officedocument.wordprocessingml") ||
      type.starts_with("application/vnd.ms-word") || type == "application/msword" || type == "application/pdf" ||
      type == "application/vnd.oasis.opendocument.text" || type == "application/rtf" || type == "text/rtf") {
    return true;
  }
  if (!ext.empty() && type != "application/octet-stream") return false;
  const std::string& b = attachment.bytes;
  return b.starts_with("PK\x03\x04") || b.starts_with("\xD0\xCF\x11\xE0") || b.starts_with("%PDF") ||
         b.starts_with("{\\rtf");
}

int run_inspect(const std::string& path) {
  const ispd::mail::MailLimits limits;
  auto raw = read_input(path, limits.max_mail_bytes, "a mail to the ISP mailbox is far smaller");
  if (!raw) return refuse(path, raw.error());
  const auto mail = ispd::mail::read_mail(*raw, limits);
  if (!mail) return refuse(path, ispd::Error{mail.error().message});

  const auto addresses = [](const std::vector<ispd::mail::Mailbox>& list) {
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
    if (may_be_a_form(a)) {
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
extern "C" __attribute__((visibility("default"))) int ispd_mail_inspect(const char* path) {
  try {
    return run_inspect(path);
  } catch (const std::exception& e) {
    std::cerr << "ispd: internal error: " << e.what() << '\n';
    return 70;
  }
}
