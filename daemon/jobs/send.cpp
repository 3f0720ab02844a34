#include "daemon/jobs/send.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "daemon/jobs/logs.hpp"
#include "daemon/jobs/undelivered.hpp"
#include "mail/compose.hpp"
#include "store/timestamps.hpp"
#include "templates/render.hpp"
#include "util/files.hpp"
#include "util/message_id.hpp"
#include "util/text.hpp"

namespace ispd::outbox {

namespace {

using store::DeliveryState;
using store::OutboxKind;
using store::OutboxRow;

constexpr std::size_t kMaxAttachmentBytes = std::size_t{32} << 20;
constexpr const char* kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

// "Placements North West <isp@council.gov.uk>" as a name and an address (the config checked its shape).
mail::Address sender_address(const config::Config& config) {
  const std::string_view from = config.smtp.from.empty() ? config.nwadcs.address : config.smtp.from;
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return {std::string(trim(from.substr(0, open))), std::string(from.substr(open + 1, close - open - 1))};
  }
  return {"", std::string(trim(from))};
}

std::string_view auto_submitted(OutboxKind kind) {
  // Replies to a council's mail are auto-replied (RFC 3834 3.1.7); everything else ispd starts itself.
  return kind == OutboxKind::acknowledgement || kind == OutboxKind::returned ? "auto-replied" : "auto-generated";
}

enum class Step { done, retry, gave_up, session_failed };

struct Attempt {
  Step step = Step::done;
  Error error;  // for session_failed
};

// One mail: every recipient not yet delivered, each outcome committed as it comes.
Attempt send_row(store::Store& store, Transport& transport, const OutboxRow& row, const std::string& raw,
                 const config::Config& config, const Clock& clock, SendReport& report) {
  const std::string envelope_from = sender_address(config).address;
  std::vector<std::string> deferred_replies;
  for (const auto& recipient : row.undelivered()) {
    auto result = transport.send(envelope_from, recipient, raw);
    if (!result) {
      const std::string why = text::without_controls(result.error().message, kMaxReply);
      store.transaction(clock(), [&](store::Tx& tx) {
        const auto retry = tx.mark_failed(row.id, "the SMTP session failed: " + why);
        if (!retry.gave_up) return;
        const auto now_row = tx.find_outbox(row.id);
        report_undelivered(tx, row, Undelivered::gave_up, now_row ? now_row->undelivered() : std::vector<std::string>{},
                           why, config);
      });
      return {Step::session_failed, result.error()};
    }
    const auto& answer = *result;
    const std::string reply = std::to_string(answer.code) + " " + text::without_controls(answer.reply, kMaxReply);
    switch (answer.outcome) {
      case mail::Delivery::accepted:
        store.transaction(
            clock(), [&](store::Tx& tx) { tx.record_delivery(row.id, recipient, DeliveryState::accepted, reply); });
        logs::send()->info("copy delivered mail={} kind={} ref={}", row.id, store::to_string(row.kind),
                           row.reference.value_or("-"));
        ++report.accepted;
        break;
      case mail::Delivery::temporary:
        store.transaction(
            clock(), [&](store::Tx& tx) { tx.record_delivery(row.id, recipient, DeliveryState::deferred, reply); });
        deferred_replies.emplace_back(recipient).append(": ").append(reply);
        ++report.deferred;
        break;
      case mail::Delivery::permanent:
        store.transaction(clock(), [&](store::Tx& tx) {
          tx.record_delivery(row.id, recipient, DeliveryState::rejected, reply);
          report_undelivered(tx, row, Undelivered::rejected, {recipient}, reply, config);
        });
        logs::send()->warn("recipient refused id={} code={}", row.id, answer.code);
        ++report.refused;
        break;
    }
  }
  if (deferred_replies.empty()) {
    store.transaction(clock(), [&](store::Tx& tx) { tx.mark_sent(row.id); });
    return {Step::done, {}};
  }
  const std::string error = std::to_string(deferred_replies.size()) +
                            " recipient(s) deferred: " + text::without_controls(deferred_replies.front(), kMaxReply);
  return store.transaction(clock(), [&](store::Tx& tx) -> Attempt {
    const auto retry = tx.mark_failed(row.id, error);
    if (!retry.gave_up) return {Step::retry, {}};
    // Out of attempts: find who is still waiting, as the store now has it.
    const auto now_row = tx.find_outbox(row.id);
    report_undelivered(tx, row, Undelivered::gave_up, now_row ? now_row->undelivered() : std::vector<std::string>{},
                       error, config);
    return {Step::gave_up, {}};
  });
}

}  // namespace

