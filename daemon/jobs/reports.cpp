#include "daemon/jobs/reports.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "daemon/jobs/spreadsheet.hpp"
#include "daemon/protocol/calendar.hpp"
#include "daemon/protocol/local_date.hpp"
#include "mail_data/json.hpp"
#include "store/timestamps.hpp"
#include "util/text.hpp"

namespace ispd::reports {

namespace {

using Json = nlohmann::json;
using store::TimePoint;

// How many of each kind of item a digest or an alert lists; the rest are counted.
constexpr std::size_t kListed = 50;
constexpr std::string_view kMailbox = "mailbox";
constexpr std::string_view kStorage = "storage";
constexpr std::string_view kStorageAlert = "alert:storage";

// "2 December 2026".
std::string day_words(Date day) {
  return std::to_string(static_cast<unsigned>(day.day())) + " " +
         protocol::month_name(protocol::Month{day.year(), day.month()});
}

// "2 December 2026 at 09:14", on a clock in England.
std::string time_words(TimePoint time) {
  const auto minute = std::chrono::duration_cast<std::chrono::minutes>(time.time_since_epoch()).count() % 60;
  const int hour = local_hour(time);
  return day_words(local_date(time)) + " at " + (hour < 10 ? "0" : "") + std::to_string(hour) + ":" +
         (minute < 10 ? "0" : "") + std::to_string(minute);
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::optional<protocol::Month> last_month(const store::Reader& reader) {
  const auto last = reader.last_report("spreadsheet");
  if (!last) return std::nullopt;
  return protocol::parse_month(last->period);
}

std::optional<Date> last_digest_end(const store::Reader& reader) {
  const auto last = reader.last_report("digest");
  if (!last) return std::nullopt;
  return store::date_from_text(last->period);
}

void spreadsheet(store::Store& store, const config::Config& config, TimePoint now, const std::filesystem::path& scratch,
                 ReportsReport& report) {
  if (local_hour(now) < config.schedule.spreadsheet_hour) return;
  const Date today = local_date(now);
  const auto& holidays = config.schedule.extra_holidays;
  const auto last = last_month(store);
  // The first sheet ispd sends is on a first working day: installed later in a month, it does not send a sheet
  // NWADCS may already have sent by hand.
  if (!last && Date{protocol::first_working_day({today.year(), today.month()}, holidays)} != today) return;
  const auto due = protocol::spreadsheet_due(today, last, holidays);
  if (!due) return;
  const auto rows = protocol::spreadsheet_rows(spreadsheet::whole_log(store), *due);
  auto bytes = spreadsheet::xlsx_bytes(scratch, *due, rows);
  if (!bytes) {
    report.problems.push_back("the spreadsheet for " + protocol::month_name(*due) +
                              " could not be made: " + bytes.error().message);
    return;
  }
  const auto restricted = std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.restricted; });
  std::vector<std::string> recipients{config.nwadcs.address};
  for (auto& p : partners(config)) recipients.push_back(std::move(p));
  const std::string month = protocol::month_text(*due);
  const std::string file_name = "ISP notifications " + month + ".xlsx";
  store.transaction(now, [&](store::Tx& tx) {
    // Decided again on what the transaction sees: a sheet is sent once.
    if (protocol::spreadsheet_due(today, last_month(tx), holidays) != due) return;
    const auto event = tx.append_event(
        {.kind = store::EventKind::report,
         .reference = std::nullopt,
         .actor = "ispd",
         .detail = {{"report", "spreadsheet"}, {"month", month}, {"rows", rows.size()}, {"recipients", recipients}}});
    tx.record_report(event, "spreadsheet", month);
    store::OutboxMail mail;
    mail.kind = store::OutboxKind::spreadsheet;
    mail.recipients = recipients;
    mail.subject = "OFFICIAL-SENSITIVE: ISP spreadsheet for " + protocol::month_name(*due);
    mail.template_data =
        mail_data::Spreadsheet{.month = month,
                               .month_name = protocol::month_name(*due),
                               .rows = rows.size(),
                               .restricted_rows = restricted > 0 ? mail_data::Count(restricted) : std::nullopt,
                               .file_name = file_name,
                               .classification = "OFFICIAL-SENSITIVE"};
    mail.files = {{file_name, spreadsheet::kXlsxType, *bytes}};
    tx.queue_mail(event, mail);
    report.spreadsheet = due;
    report.spreadsheet_rows = rows.size();
  });
}

std::vector<mail_data::FailedMail> failed_mails(const store::Reader& reader, TimePoint from, TimePoint to,
                                                std::size_t& more) {
  std::vector<mail_data::FailedMail> out;
  more = 0;
  for (const auto kind : {store::EventKind::mail_failed, store::EventKind::bounced}) {
    for (const auto& e : reader.events_between(kind, from, to, kListed * 4)) {
      if (out.size() >= kListed) {
        ++more;
        continue;
      }
      const auto mail = e.detail.is_object() && e.detail.contains("message_id") && e.detail["message_id"].is_string()
                            ? reader.find_outbox_by_message_id(e.detail["message_id"].get<std::string>())
                            : std::nullopt;
      Json recipients = e.detail.is_object() ? e.detail.value("recipients", Json::array()) : Json::array();
      std::string who;
      if (recipients.is_array()) {
        for (const auto& r : recipients) {
          if (!r.is_string()) continue;
          if (!who.empty()) who += ", ";
          who += r.get<std::string>();
        }
      }
      const bool has_reply = e.detail.is_object() && e.detail.contains("reply") && e.detail["reply"].is_string();
      out.push_back({.reference = e.reference,
                     .subject = mail ? std::optional(mail->subject) : std::nullopt,
                     .recipients = who.empty() ? std::nullopt : std::optional(who),
                     .reply = has_reply ? std::optional(e.detail["reply"].get<std::string>()) : std::nullopt});
    }
  }
  return out;
}

void digest(store::Store& store, const config::Config& config, TimePoint now, ReportsReport& report) {
  const Date today = local_date(now);
  const int hour = local_hour(now);
  const auto window = protocol::digest_due(today, hour, config.schedule.digest_hour, last_digest_end(store));
  if (!window) return;
  store.transaction(now, [&](store::Tx& tx) {
    if (protocol::digest_due(today, hour, config.schedule.digest_hour, last_digest_end(tx)) != window) return;
    const TimePoint from = local_midnight(window->from);
    const TimePoint to = local_midnight(window->to);
    const Date last_day{std::chrono::sys_days{window->to} - std::chrono::days{1}};
    const auto a = tx.activity(from, to);
    const auto overdue = tx.list_notifications(store::ListedStatus::overdue, today);
    const auto open = tx.list_notifications(store::ListedStatus::open, today);
    const auto waiting = tx.inbound_in_state(store::InboundState::attention);

    mail_data::Digest data{.period = {iso_date(window->from), iso_date(last_day)},
                           .one_day = window->from == last_day,
                           .counts = {.received = a.received,
                                      .logged = a.logged,
                                      .updated = a.updated,
                                      .rescinded = a.rescinded,
                                      .closed = a.closed,
                                      .circulated = a.circulated,
                                      .returned = a.returned,
                                      .attention = a.attention,
                                      .ignored = a.ignored,
                                      .failures = a.failures,
                                      .open = open.size() + overdue.size(),
                                      .overdue = overdue.size(),
                                      .waiting = waiting.size()},
                           .attention_folder = config.mailbox.attention_folder,
                           .classification = "OFFICIAL-SENSITIVE"};
    for (std::size_t i = 0; i < overdue.size() && i < kListed; ++i) {
      const auto& n = overdue[i];
      data.overdue.push_back({.reference = n.reference,
                              .agency = n.agency,
                              .provider = n.provider_name,
                              .review_date = n.review_date ? std::optional(iso_date(*n.review_date)) : std::nullopt});
    }
    for (std::size_t i = 0; i < waiting.size() && i < kListed; ++i) {
      const auto& m = waiting[i];
      data.waiting.push_back({.received = time_words(m.received_at),
                              .message_id = m.message_id.empty() ? std::nullopt : std::optional(m.message_id),
                              .reason = m.reason});
    }
    const auto more = [](std::size_t all) { return all > kListed ? mail_data::Count(all - kListed) : std::nullopt; };
    data.more_overdue = more(overdue.size());
    data.more_waiting = more(waiting.size());
    std::size_t more_failed = 0;
    data.failed_mails = failed_mails(tx, from, to, more_failed);
    if (more_failed > 0) data.more_failed = more_failed;
    const auto event = tx.append_event(
        {.kind = store::EventKind::report,
         .reference = std::nullopt,
         .actor = "ispd",
         .detail = {{"report", "digest"}, {"from", iso_date(window->from)}, {"to", iso_date(window->to)}}});
    tx.record_report(event, "digest", iso_date(window->to));
    store::OutboxMail mail;
    mail.kind = store::OutboxKind::digest;
    mail.recipients = {config.nwadcs.address};
    mail.subject =
        "OFFICIAL-SENSITIVE: ISP mailbox digest for " +
        (window->from == last_day ? day_words(last_day) : day_words(window->from) + " to " + day_words(last_day));
    mail.template_data = data;
    tx.queue_mail(event, mail);
    report.digest = window;
  });
}

struct Alert {
  std::string what;     // the kind: mailbox, quiet, outbox, disk
  std::string subject;  // after "ISP mailbox alert: "
  std::string reason;   // what is wrong, as a sentence
  std::vector<std::string> lines;
  std::string advice;
};

store::OutboxMail alert_mail(const config::Config& config, const Alert& alert) {
  store::OutboxMail mail;
  mail.kind = store::OutboxKind::alert;
  mail.recipients = {config.nwadcs.address};
  mail.subject = "ISP mailbox alert: " + alert.subject;
  mail.template_data = mail_data::Alert{
      .alert = alert.what,
      .reason = alert.reason,
      .alert_lines = alert.lines,
      .advice = alert.advice,
      .alert_every = plural(static_cast<std::size_t>(config.health.alert_every_hours), "hour", "hours")};
  return mail;
}

void send_alert(store::Store& store, const config::Config& config, TimePoint now, const Alert& alert,
                ReportsReport& report) {
  const std::string kind = "alert:" + alert.what;
  const auto every = std::chrono::hours(config.health.alert_every_hours);
  store.transaction(now, [&](store::Tx& tx) {
    const auto last = tx.last_report(kind);
    if (!protocol::alert_allowed(last ? std::optional(last->at) : std::nullopt, now, every)) return;
    const auto event =
        tx.append_event({.kind = store::EventKind::alert,
                         .reference = std::nullopt,
                         .actor = "ispd",
                         .detail = {{"alert", alert.what}, {"reason", alert.reason}, {"lines", alert.lines}}});
    tx.record_report(event, kind, store::time_text(now));
    tx.queue_mail(event, alert_mail(config, alert));
    report.alerts.push_back(alert.what);
  });
}

std::optional<Alert> mailbox_alert(const store::Reader& reader, const config::Config& config, TimePoint now) {
  const int minutes = config.health.mailbox_failing_minutes;
  if (minutes <= 0) return std::nullopt;
  const auto failing = reader.failing(kMailbox);
  if (!failing || now - failing->since < std::chrono::minutes(minutes)) return std::nullopt;
  return Alert{"mailbox",
               "the mailbox cannot be used",
               "Since " + time_words(failing->since) + ", ispd has not been able to use the ISP mailbox " +
                   config.mailbox.url + " as " + config.mailbox.user +
                   ", so no form has been fetched since then. Nothing is lost: mail waits in the mailbox until ispd "
                   "can fetch it.",
               {"The last error, on " + time_words(failing->last) + ": " + failing->error},
               "Check that the mailbox's password, or the app's client secret and permissions in Microsoft 365, "
               "are still valid, that the mail server is up, and what the log says (journalctl -u ispd). ispd "
               "keeps trying at every poll and says nothing more once it gets in."};
}

std::optional<Alert> quiet_alert(const store::Reader& reader, const config::Config& config, TimePoint now) {
  const int days = config.health.quiet_working_days;
  if (days <= 0) return std::nullopt;
  const auto last = reader.last_received();
  if (!last) return std::nullopt;  // nothing has ever come: there is no quiet to measure yet
  const int quiet = protocol::quiet_working_days(local_date(*last), local_date(now), config.schedule.extra_holidays);
  if (quiet < days) return std::nullopt;
  return Alert{"quiet",
               "no mail for " + plural(static_cast<std::size_t>(quiet), "working day", "working days"),
               "No mail at all has come to the ISP mailbox for " +
                   plural(static_cast<std::size_t>(quiet), "working day", "working days") + ": the last came on " +
                   time_words(*last) + ".",
               {},
               "If councils are sending forms, check that mail still reaches the mailbox " + config.mailbox.user +
                   " (a mail rule, a full mailbox, a changed address) and that ispd reads the right folder ([mailbox] "
                   "url in its config)."};
}

std::optional<Alert> outbox_alert(const store::Reader& reader, const config::Config& config, TimePoint now) {
  const int hours = config.health.stuck_hours;
  if (hours <= 0) return std::nullopt;
  const TimePoint queued_before = now - std::chrono::hours(hours);
  const auto last = reader.last_report("alert:outbox");
  const auto stuck = reader.stuck_mail(queued_before, last ? last->at : queued_before, kListed + 1);
  if (stuck.empty()) return std::nullopt;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < stuck.size() && i < kListed; ++i) {
    const auto& m = stuck[i];
    std::string line = "\"" + m.subject + "\", queued on " + time_words(m.created_at) + ": ";
    line += m.state == store::OutboxState::failed ? "given up after " : "still trying after ";
    line += plural(static_cast<std::size_t>(m.attempts), "attempt", "attempts");
    if (m.last_error) line += "; " + *m.last_error;
    lines.push_back(std::move(line));
  }
  if (stuck.size() > kListed) lines.emplace_back("and more: ispd show REF lists each notification's mails");
  return Alert{"outbox", plural(std::min(stuck.size(), kListed), "mail has", "mails have") + " not gone out",
               "Mail that ispd queued has not gone out: still waiting after " +
                   plural(static_cast<std::size_t>(hours), "hour", "hours") + ", or given up on.",
               lines,
               "Check that the SMTP server " + config.smtp.url +
                   " takes mail from ispd (its password or the app's permissions, a sending limit) and what the log "
                   "says (journalctl -u ispd). Mail still waiting goes as soon as the server takes it; mail given up "
                   "on must be sent by hand."};
}

