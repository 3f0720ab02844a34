#pragma once
// The commands that read or send mail live in a module, ispd-mail.so, loaded
// only when one of them runs: GMime and GLib (and later libcurl) take longer
// to load than `ispd parse` takes to read a form, and most commands need none
// of them.

#include <string>

namespace ispd {

// Loads the module and runs its command `symbol` (an extern "C"
// int(const char*) function) on `argument`; a missing module is a clear error.
int run_mail_module(const char* symbol, const std::string& argument);

}  // namespace ispd