Result<std::string> build_mail(const OutboxRow& row, const config::Config& config) {
  auto rendered = templates::render(store::to_string(row.kind), row.template_data);
  if (!rendered)
    return Error{"the " + std::string(store::to_string(row.kind)) +
                 " mail could not be written: " + rendered.error().message};
  mail::OutgoingMail out;
  out.from = sender_address(config);
  // One recipient sees their own address; several see none of the others'.
  if (row.deliveries.size() == 1) out.to = {{"", row.deliveries.front().recipient}};
  out.subject = row.subject;
  out.message_id = message_id::bare(row.message_id);
  // The time the mail was decided: a retried mail goes out byte for byte the same.
  out.date = store::time_text(row.created_at);
  if (row.in_reply_to) out.in_reply_to = message_id::bare(*row.in_reply_to);
  out.auto_submitted = std::string(auto_submitted(row.kind));
  out.text = std::move(rendered.value().text);
  out.html = std::move(rendered.value().html);
  for (const auto& file : row.attachments) {
    auto bytes = read_input(file.path.string(), kMaxAttachmentBytes, "a filed form is far smaller");
    if (!bytes) return Error{"the filed form " + file.path.string() + " could not be read: " + bytes.error().message};
    out.attachments.push_back({file.file_name, kDocxType, std::move(bytes).value()});
  }
  for (const auto& made : row.files) out.attachments.push_back({made.file_name, made.content_type, made.bytes});
  return mail::compose_mail(out);
}

Result<SendReport> drain_outbox(store::Store& store, const Connect& connect, const config::Config& config,
                                const Clock& clock, const std::function<bool()>& stop_requested, std::size_t limit) {
  SendReport report;
  // Mail queued by a group-committed poll is made durable before any of it is sent: a mail must never go out
  // for a decision a power cut could undo.
  store.sync(clock());
  std::unique_ptr<Transport> transport;
  std::size_t handled = 0;
  while (handled < limit) {
    const auto due = store.due_mail(clock(), std::min<std::size_t>(50, limit - handled));
    if (due.empty()) break;
    for (const auto& row : due) {
      if (stop_requested && stop_requested()) return report;
      ++handled;
      if (!transport) {
        auto opened = connect();
        if (!opened) return opened.error();
        transport = std::move(opened).value();
        report.connected = true;
      }
      const bool begun = store.transaction(clock(), [&](store::Tx& tx) { return tx.begin_attempt(row.id); });
      if (!begun) continue;
      ++report.mails;
      auto raw = build_mail(row, config);
      if (!raw) {
        // Nothing about this mail will change by trying again: it is failed, and NWADCS told.
        store.transaction(clock(), [&](store::Tx& tx) {
          tx.mark_failed(row.id, raw.error().message, store::Failure::permanent);
          report_undelivered(tx, row, Undelivered::gave_up, row.undelivered(), raw.error().message, config);
        });
        logs::send()->error("mail could not be built id={} kind={}", row.id, store::to_string(row.kind));
        ++report.gave_up;
        continue;
      }
      const auto attempt = send_row(store, *transport, row, *raw, config, clock, report);
      store.sync(clock());
      switch (attempt.step) {
        case Step::done: ++report.sent; break;
        case Step::retry: ++report.retrying; break;
        case Step::gave_up: ++report.gave_up; break;
        case Step::session_failed: return attempt.error;
      }
    }
  }
  return report;
}

Result<Done> send_now(const OutboxRow& row, const Connect& connect, const config::Config& config) {
  auto raw = build_mail(row, config);
  if (!raw) return raw.error();
  auto transport = connect();
  if (!transport) return transport.error();
  for (const auto& recipient : row.undelivered()) {
    const auto sent = transport.value()->send(sender_address(config).address, recipient, *raw);
    if (!sent) return sent.error();
    if (sent->outcome != mail::Delivery::accepted) {
      return Error{recipient + " was refused: " + std::to_string(sent->code) + " " +
                   text::without_controls(sent->reply, kMaxReply)};
    }
  }
  return Done{};
}

Connect smtp_connect(mail::SmtpSettings settings) {
  return [settings = std::move(settings)]() -> Result<std::unique_ptr<Transport>> {
    class Smtp final : public Transport {
     public:
      explicit Smtp(std::unique_ptr<mail::SmtpTransport> t) : t_(std::move(t)) {}
      Result<mail::DeliveryResult> send(std::string_view from, std::string_view to, std::string_view raw) override {
        return t_->send(from, to, raw);
      }

     private:
      std::unique_ptr<mail::SmtpTransport> t_;
    };
    auto transport = mail::SmtpTransport::connect(settings);
    if (!transport) return transport.error();
    return std::unique_ptr<Transport>(std::make_unique<Smtp>(std::move(transport).value()));
  };
}

}  // namespace ispd::outbox