std::optional<Alert> disk_alert(const config::Config& config, const DiskProbe& disk) {
  const int percent = config.health.disk_free_percent;
  if (percent <= 0 || !disk) return std::nullopt;
  std::vector<std::string> lines;
  const std::filesystem::path database(config.store.database);
  for (const auto& folder : {database.parent_path(), std::filesystem::path(config.store.archive_dir)}) {
    if (folder.empty()) continue;
    const auto space = disk(folder);
    if (!space || !protocol::disk_nearly_full(space->available, space->capacity, percent)) continue;
    const auto mib = [](std::uintmax_t bytes) { return std::to_string(bytes >> 20) + " MiB"; };
    lines.push_back(folder.string() + ": " + mib(space->available) + " free of " + mib(space->capacity));
  }
  if (lines.empty()) return std::nullopt;
  return Alert{"disk", "the disk is nearly full",
               "The disk that holds ispd's log and filed forms has less than " + std::to_string(percent) +
                   "% free. When it is full, ispd stops: the forms stay in the inbox of the ISP mailbox, unmoved, "
                   "and are processed once space is freed; until then nothing more is logged or circulated.",
               lines,
               "Free space on the disk, or give it more. ispd's own files are the database and the filed forms, "
               "which must not be deleted by hand; records past their retention period are erased by ispd itself."};
}

