#include "daemon/jobs/undelivered.hpp"
#include "daemon/jobs/logs.hpp"
#include "mail_data/json.hpp"
#include "util/message_id.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace ispd::outbox {

namespace {

bool same_address(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view subject_words(Undelivered why) {
  switch (why) {
    case Undelivered::rejected: return " was refused by the mail server for ";
    case Undelivered::gave_up: return " could not be delivered to ";
    case Undelivered::bounced: return " bounced back from ";
  }
  return " was not delivered to ";
}

}  // namespace

std::string_view to_string(Undelivered why) {
  switch (why) {
    case Undelivered::rejected: return "rejected";
    case Undelivered::gave_up: return "gave_up";
    case Undelivered::bounced: return "bounced";
  }
  return "undelivered";
}

bool is_nwadcs(std::string_view address, const config::Config& config) {
  return !config.nwadcs.address.empty() && same_address(address, config.nwadcs.address);
}

void report_undelivered(store::Tx& tx, const store::OutboxRow& mail, Undelivered why,
                        const std::vector<std::string>& recipients, std::string_view reply,
                        const config::Config& config) {
  const nlohmann::json detail = {{"failure", std::string(to_string(why))},
                                 {"message_id", mail.message_id},
                                 {"mail", std::string(store::to_string(mail.kind))},
                                 {"recipients", recipients},
                                 {"reply", text::without_controls(reply, kMaxReply)}};
  const auto event =
      tx.append_event({.kind = why == Undelivered::bounced ? store::EventKind::bounced : store::EventKind::mail_failed,
                       .reference = mail.reference,
                       .actor = "ispd",
                       .detail = detail});
  std::vector<std::string> others;
  for (const auto& r : recipients) {
    if (!is_nwadcs(r, config)) others.push_back(r);
  }
  if (others.empty() || config.nwadcs.address.empty()) {
    logs::send()->error("mail to nwadcs not delivered id={} failure={}", mail.id, to_string(why));
    return;
  }
  const std::string who = others.size() == 1 ? others.front() : std::to_string(others.size()) + " recipients";
  store::OutboxMail notice;
  notice.kind = store::OutboxKind::attention;
  notice.reference = mail.reference;
  notice.recipients = {config.nwadcs.address};
  notice.subject = std::string(mail.reference ? "[" + *mail.reference + "] " : "") +
                   "Not delivered: " + text::without_controls(mail.subject, 120) + " to " +
                   text::without_controls(who, 120);
  notice.template_data = mail_data::Attention{
      .reason = "\"" + text::without_controls(mail.subject, 200) + "\"" + std::string(subject_words(why)) +
                text::without_controls(who, 200),
      .failure = mail_data::Failure{.kind = std::string(to_string(why)),
                                    .recipient = others.size() == 1 ? std::optional(others.front()) : std::nullopt,
                                    .recipients = others,
                                    .subject = mail.subject,
                                    .reference = mail.reference,
                                    .message_id = message_id::bare(mail.message_id),
                                    .reply = text::without_controls(reply, kMaxReply)}};
  tx.queue_mail(event, notice);
}

}  // namespace ispd::outbox
