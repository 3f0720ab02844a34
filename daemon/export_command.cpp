// `ispd export`: the monthly spreadsheet of the log, as an .xlsx file.
// Built into the module ispd-mail.so with the store commands (mail_module.hpp).

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>

#include "daemon/config.hpp"
#include "daemon/mail_module.hpp"
#include "daemon/module_guard.hpp"
#include "daemon/protocol/monthly_report.hpp"
#include "daemon/protocol/uk_calendar.hpp"
#include "daemon/spreadsheet.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"

namespace {

constexpr int kExitUsage = 2;       // a --month that is no month
constexpr int kExitBadConfig = 78;  // EX_CONFIG, as the other store commands

// ISPD_NOW (e.g. 2026-06-01T09:00:00Z) fixes the clock for demos and tests.
std::optional<ispd::store::TimePoint> now() {
  const char* fixed = std::getenv("ISPD_NOW");
  if (fixed == nullptr || *fixed == '\0') return std::chrono::system_clock::now();
  try {
    return ispd::store::time_from_text(fixed);
  } catch (const std::exception&) {
    std::cerr << "ispd: ISPD_NOW \"" << fixed << "\" is not a time such as 2026-05-01T09:00:00Z\n";
    return std::nullopt;
  }
}

int run_export(const std::string& config_path, const std::string& month_arg, const std::string& out) {
  std::optional<ispd::protocol::Month> month;
  if (!month_arg.empty()) {
    month = ispd::protocol::parse_month(month_arg);
    if (!month) {
      std::cerr << "ispd: --month \"" << month_arg << "\" is not a month; give the year and month, such as 2026-05\n";
      return kExitUsage;
    }
  }
  auto loaded = ispd::config::load(config_path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << '\n';
    return kExitBadConfig;
  }
  const auto at = now();
  if (!at) return kExitBadConfig;
  // The sheet is made at the start of a month, for the month just ended.
  if (!month) month = ispd::protocol::previous_month(ispd::protocol::uk_date(*at));

  // Reading a database that is not there would only make an empty one.
  const auto& database = loaded.config.store.database;
  std::error_code error;
  if (!std::filesystem::exists(database, error)) {
    std::cerr << "ispd: the database " << database << " does not exist ([store] database in "
              << config_path << ")\n";
    return 1;
  }
  auto store = ispd::store::Store::open(database);
  if (!store) {
    std::cerr << "ispd: the database " << database << " " << store.error().message << '\n';
    return 1;
  }
  const auto log = ispd::spreadsheet::whole_log(store.value());
  const auto rows = ispd::protocol::spreadsheet_rows(log, *month);
  const auto written = ispd::spreadsheet::write_xlsx(out, *month, rows);
  if (!written) {
    std::cerr << "ispd: " << written.error().message << '\n';
    return 1;
  }
  std::cout << out << ": " << rows.size() << (rows.size() == 1 ? " notification" : " notifications") << " for "
            << ispd::protocol::month_name(*month) << '\n';
  return 0;
}

}  // namespace

// `ispd export --config FILE [--month YYYY-MM] --out FILE.xlsx`
extern "C" __attribute__((visibility("default"))) int ispd_export(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_export(args->config, args->month, args->out); });
}