Alert storage_alert(const config::Config& config, const store::StorageFailure& failure, TimePoint since) {
  const bool database = failure.part() == store::StoragePart::database;
  return Alert{
      "storage",
      "ispd cannot write to its storage",
      "Since " + time_words(since) + ", ispd cannot write to " + (database ? "its database" : "its archive of forms") +
          ": " + failure.path() + ": " + failure.cause() +
          ". No form is lost: the forms stay in the inbox of the ISP mailbox " + config.mailbox.user +
          ", unmoved, and ispd processes every one of them once this is fixed. Until then nothing more is logged, "
          "circulated or answered.",
      {},
      "Free space on the disk that holds " + failure.path() +
          " (or give it more), or make it writable by ispd again, as the cause says. ispd tries again at every "
          "poll. Do not delete ispd's database or filed forms by hand; records past their retention period are "
          "erased by ispd itself."};
}

// NWADCS was told directly within `every` of now.
bool marker_fresh(const std::filesystem::path& marker, TimePoint now, std::chrono::hours every) {
  std::error_code error;
  const auto written = std::filesystem::last_write_time(marker, error);
  if (error) return false;
  const auto at = std::chrono::time_point_cast<TimePoint::duration>(std::chrono::file_clock::to_sys(written));
  return !protocol::alert_allowed(at, now, every);
}

