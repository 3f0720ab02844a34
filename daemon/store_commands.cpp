// The commands that use the mailbox and the store: run, list, show, reprocess, close.
// Built into the module ispd-mail.so with the mail commands (mail_module.hpp).

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "daemon/chase.hpp"
#include "daemon/config.hpp"
#include "daemon/intake.hpp"
#include "daemon/mail_module.hpp"
#include "daemon/mail_settings.hpp"
#include "daemon/module_guard.hpp"
#include "daemon/poll.hpp"
#include "daemon/poller_lock.hpp"
#include "daemon/reports.hpp"
#include "daemon/send.hpp"
#include "daemon/service.hpp"
#include "mail/imap.hpp"
#include "mail/smtp.hpp"
#include "parsing/form.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"

namespace {

using ispd::store::TimePoint;

// Exit codes beyond 0 (done) and 1 (unknown reference, a bad config or store).
constexpr int kExitMailbox = 3;     // the mailbox could not be reached or used; nothing lost
constexpr int kExitLocked = 75;     // EX_TEMPFAIL: another ispd is polling
constexpr int kExitBadConfig = 78;  // EX_CONFIG

// Warnings are for the commands that act on the config (run); check-config shows them too.
std::optional<ispd::config::Config> load_config(const std::string& path, bool warn = false) {
  auto loaded = ispd::config::load(path);
  if (warn) {
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << '\n';
  }
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << '\n';
    return std::nullopt;
  }
  return std::move(loaded.config);
}

// ISPD_NOW (e.g. 2026-05-01T09:00:00Z) fixes the clock for demos and tests.
std::optional<ispd::intake::Clock> make_clock() {
  const char* fixed = std::getenv("ISPD_NOW");
  if (fixed == nullptr || *fixed == '\0') {
    return ispd::intake::Clock([] { return std::chrono::system_clock::now(); });
  }
  try {
    const TimePoint at = ispd::store::time_from_text(fixed);
    return ispd::intake::Clock([at] { return at; });
  } catch (const std::exception&) {
    std::cerr << "ispd: ISPD_NOW \"" << fixed << "\" is not a time such as 2026-05-01T09:00:00Z\n";
    return std::nullopt;
  }
}

// The domain of "Name <user@domain>" or "user@domain", for ispd's own Message-IDs.
std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string domain(address.substr(at + 1));
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
  return domain;
}

// The poller commits in groups (poll.hpp); every other command commits durably each time.
std::optional<ispd::store::Store> open_store(const ispd::config::Config& config, bool group_commit = false) {
  ispd::store::StoreOptions options;
  options.archive_dir = config.store.archive_dir;
  options.group_commit = group_commit;
  std::string domain = domain_of(config.smtp.from);
  if (domain.empty()) domain = domain_of(config.nwadcs.address);
  if (!domain.empty()) options.message_id_domain = domain;
  auto store = ispd::store::Store::open(config.store.database, options);
  if (!store) {
    std::cerr << "ispd: the database " << config.store.database << " " << store.error().message << '\n';
    return std::nullopt;
  }
  return std::move(store).value();
}

// What every command here starts from: the config, the clock and the store.
struct Setup {
  ispd::config::Config config;
  ispd::intake::Clock clock;
  ispd::store::Store store;
};

// The setup, or the exit code of what failed (its message already printed).
std::variant<Setup, int> set_up(const std::string& config_path) {
  auto config = load_config(config_path);
  if (!config) return kExitBadConfig;
  auto clock = make_clock();
  if (!clock) return kExitBadConfig;
  auto store = open_store(*config);
  if (!store) return 1;
  return Setup{std::move(*config), std::move(*clock), std::move(*store)};
}

ispd::Date today(const ispd::intake::Clock& clock) {
  return ispd::Date{std::chrono::floor<std::chrono::days>(clock())};
}

// What ispd does in one cycle — the daily jobs, a poll of the mailbox, sending the outbox — for `run --once`
// (which prints what it did) and for the daemon's loop (which logs it). One Cycle serves one thread.
class Cycle final : public ispd::service::Work {
 public:
  Cycle(ispd::store::Store& store, ispd::intake::Clock clock, bool once)
      : store_(store), clock_(std::move(clock)), once_(once), log_(spdlog::get("daemon")) {}

