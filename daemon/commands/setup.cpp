#include "daemon/commands/setup.hpp"

#include <chrono>
#include <iostream>
#include <string_view>
#include <utility>

#include "daemon/config/now.hpp"
#include "daemon/protocol/local_date.hpp"
#include "util/exit_codes.hpp"

namespace ispd::commands {

namespace {

// The domain of "Name <user@domain>" or "user@domain", for ispd's own Message-IDs.
std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string domain(address.substr(at + 1));
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
  return domain;
}

}  // namespace

std::optional<config::Config> load_config(const std::string& path, bool warn) {
  auto loaded = config::load(path);
  if (warn) {
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << '\n';
  }
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << '\n';
    return std::nullopt;
  }
  return std::move(loaded.config);
}

std::optional<Clock> make_clock() {
  const auto fixed = config::fixed_now();
  if (!fixed) {
    std::cerr << "ispd: " << fixed.error().message << '\n';
    return std::nullopt;
  }
  if (const auto at = *fixed) return Clock([at = *at] { return at; });
  return Clock([] { return std::chrono::system_clock::now(); });
}

std::optional<store::Store> open_store(const config::Config& config, bool group_commit) {
  store::StoreOptions options;
  options.archive_dir = config.store.archive_dir;
  options.group_commit = group_commit;
  std::string domain = domain_of(config.smtp.from);
  if (domain.empty()) domain = domain_of(config.nwadcs.address);
  if (!domain.empty()) options.message_id_domain = domain;
  auto store = store::Store::open(config.store.database, options);
  if (!store) {
    std::cerr << "ispd: the database " << config.store.database << " " << store.error().message << '\n';
    return std::nullopt;
  }
  return std::move(store).value();
}

std::variant<Setup, int> set_up(const std::string& config_path) {
  auto config = load_config(config_path);
  if (!config) return kExitBadConfig;
  auto clock = make_clock();
  if (!clock) return kExitBadConfig;
  auto store = open_store(*config);
  if (!store) return kExitProblems;
  return Setup{std::move(*config), std::move(*clock), std::move(*store)};
}

Date today(const Clock& clock) { return local_date(clock()); }

}  // namespace ispd::commands
