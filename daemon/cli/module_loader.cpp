#include "daemon/commands/module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include "util/exit_codes.hpp"

namespace ispd {

namespace {

constexpr const char* kModuleName = "ispd-mail.so";

// Beside the ispd binary (the build tree), then where `cmake --install` puts it.
// Never a path from the environment: the module runs with ispd's rights.
std::vector<std::filesystem::path> module_places() {
  std::vector<std::filesystem::path> places;
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) places.push_back(self.parent_path() / kModuleName);
  places.push_back(std::filesystem::path(ISPD_MODULE_DIR) / kModuleName);
  return places;
}

}  // namespace

int run_mail_module(const char* symbol, const IspdModuleArgs& args) {
  for (const auto& place : module_places()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(place, error)) continue;
    void* module = dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      std::cerr << "ispd: cannot load " << place.string() << ": " << dlerror() << '\n';
      return kExitSoftware;
    }
    using Command = int (*)(const IspdModuleArgs*);
    auto* command = reinterpret_cast<Command>(dlsym(module, symbol));
    if (command == nullptr) {
      std::cerr << "ispd: " << place.string() << " has no command " << symbol << "; reinstall ispd\n";
      return kExitSoftware;
    }
    return command(&args);  // the module stays loaded until exit
  }
  std::cerr << "ispd: the mail module " << kModuleName << " is missing (looked beside ispd and in " << ISPD_MODULE_DIR
            << "); reinstall ispd\n";
  return kExitSoftware;
}

}  // namespace ispd