  void poll(const ispd::config::Config& config, const std::function<bool()>& stop_requested) override {
    exit_code_ = poll_mailbox(config, stop_requested);
    if (stop_requested && stop_requested()) return;
    // What was decided before a mailbox failure is still sent.
    const int sent = send_outbox(config, stop_requested);
    if (exit_code_ == 0) exit_code_ = sent;
  }

  void send(const ispd::config::Config& config) override { send_outbox(config, {}); }

  // `run --once`: the mailbox first, so the daily jobs see what it brought (a rescind ends the chasing), then
  // everything that was queued goes out.
  int once(const ispd::config::Config& config) {
    exit_code_ = poll_mailbox(config, {});
    daily(config);
    const int sent = send_outbox(config, {});
    return exit_code_ != 0 ? exit_code_ : sent;
  }

  // The daily jobs: each decides for itself what is due, so running them more often changes nothing.
  void daily(const ispd::config::Config& config) override {
    const auto chased = ispd::chase::run_chasers(store_, config, clock_);
    if (once_ || chased.chasers + chased.close_requests + chased.erased > 0) {
      say(std::to_string(chased.chasers) + (chased.chasers == 1 ? " chaser" : " chasers") + " queued (" +
          std::to_string(chased.escalations) + " copied to NWADCS, " + std::to_string(chased.skipped) +
          " missed while stopped and skipped), " + std::to_string(chased.close_requests) + " close " +
          (chased.close_requests == 1 ? "request" : "requests") + ", " + std::to_string(chased.erased) +
          " past retention erased");
    }
    // The spreadsheet is written beside the database, in ispd's own state folder, before it is stored.
    const auto database = std::filesystem::path(config.store.database);
    const auto scratch = database.has_parent_path() ? database.parent_path() : std::filesystem::path(".");
    const auto reported = ispd::reports::run_reports(store_, config, clock_, ispd::reports::real_disk(), scratch);
    if (reported.spreadsheet) {
      say("the spreadsheet for " + ispd::protocol::month_name(*reported.spreadsheet) + " (" +
          std::to_string(reported.spreadsheet_rows) + " notifications) queued to NWADCS and the partners");
    }
    if (reported.digest) say("the daily digest queued to NWADCS");
    for (const auto& alert : reported.alerts) say("health alert queued to NWADCS: " + alert);
    for (const auto& problem : reported.problems) complain(problem + "; the next run tries again");
  }

 private:
  void say(const std::string& line) const {
    if (once_) {
      std::cout << "ispd: " << line << '\n';
    } else {
      log_->info("{}", line);
    }
  }
  void complain(const std::string& line) const {
    if (once_) {
      std::cerr << "ispd: " << line << '\n';
    } else {
      log_->error("{}", line);
    }
  }

  int poll_mailbox(const ispd::config::Config& config, const std::function<bool()>& stop_requested) {
    const auto settings = ispd::imap_settings(config, tokens_);
    // A secret that cannot be read is a bad config; a token that cannot be had, a mailbox that cannot be used.
    if (!settings && !ispd::check_secrets(config)) {
      complain(settings.error().message);
      return kExitBadConfig;
    }
    auto mailbox = settings ? ispd::mail::ImapMailbox::connect(*settings)
                            : ispd::Result<std::unique_ptr<ispd::mail::ImapMailbox>>(settings.error());
    if (!mailbox) {
      // Noted, so that NWADCS is alerted if it goes on ([health] mailbox_failing_minutes).
      ispd::reports::note_mailbox(store_, clock_(), mailbox.error().message);
      // The token may be what was refused: the next poll asks for a new one.
      if (config.mailbox.auth == "xoauth2") tokens_.forget();
      complain("mailbox " + config.mailbox.url + ": " + mailbox.error().message +
               "; nothing was fetched, the next run tries again");
      return kExitMailbox;
    }
    ispd::reports::note_mailbox(store_, clock_(), std::nullopt);
    const auto report = ispd::intake::poll_inbox(*mailbox.value(), store_, config, clock_, stop_requested);
    if (!report) {
      complain("mailbox " + config.mailbox.url + ": " + report.error().message +
               "; what was done is kept, the next run carries on");
      return kExitMailbox;
    }
    if (once_ || report->seen > 0) {
      say(std::to_string(report->seen) + (report->seen == 1 ? " mail" : " mails") + " in the inbox: " +
          std::to_string(report->processed) + " processed, " + std::to_string(report->returned) + " returned, " +
          std::to_string(report->attention) + " for attention, " + std::to_string(report->ignored) + " automatic, " +
          std::to_string(report->repeats) + " already handled, " + std::to_string(report->failed) +
          " left to try again" +
          (report->left > 0 ? ", " + std::to_string(report->left) + " left for the next poll" : ""));
    }
    return 0;
  }

