#include "daemon/jobs/poll.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <string>

#include <spdlog/spdlog.h>

#include "daemon/jobs/intake.hpp"
#include "daemon/jobs/logs.hpp"
#include "mail/mime.hpp"
#include "mail_data/json.hpp"

namespace ispd::intake {

namespace {

void count(PollReport& report, store::InboundState state) {
  switch (state) {
    case store::InboundState::processed: ++report.processed; break;
    case store::InboundState::returned: ++report.returned; break;
    case store::InboundState::attention: ++report.attention; break;
    case store::InboundState::ignored: ++report.ignored; break;
    case store::InboundState::received: ++report.failed; break;
  }
}

// A mail too large to fetch is never stored, so it is filed for a person at
// once and NWADCS told; it stays whole in the attention folder.
void refuse_oversized(store::Store& store, const config::Config& config, const mail::MessageRef& message,
                      std::uint32_t uidvalidity, store::TimePoint now) {
  const std::string reason = "a mail of " + std::to_string(message.size) + " bytes is larger than the " +
                             std::to_string(config.mailbox.max_message_bytes) +
                             " bytes ispd reads (mailbox.max_message_bytes); it was moved unread to " +
                             config.mailbox.attention_folder;
  store.transaction(now, [&](store::Tx& tx) {
    store::NewEvent attention;
    attention.kind = store::EventKind::attention;
    attention.actor = "ispd";
    attention.detail = {{"uidvalidity", uidvalidity}, {"uid", message.uid}, {"size", message.size}, {"reason", reason}};
    const auto event = tx.append_event(attention);
    store::OutboxMail tell;
    tell.kind = store::OutboxKind::attention;
    tell.recipients = {config.nwadcs.address};
    tell.subject = "ISP mailbox: a mail too large to read needs attention";
    // Nothing of it is stored, so there is nothing for ispd reprocess to run.
    tell.template_data = mail_data::Attention{.reason = reason, .not_stored = true};
    tx.queue_mail(event, tell);
  });
}

}  // namespace

Result<PollReport> poll_inbox(mail::Mailbox& mailbox, store::Store& store, const config::Config& config,
                              const Clock& clock, const std::function<bool()>& stop_requested) {
  const auto batch = static_cast<std::size_t>(std::max(config.mailbox.batch_size, 1));
  const auto log = logs::mail();
  const auto status = mailbox.select_inbox();
  if (!status) return status.error();
  for (const auto* folder : {&config.mailbox.processed_folder, &config.mailbox.attention_folder}) {
    if (auto made = mailbox.ensure_folder(*folder); !made) return made.error();
  }
  const auto messages = mailbox.list_inbox();
  if (!messages) return messages.error();

  PollReport report;
  report.seen = static_cast<int>(messages->size());
  const mail::MailLimits limits;
  const auto max_bytes = static_cast<std::size_t>(config.mailbox.max_message_bytes);
  // Each batch is decided, made durable with one sync, and only then filed.
  std::map<std::string, std::vector<std::uint32_t>> to_file;
  const auto file_batch = [&]() -> Result<Done> {
    if (to_file.empty()) return Done{};
    store.sync(clock());
    for (const auto& [folder, uids] : to_file) {
      if (auto moved = mailbox.move_all(uids, folder); !moved) return moved.error();
    }
    to_file.clear();
    return Done{};
  };
  std::size_t in_batch = 0;
  for (std::size_t i = 0; i < messages->size(); ++i) {
    const auto& message = (*messages)[i];
    if (stop_requested && stop_requested()) {
      report.left = static_cast<int>(messages->size() - i);
      log->info("poll stopping after the mail in hand left={}", report.left);
      break;
    }
    try {
      if (in_batch == batch) {
        if (auto filed = file_batch(); !filed) return filed.error();
        in_batch = 0;
      }
      ++in_batch;
      if (message.size > max_bytes) {
        refuse_oversized(store, config, message, status->uidvalidity, clock());
        to_file[config.mailbox.attention_folder].push_back(message.uid);
        log->warn("oversized mail filed for attention uid={} size={}", message.uid, message.size);
        ++report.attention;
        continue;
      }
      auto raw = mailbox.fetch(message.uid, max_bytes);
      if (!raw) {
        // What this poll decided so far is still filed, so the next one finds less to do.
        if (auto filed = file_batch(); !filed)
          log->error("filing what was decided failed error={}", filed.error().message);
        return raw.error();
      }

      // Read once: for the Message-ID it is stored under, and for the intake.
      const auto mail = mail::read_mail(*raw, limits);
      const std::string message_id = mail ? mail->message_id : std::string();
      const auto record = store.record_inbound(
          {.bytes = *raw, .message_id = message_id, .uidvalidity = status->uidvalidity, .uid = message.uid}, clock());

      store::InboundState state = record.state;
      const auto stored = store.find_inbound(record.id);
      // An attention item put back into the inbox (it has a new UID) is someone asking for another try.
      const bool put_back =
          record.already_known && state == store::InboundState::attention && stored && stored->uid != message.uid;
      if (put_back) store.reset_intake(record.id);
      if (!record.already_known || state == store::InboundState::received || put_back) {
        try {
          const auto outcome = process_inbound(store, record.id, mail, config, clock());
          state = outcome.state;
          log->info("mail handled inbound={} uid={} state={} refs={}", record.id, message.uid, store::to_string(state),
                    outcome.references.size());
        } catch (const store::StorageFailure&) {
          throw;
        } catch (const std::exception& e) {
          // Nothing of this intake was kept; the mail stays in the inbox and is tried again.
          log->error("mail left in the inbox to try again inbound={} uid={} error={}", record.id, message.uid,
                     e.what());
          ++report.failed;
          continue;
        }
        count(report, state);
      } else {
        ++report.repeats;
        log->info("mail already handled inbound={} uid={} state={}", record.id, message.uid, store::to_string(state));
      }
      to_file[folder_for(state, config)].push_back(message.uid);
    } catch (const store::StorageFailure& failure) {
      // ispd's own storage, not the mail: no point in trying the next mail; this one and the rest stay in the inbox.
      report.storage_failure = failure;
      report.left = static_cast<int>(messages->size() - i);
      log->error("storage failed, the poll stops and the mails stay in the inbox left={} error=\"{}\"", report.left,
                 failure.what());
      break;
    }
  }
  try {
    if (auto filed = file_batch(); !filed) return filed.error();
  } catch (const store::StorageFailure& failure) {
    // Not durable, so not moved: the next poll finds them again, recognises them and only files them.
    log->error("storage failed, what was decided stays in the inbox error=\"{}\"", failure.what());
    if (!report.storage_failure) report.storage_failure = failure;
  }
  return report;
}

}  // namespace ispd::intake
