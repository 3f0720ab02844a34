// `ispd list` and `ispd show`: the log, and one notification with its history.

#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/commands/setup.hpp"
#include "parsing/form.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "util/exit_codes.hpp"

namespace {

using ispd::commands::Setup;

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
      return ispd::kExitUsage;
    }
  }
  auto setup = ispd::commands::set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto day = ispd::commands::today(clock);
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
            << std::setw(12) << "REVIEW" << std::setw(28) << "AGENCY"
            << "PROVIDER\n";
  for (const auto& n : notifications) {
    std::cout << std::setw(15) << n.reference << std::setw(10)
              << ispd::store::to_string(ispd::store::listed_status(n, day)) << std::setw(19) << ispd::to_string(n.stage)
              << std::setw(12) << (n.review_date ? ispd::iso_date(*n.review_date) : std::string("-")) << std::setw(28)
              << n.agency << text_or(n.provider_name, "-") << '\n';
  }
  return 0;
}

int run_show(const std::string& config_path, const std::string& reference, bool json) {
  auto setup = ispd::commands::set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto history = store.show(reference);
  if (!history) {
    std::cerr << "ispd: no notification " << reference << " in the log\n";
    return ispd::kExitProblems;
  }
  const auto& n = history->notification;
  const auto day = ispd::commands::today(clock);
  if (json) {
    auto out = listed(n, day);
    out["confidentiality"] = n.confidentiality ? nlohmann::ordered_json(ispd::to_string(*n.confidentiality)) : nullptr;
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
        mail["deliveries"].push_back({{"recipient", d.recipient},
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
      std::cout << "      " << std::left << std::setw(10) << ispd::store::to_string(d.state) << std::setw(22)
                << (d.at ? ispd::store::time_text(*d.at) : std::string("-")) << d.recipient
                << (d.smtp_reply ? "  " + *d.smtp_reply : std::string()) << '\n';
    }
  }
  return 0;
}

}  // namespace

// `ispd list --config FILE [--json] [--status S]`
ISPD_MODULE_COMMAND ispd_list(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_list(args->config, args->status, args->json != 0); });
}

// `ispd show --config FILE REF [--json]`
ISPD_MODULE_COMMAND ispd_show(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_show(args->config, args->path, args->json != 0); });
}
