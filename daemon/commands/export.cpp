// `ispd export`: the monthly spreadsheet of the log, as an .xlsx file.
// Built into the module ispd-mail.so with the other commands (commands/module.hpp).

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/config/config.hpp"
#include "daemon/config/now.hpp"
#include "daemon/jobs/spreadsheet.hpp"
#include "daemon/protocol/calendar.hpp"
#include "daemon/protocol/monthly_report.hpp"
#include "store/store.hpp"
#include "util/exit_codes.hpp"

namespace {

int run_export(const std::string& config_path, const std::string& month_arg, const std::string& out) {
  std::optional<ispd::protocol::Month> month;
  if (!month_arg.empty()) {
    month = ispd::protocol::parse_month(month_arg);
    if (!month) {
      std::cerr << "ispd: --month \"" << month_arg << "\" is not a month; give the year and month, such as 2026-05\n";
      return ispd::kExitUsage;
    }
  }
  auto loaded = ispd::config::load(config_path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << '\n';
    return ispd::kExitBadConfig;
  }
  const auto fixed = ispd::config::fixed_now();
  if (!fixed) {
    std::cerr << "ispd: " << fixed.error().message << '\n';
    return ispd::kExitBadConfig;
  }
  const auto at = fixed->value_or(std::chrono::system_clock::now());
  // The sheet is made at the start of a month, for the month just ended.
  if (!month) month = ispd::protocol::previous_month(ispd::local_date(at));

  // Reading a database that is not there would only make an empty one.
  const auto& database = loaded.config.store.database;
  std::error_code error;
  if (!std::filesystem::exists(database, error)) {
    std::cerr << "ispd: the database " << database << " does not exist ([store] database in " << config_path << ")\n";
    return ispd::kExitProblems;
  }
  auto store = ispd::store::Store::open(database);
  if (!store) {
    std::cerr << "ispd: the database " << database << " " << store.error().message << '\n';
    return ispd::kExitProblems;
  }
  const auto log = ispd::spreadsheet::whole_log(store.value());
  const auto rows = ispd::protocol::spreadsheet_rows(log, *month);
  const auto written = ispd::spreadsheet::write_xlsx(out, *month, rows);
  if (!written) {
    std::cerr << "ispd: " << written.error().message << '\n';
    return ispd::kExitProblems;
  }
  std::cout << out << ": " << rows.size() << (rows.size() == 1 ? " notification" : " notifications") << " for "
            << ispd::protocol::month_name(*month) << '\n';
  return 0;
}

}  // namespace

// `ispd export --config FILE [--month YYYY-MM] --out FILE.xlsx`
ISPD_MODULE_COMMAND ispd_export(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_export(args->config, args->month, args->out); });
}
