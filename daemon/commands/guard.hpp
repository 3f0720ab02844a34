#pragma once
// A module command's last line of defence: an exception that escaped is a bug,
// reported as one (exit 70, EX_SOFTWARE), never a crash across dlopen.

#include <exception>
#include <iostream>

#include "util/exit_codes.hpp"

namespace ispd {

template <class Command>
int guarded(Command&& command) {
  try {
    return command();
  } catch (const std::exception& e) {
    std::cerr << "ispd: internal error: " << e.what() << '\n';
    return kExitSoftware;
  }
}

}  // namespace ispd
