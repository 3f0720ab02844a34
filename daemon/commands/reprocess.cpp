// `ispd reprocess`: a mail that needed attention, through intake again once its cause is fixed.

#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "daemon/commands/guard.hpp"
#include "daemon/commands/module.hpp"
#include "daemon/commands/setup.hpp"
#include "daemon/jobs/intake.hpp"
#include "daemon/jobs/logs.hpp"
#include "store/store.hpp"
#include "util/exit_codes.hpp"
#include "util/message_id.hpp"

namespace {

using ispd::commands::Setup;

// The attention items a reference or a Message-ID names.
std::vector<ispd::store::InboundMessage> attention_items(const ispd::store::Store& store, const std::string& target) {
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
  for (auto& mail : store.find_inbound_by_message_id(ispd::message_id::bare(target))) {
    if (mail.state == ispd::store::InboundState::attention) found.push_back(std::move(mail));
  }
  return found;
}

int run_reprocess(const std::string& config_path, const std::string& target) {
  ispd::logs::to_stderr();
  auto setup = ispd::commands::set_up(config_path);
  if (const int* failed = std::get_if<int>(&setup)) return *failed;
  auto& [config, clock, store] = std::get<Setup>(setup);
  const auto items = attention_items(store, target);
  if (items.empty()) {
    std::cerr << "ispd: nothing needs attention under " << target
              << " (give a notification's reference or a mail's Message-ID)\n";
    return ispd::kExitProblems;
  }
  for (const auto& item : items) {
    const auto raw = store.inbound_raw(item.id);
    if (!raw) continue;
    // A person asking again: earlier attempts, and what cut them short, no longer count against the mail.
    store.reset_intake(item.id);
    const auto outcome = ispd::intake::process_inbound(store, item.id, *raw, config, clock());
    std::cout << ispd::message_id::wire(item.message_id) << ": " << ispd::store::to_string(outcome.state) << " — "
              << outcome.reason << '\n';
    if (outcome.state != ispd::store::InboundState::attention) {
      std::cout << "  the mail itself stays in \"" << config.mailbox.attention_folder
                << "\"; it is handled now, so it may be moved to \"" << config.mailbox.processed_folder << "\"\n";
    }
  }
  return 0;
}

}  // namespace

// `ispd reprocess --config FILE REF-or-MESSAGE`
ISPD_MODULE_COMMAND ispd_reprocess(const IspdModuleArgs* args) {
  return ispd::guarded([&] { return run_reprocess(args->config, args->path); });
}
