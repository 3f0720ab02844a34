#pragma once
// Files under tests/data, and the ispd binary, for tests.

#include <filesystem>
#include <string>
#include <vector>

namespace ispd::test {

std::filesystem::path data_path(const std::string& relative);
std::string read_file(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the built ispd binary with these arguments (no shell), capturing output.
CommandResult run_ispd(const std::vector<std::string>& args);

}  // namespace ispd::test