// The marker made (or made again) with `now` as its time; false if it cannot be.
bool mark_told(const std::filesystem::path& marker, TimePoint now) {
  {
    std::ofstream touch(marker, std::ios::trunc);
    if (!touch) return false;
  }
  std::error_code error;
  std::filesystem::last_write_time(
      marker,
      std::chrono::time_point_cast<std::filesystem::file_time_type::duration>(std::chrono::file_clock::from_sys(now)),
      error);
  return !error;
}

StorageAlertResult tell_directly(store::Store& store, const config::Config& config, TimePoint now,
                                 const store::StorageFailure& failure, const outbox::Connect& connect,
                                 std::optional<TimePoint>& told_directly) {
  const auto every = std::chrono::hours(config.health.alert_every_hours);
  const auto marker = storage_alert_marker(config);
  // What the database still says (it can be read when it cannot be written).
  std::optional<store::Failing> before;
  std::optional<TimePoint> last;
  try {
    before = store.failing(kStorage);
    if (const auto report = store.last_report(kStorageAlert)) last = report->at;
  } catch (const std::exception&) {
  }
  if (marker_fresh(marker, now, every) || (before && !protocol::alert_allowed(last, now, every)) ||
      (told_directly && !protocol::alert_allowed(told_directly, now, every))) {
    return {StorageAlert::already_told, {}};
  }
  if (!mark_told(marker, now)) told_directly = now;
  const auto mail = alert_mail(config, storage_alert(config, failure, before ? before->since : now));
  store::OutboxRow row;
  row.message_id = store.new_message_id();
  row.kind = mail.kind;
  row.subject = mail.subject;
  row.template_data = mail.template_data;
  row.created_at = now;
  for (const auto& to : mail.recipients) {
    store::Delivery delivery;
    delivery.recipient = to;
    row.deliveries.push_back(std::move(delivery));
  }
  auto sent = outbox::send_now(row, connect, config);
  if (!sent) {
    // Not told after all: the next run tries again.
    std::error_code error;
    std::filesystem::remove(marker, error);
    told_directly.reset();
    return {StorageAlert::not_sent, sent.error().message};
  }
  told_directly = now;
  return {StorageAlert::sent_directly, {}};
}

}  // namespace

