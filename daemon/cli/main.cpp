// ispd: the ISP mailbox daemon and its command line.

#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/commands/module.hpp"
#include "daemon/config/config.hpp"
#include "daemon/config/now.hpp"
#include "daemon/config/secrets.hpp"
#include "daemon/protocol/local_date.hpp"
#include "daemon/protocol/validation.hpp"
#include "parsing/parse.hpp"
#include "util/exit_codes.hpp"
#include "util/files.hpp"

namespace {

using ispd::kExitUnreadable;
using ispd::read_input;
using ispd::refuse;

ispd::Result<ispd::Form> load_form(const std::string& path) {
  const ispd::ArchiveLimits limits;
  auto bytes = read_input(path, limits.max_file_bytes);
  if (!bytes) return bytes.error();
  return ispd::parse_form(*bytes, limits);
}

int run_parse(const std::string& path) {
  const auto form = load_form(path);
  if (!form) return refuse(path, form.error());
  std::cout << ispd::to_json(*form).dump(2) << '\n';
  return 0;
}

// Today in England, or the day in England of ISPD_NOW (e.g. 2026-05-01T09:00:00Z) for demos and tests: the day
// the chasers count from too.
ispd::Result<ispd::Date> today() {
  const auto fixed = ispd::config::fixed_now();
  if (!fixed) return fixed.error();
  return ispd::local_date(fixed->value_or(std::chrono::system_clock::now()));
}

int run_check(const std::string& path) {
  const auto form = load_form(path);
  if (!form) return refuse(path, form.error());
  const auto received = today();
  if (!received) {
    std::cerr << "ispd: " << received.error().message << '\n';
    return kExitUnreadable;
  }
  // A form checked by hand is checked as if it arrived today.
  ispd::protocol::CheckContext context;
  context.received = *received;
  const auto problems = ispd::protocol::check_form(*form, context);
  if (problems.empty()) {
    std::cout << path << ": complete; nothing to fix.\n";
    return 0;
  }
  std::cout << path << ": " << problems.size() << (problems.size() == 1 ? " thing" : " things")
            << " to fix before this form can be circulated:\n";
  for (const auto& p : problems) std::cout << "- " << p.message << '\n';
  return 1;
}

int run_check_config(const std::string& path) {
  const auto loaded = ispd::config::load(path);
  for (const auto& e : loaded.errors) std::cerr << e << '\n';
  for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << '\n';
  if (!loaded.ok()) return 1;
  // Valid, but `ispd run` refuses to start until each is fixed.
  for (const auto& w : ispd::unprotected_secret_files(loaded.config)) std::cerr << "warning: " << w << '\n';
  std::cout << path << ": valid\n";
  return 0;
}

// The command line, read and run; main() turns what escapes it into the internal-error exit.
int run_cli(int argc, char** argv) {
  CLI::App app{"ispd: the North West Children's Services Information Sharing Protocol mailbox"};
  app.require_subcommand(1);

  std::string parse_path;
  auto* parse = app.add_subcommand("parse", "Print an ISP notification form (.docx) as JSON");
  parse->add_option("FORM", parse_path, "the form, a Word .docx file")->required();

  std::string check_path;
  auto* check = app.add_subcommand("check", "Say what a sender must fix in an ISP notification form");
  check->add_option("FORM", check_path, "the form, a Word .docx file")->required();

  std::string config_path;
  auto* check_config = app.add_subcommand("check-config", "Check a configuration file without starting");
  check_config->add_option("--config", config_path, "the TOML configuration")->required();

  std::string inspect_path;
  auto* inspect = app.add_subcommand("inspect", "Print what ispd reads from a mail (.eml) as JSON");
  inspect->add_option("MAIL", inspect_path, "the mail, a raw RFC 5322 message (.eml)")->required();

  IspdModuleArgs module_args;
  std::string run_config;
  bool once = false;
  auto* run = app.add_subcommand("run", "Poll the ISP mailbox, log and file every mail");
  run->add_option("--config", run_config, "the TOML configuration")->required();
  run->add_flag("--once", once, "one full cycle, then exit (non-zero if a server could not be reached)");

  std::string list_config;
  std::string list_status;
  bool list_json = false;
  auto* list = app.add_subcommand("list", "List the notifications in the log");
  list->add_option("--config", list_config, "the TOML configuration")->required();
  list->add_option("--status", list_status, "only these: open, overdue, rescinded or closed")
      ->check(CLI::IsMember({"open", "overdue", "rescinded", "closed"}));
  list->add_flag("--json", list_json, "print a JSON array, one object per notification");

  std::string show_config;
  std::string show_reference;
  bool show_json = false;
  auto* show = app.add_subcommand("show", "Show one notification with its history");
  show->add_option("--config", show_config, "the TOML configuration")->required();
  show->add_option("REF", show_reference, "the notification's reference, e.g. ISP-2026-0007")->required();
  show->add_flag("--json", show_json, "print JSON");

  std::string reprocess_config;
  std::string reprocess_target;
  auto* reprocess =
      app.add_subcommand("reprocess", "Run a mail that needs attention through intake again, once its cause is fixed");
  reprocess->add_option("--config", reprocess_config, "the TOML configuration")->required();
  reprocess->add_option("TARGET", reprocess_target, "a notification's reference or the mail's Message-ID")->required();

  std::string close_config;
  std::string close_reference;
  auto* close_command = app.add_subcommand("close", "NWADCS closes a notification: no further concerns");
  close_command->add_option("--config", close_config, "the TOML configuration")->required();
  close_command->add_option("REF", close_reference, "the notification's reference, e.g. ISP-2026-0007")->required();

  std::string export_config;
  std::string export_month;
  std::string export_out;
  auto* export_sheet = app.add_subcommand("export", "Write the monthly spreadsheet of the log (.xlsx)");
  export_sheet->add_option("--config", export_config, "the TOML configuration")->required();
  export_sheet->add_option("--month", export_month, "the month, e.g. 2026-05 (default: the month before today)");
  export_sheet->add_option("--out", export_out, "the spreadsheet to write, e.g. isp-2026-05.xlsx")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the help, or what is wrong with the command line; its own codes (100 and up) would say nothing.
    return app.exit(e) == 0 ? 0 : ispd::kExitUsage;
  }
  if (*parse) return run_parse(parse_path);
  if (*check) return run_check(check_path);
  if (*inspect) {
    module_args.path = inspect_path.c_str();
    return ispd::run_mail_module("ispd_mail_inspect", module_args);
  }
  if (*run) {
    module_args.config = run_config.c_str();
    module_args.once = once ? 1 : 0;
    return ispd::run_mail_module("ispd_run", module_args);
  }
  if (*list) {
    module_args.config = list_config.c_str();
    module_args.status = list_status.c_str();
    module_args.json = list_json ? 1 : 0;
    return ispd::run_mail_module("ispd_list", module_args);
  }
  if (*show) {
    module_args.config = show_config.c_str();
    module_args.path = show_reference.c_str();
    module_args.json = show_json ? 1 : 0;
    return ispd::run_mail_module("ispd_show", module_args);
  }
  if (*reprocess) {
    module_args.config = reprocess_config.c_str();
    module_args.path = reprocess_target.c_str();
    return ispd::run_mail_module("ispd_reprocess", module_args);
  }
  if (*close_command) {
    module_args.config = close_config.c_str();
    module_args.path = close_reference.c_str();
    return ispd::run_mail_module("ispd_close", module_args);
  }
  if (*export_sheet) {
    module_args.config = export_config.c_str();
    module_args.month = export_month.c_str();
    module_args.out = export_out.c_str();
    return ispd::run_mail_module("ispd_export", module_args);
  }
  if (*check_config) return run_check_config(config_path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever ispd writes is its own user's alone, whatever umask it was started with; each file is also made with
  // an owner-only mode, so this is the second of two locks.
  ::umask(077);
  try {
    return run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "ispd: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "ispd: internal error\n";
  }
  return ispd::kExitSoftware;
}
