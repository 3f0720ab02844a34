#pragma once
// A module command's last line of defence: an exception that escaped is a bug,
// reported as one (exit 70, EX_SOFTWARE), never a crash across dlopen; a
// failure of ispd's own storage is temporary, and said as such (exit 3).

#include <exception>
#include <iostream>

#include "store/storage_failure.hpp"
#include "util/exit_codes.hpp"

namespace ispd {

template <class Command>
int guarded(Command&& command) {
  try {
    return command();
  } catch (const store::StorageFailure& e) {
    std::cerr << "ispd: cannot write to its own storage: " << e.what()
              << "; nothing is lost, try again once this is fixed\n";
    return kExitTemporary;
  } catch (const std::exception& e) {
    std::cerr << "ispd: internal error: " << e.what() << '\n';
    return kExitSoftware;
  }
}

}  // namespace ispd