  // Sends every mail due in the outbox; 0, or kExitMailbox when the SMTP server could not be used.
  int send_outbox(const ispd::config::Config& config, const std::function<bool()>& stop_requested) {
    const auto settings = ispd::smtp_settings(config, tokens_);
    if (!settings) {
      const bool bad_config = !ispd::check_secrets(config);
      complain(bad_config ? settings.error().message
                          : "smtp " + config.smtp.url + ": " + settings.error().message +
                                "; nothing is lost, the next run sends what is left");
      return bad_config ? kExitBadConfig : kExitMailbox;
    }
    const auto sent =
        ispd::outbox::drain_outbox(store_, ispd::outbox::smtp_connect(*settings), config, clock_, stop_requested);
    if (!sent) {
      if (config.smtp.auth == "xoauth2") tokens_.forget();
      complain("smtp " + config.smtp.url + ": " + sent.error().message +
               "; nothing is lost, the next run sends what is left");
      return kExitMailbox;
    }
    if (once_ || sent->mails > 0) {
      say(std::to_string(sent->mails) + (sent->mails == 1 ? " mail" : " mails") + " sent: " +
          std::to_string(sent->accepted) + " copies delivered, " + std::to_string(sent->deferred) + " deferred, " +
          std::to_string(sent->refused) + " refused; " + std::to_string(sent->retrying) + " to try again, " +
          std::to_string(sent->gave_up) + " given up");
    }
    return 0;
  }

  ispd::store::Store& store_;
  ispd::intake::Clock clock_;
  bool once_;
  std::shared_ptr<spdlog::logger> log_;
  // One OAuth2 token for the mailbox and the SMTP server, kept from poll to poll.
  ispd::MailTokens tokens_;
  int exit_code_ = 0;
};

// `ispd run`: one cycle with --once, else the daemon until SIGTERM.
int run(const std::string& config_path, bool once) {
  auto log = spdlog::stderr_color_mt("daemon");
  auto config = load_config(config_path, true);
  if (!config) return kExitBadConfig;
  const auto clock = make_clock();
  if (!clock) return kExitBadConfig;
  auto lock = ispd::PollerLock::take(config->store.database);
  if (!lock) {
    std::cerr << "ispd: " << lock.error().message << '\n';
    return kExitLocked;
  }
  auto store = open_store(*config, true);
  if (!store) return 1;
  // Attempts cut short when ispd last stopped go back to pending: every recipient not recorded is tried again.
  store->transaction((*clock)(), [](ispd::store::Tx& tx) { tx.requeue_interrupted(); });
  Cycle cycle(*store, *clock, once);
  if (once) return cycle.once(*config);
  return ispd::service::run(config_path, std::move(*config), cycle);
}

std::string text_or(const std::optional<std::string>& text, const char* fallback) {
  return text && !text->empty() ? *text : fallback;
}

nlohmann::ordered_json listed(const ispd::store::Notification& n, ispd::Date day) {
  nlohmann::ordered_json item;
  item["reference"] = n.reference;
  item["status"] = ispd::store::to_string(ispd::store::listed_status(n, day));
  item["stage"] = ispd::to_string(n.stage);
  item["agency"] = n.agency;
  item["provider_name"] = n.provider_name ? nlohmann::ordered_json(*n.provider_name) : nullptr;
  item["company_number"] =
      n.form.provider.company_number ? nlohmann::ordered_json(*n.form.provider.company_number) : nullptr;
  item["review_date"] = n.review_date ? nlohmann::ordered_json(ispd::iso_date(*n.review_date)) : nullptr;
  return item;
}