StorageAlertResult alert_storage_failure(store::Store& store, const config::Config& config, TimePoint now,
                                         const store::StorageFailure& failure, const outbox::Connect& connect,
                                         std::optional<TimePoint>& told_directly) {
  // A database that failed may take a small write and not the next one: nothing is asked of it.
  if (failure.part() == store::StoragePart::database) {
    return tell_directly(store, config, now, failure, connect, told_directly);
  }
  const auto every = std::chrono::hours(config.health.alert_every_hours);
  try {
    return store.transaction(now, [&](store::Tx& tx) -> StorageAlertResult {
      const bool known = tx.failing(kStorage).has_value();
      const TimePoint since = tx.note_failing(kStorage, failure.what());
      const auto last = tx.last_report(kStorageAlert);
      // Told once when it starts, then at most once every alert_every_hours while it lasts.
      if ((known && !protocol::alert_allowed(last ? std::optional(last->at) : std::nullopt, now, every)) ||
          marker_fresh(storage_alert_marker(config), now, every)) {
        return {StorageAlert::already_told, {}};
      }
      const auto alert = storage_alert(config, failure, since);
      const auto event = tx.append_event({.kind = store::EventKind::alert,
                                          .reference = std::nullopt,
                                          .actor = "ispd",
                                          .detail = {{"alert", alert.what}, {"reason", alert.reason}}});
      tx.record_report(event, kStorageAlert, store::time_text(now));
      tx.queue_mail(event, alert_mail(config, alert));
      return {StorageAlert::queued, {}};
    });
  } catch (const store::StorageFailure&) {
    // The database cannot take the alert either: it goes at once, with nothing recorded.
    return tell_directly(store, config, now, failure, connect, told_directly);
  }
}

