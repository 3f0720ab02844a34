#include "daemon/jobs/cycle.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include "daemon/jobs/chase.hpp"
#include "daemon/jobs/logs.hpp"
#include "daemon/jobs/poll.hpp"
#include "daemon/jobs/reports.hpp"
#include "daemon/jobs/send.hpp"
#include "daemon/protocol/monthly_report.hpp"
#include "mail/imap.hpp"
#include "mail/smtp.hpp"
#include "util/exit_codes.hpp"

namespace ispd::jobs {

Cycle::Cycle(store::Store& store, Clock clock, bool once) : store_(store), clock_(std::move(clock)), once_(once) {}

void Cycle::poll(const config::Config& config, const std::function<bool()>& stop_requested) {
  storage_failure_.reset();
  exit_code_ = storage_step(config, [&] { return poll_mailbox(config, stop_requested); });
  if (stop_requested && stop_requested()) return;
  if (database_failed()) return;
  // What was decided before a mailbox or archive failure is still sent.
  const int sent = storage_step(config, [&] { return send_outbox(config, stop_requested); });
  if (exit_code_ == 0) exit_code_ = sent;
}

void Cycle::send(const config::Config& config) {
  storage_failure_.reset();
  storage_step(config, [&] { return send_outbox(config, {}); });
}

int Cycle::once(const config::Config& config) {
  storage_failure_.reset();
  exit_code_ = storage_step(config, [&] { return poll_mailbox(config, {}); });
  if (database_failed()) return exit_code_;
  const int daily_code = storage_step(config, [&] {
    run_daily(config);
    return 0;
  });
  if (database_failed()) return exit_code_ != 0 ? exit_code_ : daily_code;
  const int sent = storage_step(config, [&] { return send_outbox(config, {}); });
  for (const int code : {exit_code_, daily_code, sent}) {
    if (code != 0) return code;
  }
  return 0;
}

void Cycle::daily(const config::Config& config) {
  storage_failure_.reset();
  storage_step(config, [&] {
    run_daily(config);
    return 0;
  });
}

int Cycle::storage_step(const config::Config& config, const std::function<int()>& step) {
  try {
    return step();
  } catch (const store::StorageFailure& failure) {
    return storage_failed(config, failure);
  }
}

bool Cycle::database_failed() const {
  return storage_failure_ && storage_failure_->part() == store::StoragePart::database;
}

int Cycle::storage_failed(const config::Config& config, const store::StorageFailure& failure) {
  if (storage_failure_) return kExitTemporary;  // said and told once a cycle
  storage_failure_ = failure;
  complain("cannot write to its own storage: " + std::string(failure.what()) +
               "; the forms stay in the inbox, unmoved, and are processed once this is fixed",
           [&] {
             logs::store()->error("storage failed, forms stay in the inbox path={} error=\"{}\"", failure.path(),
                                  failure.cause());
           });
  const auto settings = smtp_settings(config, tokens_);
  const outbox::Connect connect = [&]() -> Result<std::unique_ptr<outbox::Transport>> {
    if (!settings) return settings.error();
    return outbox::smtp_connect(*settings)();
  };
  const auto told = reports::alert_storage_failure(store_, config, clock_(), failure, connect, told_directly_);
  switch (told.how) {
    case reports::StorageAlert::queued:
      say("storage alert queued to NWADCS", [] { logs::schedule()->warn("health alert queued alert=\"storage\""); });
      break;
    case reports::StorageAlert::sent_directly:
      say("storage alert sent to NWADCS directly, as the database cannot take it",
          [] { logs::schedule()->warn("health alert sent directly alert=\"storage\""); });
      break;
    case reports::StorageAlert::already_told: break;
    case reports::StorageAlert::not_sent:
      complain("the storage alert could not be sent to NWADCS: " + told.error,
               [&] { logs::schedule()->error("storage alert not sent error=\"{}\"", told.error); });
      break;
  }
  return kExitTemporary;
}

void Cycle::run_daily(const config::Config& config) {
  const auto chased = chase::run_chasers(store_, config, clock_);
  if (once_ || chased.chasers + chased.close_requests + chased.erased > 0) {
    say(std::to_string(chased.chasers) + (chased.chasers == 1 ? " chaser" : " chasers") + " queued (" +
            std::to_string(chased.escalations) + " copied to NWADCS, " + std::to_string(chased.skipped) +
            " missed while stopped and skipped), " + std::to_string(chased.close_requests) + " close " +
            (chased.close_requests == 1 ? "request" : "requests") + ", " + std::to_string(chased.erased) +
            " past retention erased",
        [&] {
          logs::schedule()->info("chasers queued chasers={} escalations={} skipped={} close_requests={} erased={}",
                                 chased.chasers, chased.escalations, chased.skipped, chased.close_requests,
                                 chased.erased);
        });
  }
  // The spreadsheet is written beside the database, in ispd's own state folder, before it is stored.
  const auto database = std::filesystem::path(config.store.database);
  const auto scratch = database.has_parent_path() ? database.parent_path() : std::filesystem::path(".");
  const auto reported = reports::run_reports(store_, config, clock_, reports::real_disk(), scratch);
  if (reported.spreadsheet) {
    const std::string month = protocol::month_name(*reported.spreadsheet);
    say("the spreadsheet for " + month + " (" + std::to_string(reported.spreadsheet_rows) +
            " notifications) queued to NWADCS and the partners",
        [&] { logs::schedule()->info("spreadsheet queued month=\"{}\" rows={}", month, reported.spreadsheet_rows); });
  }
  if (reported.digest) {
    say("the daily digest queued to NWADCS", [] { logs::schedule()->info("digest queued"); });
  }
  for (const auto& alert : reported.alerts) {
    say("health alert queued to NWADCS: " + alert,
        [&] { logs::schedule()->warn("health alert queued alert=\"{}\"", alert); });
  }
  for (const auto& problem : reported.problems) {
    complain(problem + "; the next run tries again",
             [&] { logs::schedule()->error("daily job failed, tried again next run error=\"{}\"", problem); });
  }
}

void Cycle::say(const std::string& line, const std::function<void()>& logged) const {
  if (once_) {
    std::cout << "ispd: " << line << '\n';
  } else {
    logged();
  }
}

void Cycle::complain(const std::string& line, const std::function<void()>& logged) const {
  if (once_) {
    std::cerr << "ispd: " << line << '\n';
  } else {
    logged();
  }
}

int Cycle::poll_mailbox(const config::Config& config, const std::function<bool()>& stop_requested) {
  const auto settings = imap_settings(config, tokens_);
  // A secret that cannot be read is a bad config; a token that cannot be had, a mailbox that cannot be used.
  if (!settings && !check_secrets(config)) {
    complain(settings.error().message,
             [&] { logs::mail()->error("mailbox secret unreadable error=\"{}\"", settings.error().message); });
    return kExitBadConfig;
  }
  auto mailbox =
      settings ? mail::ImapMailbox::connect(*settings) : Result<std::unique_ptr<mail::ImapMailbox>>(settings.error());
  if (!mailbox) {
    // Noted, so that NWADCS is alerted if it goes on ([health] mailbox_failing_minutes).
    reports::note_mailbox(store_, clock_(), mailbox.error().message);
    // The token may be what was refused: the next poll asks for a new one.
    if (config.mailbox.auth == "xoauth2") tokens_.forget();
    complain("mailbox " + config.mailbox.url + ": " + mailbox.error().message +
                 "; nothing was fetched, the next run tries again",
             [&] {
               logs::mail()->error("mailbox unusable, nothing fetched url={} error=\"{}\"", config.mailbox.url,
                                   mailbox.error().message);
             });
    return kExitTemporary;
  }
  reports::note_mailbox(store_, clock_(), std::nullopt);
  const auto report = intake::poll_inbox(*mailbox.value(), store_, config, clock_, stop_requested);
  if (!report) {
    complain("mailbox " + config.mailbox.url + ": " + report.error().message +
                 "; what was done is kept, the next run carries on",
             [&] {
               logs::mail()->error("mailbox failed during the poll, what was done is kept url={} error=\"{}\"",
                                   config.mailbox.url, report.error().message);
             });
    return kExitTemporary;
  }
  if (once_ || report->seen > 0 || report->storage_failure) {
    say(std::to_string(report->seen) + (report->seen == 1 ? " mail" : " mails") +
            " in the inbox: " + std::to_string(report->processed) + " processed, " + std::to_string(report->returned) +
            " returned, " + std::to_string(report->attention) + " for attention, " + std::to_string(report->ignored) +
            " automatic, " + std::to_string(report->repeats) + " already handled, " + std::to_string(report->failed) +
            " left to try again" +
            (report->left > 0 ? ", " + std::to_string(report->left) + " left for the next poll" : ""),
        [&] {
          logs::mail()->info(
              "poll done seen={} processed={} returned={} attention={} automatic={} repeats={} failed={} left={}",
              report->seen, report->processed, report->returned, report->attention, report->ignored, report->repeats,
              report->failed, report->left);
        });
  }
  if (report->storage_failure) return storage_failed(config, *report->storage_failure);
  // Everything this poll took was stored and filed: a storage failure before it is over.
  reports::storage_works(store_, config, clock_());
  return 0;
}

int Cycle::send_outbox(const config::Config& config, const std::function<bool()>& stop_requested) {
  const auto settings = smtp_settings(config, tokens_);
  if (!settings) {
    const bool bad_config = !check_secrets(config);
    complain(bad_config ? settings.error().message
                        : "smtp " + config.smtp.url + ": " + settings.error().message +
                              "; nothing is lost, the next run sends what is left",
             [&] {
               logs::send()->error("smtp unusable, nothing sent url={} bad_config={} error=\"{}\"", config.smtp.url,
                                   bad_config, settings.error().message);
             });
    return bad_config ? kExitBadConfig : kExitTemporary;
  }
  const auto sent = outbox::drain_outbox(store_, outbox::smtp_connect(*settings), config, clock_, stop_requested);
  if (!sent) {
    if (config.smtp.auth == "xoauth2") tokens_.forget();
    complain(
        "smtp " + config.smtp.url + ": " + sent.error().message + "; nothing is lost, the next run sends what is left",
        [&] {
          logs::send()->error("smtp failed, the rest waits url={} error=\"{}\"", config.smtp.url, sent.error().message);
        });
    return kExitTemporary;
  }
  if (once_ || sent->mails > 0) {
    say(std::to_string(sent->mails) + (sent->mails == 1 ? " mail" : " mails") +
            " sent: " + std::to_string(sent->accepted) + " copies delivered, " + std::to_string(sent->deferred) +
            " deferred, " + std::to_string(sent->refused) + " refused; " + std::to_string(sent->retrying) +
            " to try again, " + std::to_string(sent->gave_up) + " given up",
        [&] {
          logs::send()->info("outbox sent mails={} accepted={} deferred={} refused={} retrying={} gave_up={}",
                             sent->mails, sent->accepted, sent->deferred, sent->refused, sent->retrying, sent->gave_up);
        });
  }
  return 0;
}

}  // namespace ispd::jobs