int run_list(const std::string& config_path, const std::string& status, bool json) {
  std::optional<ispd::store::ListedStatus> filter;
  if (!status.empty()) {
    filter = ispd::store::listed_status_from_string(status);
    if (!filter) {
      std::cerr << "ispd: unknown status \"" << status << "\"; use open, overdue, rescinded or closed\n";
      return 2;
    }
  }
  auto setup = set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto day = today(clock);
  const auto notifications = store.list_notifications(filter, day);
  if (json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& n : notifications) out.push_back(listed(n, day));
    std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return 0;
  }
  if (notifications.empty()) {
    std::cout << "no notifications" << (status.empty() ? "" : " with status " + status) << '\n';
    return 0;
  }
  std::cout << std::left << std::setw(15) << "REFERENCE" << std::setw(10) << "STATUS" << std::setw(19) << "STAGE"
            << std::setw(12) << "REVIEW" << std::setw(28) << "AGENCY" << "PROVIDER\n";
  for (const auto& n : notifications) {
    std::cout << std::setw(15) << n.reference << std::setw(10)
              << ispd::store::to_string(ispd::store::listed_status(n, day)) << std::setw(19)
              << ispd::to_string(n.stage) << std::setw(12)
              << (n.review_date ? ispd::iso_date(*n.review_date) : std::string("-")) << std::setw(28) << n.agency
              << text_or(n.provider_name, "-") << '\n';
  }
  return 0;
}

int run_show(const std::string& config_path, const std::string& reference, bool json) {
  auto setup = set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto history = store.show(reference);
  if (!history) {
    std::cerr << "ispd: no notification " << reference << " in the log\n";
    return 1;
  }
  const auto& n = history->notification;
  const auto day = today(clock);
  if (json) {
    auto out = listed(n, day);
    out["confidentiality"] =
        n.confidentiality ? nlohmann::ordered_json(ispd::to_string(*n.confidentiality)) : nullptr;
    out["form"] = ispd::to_json(n.form);
    out["events"] = nlohmann::ordered_json::array();
    for (const auto& e : history->events) {
      out["events"].push_back({{"at", ispd::store::time_text(e.at)},
                               {"kind", ispd::store::to_string(e.kind)},
                               {"actor", e.actor},
                               {"detail", e.detail}});
    }
    out["mails"] = nlohmann::ordered_json::array();
    for (const auto& m : history->mails) {
      nlohmann::ordered_json mail = {{"kind", ispd::store::to_string(m.kind)},
                                     {"subject", m.subject},
                                     {"state", ispd::store::to_string(m.state)},
                                     {"recipients", nlohmann::ordered_json::array()}};
      mail["message_id"] = m.message_id;
      mail["sent_at"] = m.sent_at ? nlohmann::ordered_json(ispd::store::time_text(*m.sent_at)) : nullptr;
      mail["deliveries"] = nlohmann::ordered_json::array();
      for (const auto& d : m.deliveries) {
        mail["recipients"].push_back(d.recipient);
        mail["deliveries"].push_back(
            {{"recipient", d.recipient},
             {"state", ispd::store::to_string(d.state)},
             {"at", d.at ? nlohmann::ordered_json(ispd::store::time_text(*d.at)) : nullptr},
             {"reply", d.smtp_reply ? nlohmann::ordered_json(*d.smtp_reply) : nullptr}});
      }
      out["mails"].push_back(std::move(mail));
    }
    std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return 0;
  }
  std::cout << n.reference << "  " << ispd::store::to_string(ispd::store::listed_status(n, day)) << ", stage "
            << ispd::to_string(n.stage) << '\n'
            << "  provider:        " << text_or(n.provider_name, "-") << '\n'
            << "  issuing agency:  " << n.agency << '\n'
            << "  confidentiality: " << (n.confidentiality ? ispd::to_string(*n.confidentiality) : "-") << '\n'
            << "  review date:     " << (n.review_date ? ispd::iso_date(*n.review_date) : std::string("-")) << '\n'
            << "history:\n";
  for (const auto& e : history->events) {
    std::cout << "  " << ispd::store::time_text(e.at) << "  " << std::left << std::setw(20)
              << ispd::store::to_string(e.kind) << e.actor << '\n';
  }
  std::cout << "mails:\n";
  for (const auto& m : history->mails) {
    std::cout << "  " << std::left << std::setw(16) << ispd::store::to_string(m.kind) << std::setw(9)
              << ispd::store::to_string(m.state) << m.deliveries.size()
              << (m.deliveries.size() == 1 ? " recipient  " : " recipients  ") << m.subject << '\n';
    // Who got it, when, and what their server said.
    for (const auto& d : m.deliveries) {
      std::cout << "      " << std::left << std::setw(10) << ispd::store::to_string(d.state)
                << std::setw(22) << (d.at ? ispd::store::time_text(*d.at) : std::string("-")) << d.recipient
                << (d.smtp_reply ? "  " + *d.smtp_reply : std::string()) << '\n';
    }
  }
  return 0;
}