void storage_works(store::Store& store, const config::Config& config, TimePoint now) {
  std::error_code error;
  std::filesystem::remove(storage_alert_marker(config), error);
  if (store.failing(kStorage)) store.transaction(now, [&](store::Tx& tx) { tx.note_working(kStorage); });
}

std::filesystem::path storage_alert_marker(const config::Config& config) {
  return std::filesystem::path(config.store.database + ".storage-alert");
}

DiskProbe real_disk() {
  return [](const std::filesystem::path& folder) -> std::optional<DiskSpace> {
    std::error_code error;
    const auto space = std::filesystem::space(folder, error);
    if (error) return std::nullopt;
    return DiskSpace{space.available, space.capacity};
  };
}

std::vector<std::string> partners(const config::Config& config) {
  std::vector<std::string> out;
  for (const auto& list : config.lists) {
    if (list.audience != "partners") continue;
    for (const auto& member : list.members) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const std::string& kept) {
        return text::lowercase(kept) == text::lowercase(member);
      });
      if (!seen) out.push_back(member);
    }
  }
  return out;
}

void note_mailbox(store::Store& store, TimePoint now, const std::optional<std::string>& error) {
  if (error) {
    store.transaction(now, [&](store::Tx& tx) { tx.note_failing(kMailbox, *error); });
  } else if (store.failing(kMailbox)) {
    store.transaction(now, [&](store::Tx& tx) { tx.note_working(kMailbox); });
  }
}

ReportsReport run_reports(store::Store& store, const config::Config& config, const Clock& clock, const DiskProbe& disk,
                          const std::filesystem::path& scratch) {
  const TimePoint now = clock();
  ReportsReport report;
  spreadsheet(store, config, now, scratch, report);
  digest(store, config, now, report);
  const auto alert = [&](const std::optional<Alert>& due) {
    if (due) send_alert(store, config, now, *due, report);
  };
  alert(mailbox_alert(store, config, now));
  alert(quiet_alert(store, config, now));
  alert(outbox_alert(store, config, now));
  alert(disk_alert(config, disk));
  return report;
}

}  // namespace ispd::reports
