#pragma once
// The commands that read or send mail live in a module, ispd-mail.so, loaded
// only when one of them runs: GMime and GLib (and later libcurl) take longer
// to load than `ispd parse` takes to read a form, and most commands need none
// of them.

#include <string>

// What a module command gets from the command line; C layout, as it crosses dlopen.
extern "C" struct IspdModuleArgs {
  const char* path = "";    // inspect's MAIL, show's and close's REF, reprocess's REF-or-MESSAGE
  const char* config = "";  // --config
  const char* status = "";  // list --status
  int once = 0;             // run --once
  int json = 0;             // --json
  const char* month = "";   // export --month
  const char* out = "";     // export --out
};

// How the module defines a command: `ISPD_MODULE_COMMAND ispd_run(const IspdModuleArgs* args) { ... }`.
#define ISPD_MODULE_COMMAND extern "C" __attribute__((visibility("default"))) int

namespace ispd {

// Loads the module and runs its command `symbol` (an extern "C"
// int(const IspdModuleArgs*) function); a missing module is a clear error.
int run_mail_module(const char* symbol, const IspdModuleArgs& args);

}  // namespace ispd