// The attention items a reference or a Message-ID names.
std::vector<ispd::store::InboundMessage> attention_items(const ispd::store::Store& store, std::string target) {
  std::vector<ispd::store::InboundMessage> found;
  if (auto history = store.show(target)) {
    for (const auto& e : history->events) {
      if (!e.inbound_id) continue;
      auto mail = store.find_inbound(*e.inbound_id);
      if (!mail || mail->state != ispd::store::InboundState::attention) continue;
      bool seen = false;
      for (const auto& f : found) seen = seen || f.id == mail->id;
      if (!seen) found.push_back(*mail);
    }
    return found;
  }
  if (target.size() > 2 && target.front() == '<' && target.back() == '>') target = target.substr(1, target.size() - 2);
  for (auto& mail : store.find_inbound_by_message_id(target)) {
    if (mail.state == ispd::store::InboundState::attention) found.push_back(std::move(mail));
  }
  return found;
}

// NWADCS closes a notification; its log mail goes with the next run.
int run_close(const std::string& config_path, const std::string& reference) {
  auto setup = set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto closed = ispd::chase::close_notification(store, config, clock(), reference);
  if (!closed) {
    std::cerr << "ispd: " << closed.error().message << '\n';
    return 1;
  }
  std::cout << reference << " is closed (no further concerns); NWADCS's log mail goes with the next run\n";
  return 0;
}

int run_reprocess(const std::string& config_path, const std::string& target) {
  auto log = spdlog::stderr_color_mt("daemon");
  auto setup = set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto items = attention_items(store, target);
  if (items.empty()) {
    std::cerr << "ispd: nothing needs attention under " << target
              << " (give a notification's reference or a mail's Message-ID)\n";
    return 1;
  }
  for (const auto& item : items) {
    const auto raw = store.inbound_raw(item.id);
    if (!raw) continue;
    const auto outcome = ispd::intake::process_inbound(store, item.id, *raw, config, clock());
    std::cout << "<" << item.message_id << ">: " << ispd::store::to_string(outcome.state) << " — " << outcome.reason
              << '\n';
    if (outcome.state != ispd::store::InboundState::attention) {
      std::cout << "  the mail itself stays in \"" << config.mailbox.attention_folder
                << "\"; it is handled now, so it may be moved to \"" << config.mailbox.processed_folder << "\"\n";
    }
  }
  return 0;
}

}  // namespace

#define ISPD_MODULE_COMMAND extern "C" __attribute__((visibility("default"))) int

// `ispd run --config FILE [--once]`
ISPD_MODULE_COMMAND ispd_run(const IspdModuleArgs* args) {
  return ispd::guarded([&] {
    return run(args->config, args->once != 0);
  });
}

// `ispd list --config FILE [--json] [--status S]`
ISPD_MODULE_COMMAND ispd_list(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_list(args->config, args->status, args->json != 0); });
}

// `ispd show --config FILE REF`
ISPD_MODULE_COMMAND ispd_show(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_show(args->config, args->path, args->json != 0); });
}

// `ispd reprocess --config FILE REF-or-MESSAGE`
ISPD_MODULE_COMMAND ispd_reprocess(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_reprocess(args->config, args->path); });
}

// `ispd close --config FILE REF`
ISPD_MODULE_COMMAND ispd_close(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_close(args->config, args->path); });
}
