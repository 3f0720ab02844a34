#pragma once
// Files under tests/data, and the ispd binary, for tests.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ispd::test {

std::filesystem::path data_path(const std::string& relative);
std::string read_file(const std::filesystem::path& path);
// Writes a password or client secret as an operator must: readable by its owner alone (0600).
void write_secret(const std::filesystem::path& path, const std::string& text);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
struct RunOptions {
  std::vector<std::string> env;  // added to the environment, "NAME=value"
  // Sends SIGKILL this long after the start, if it is still running (crash tests).
  std::optional<std::chrono::milliseconds> kill_after;
  // Sends SIGKILL once stderr holds this many lines containing kill_marker:
  // a kill point by progress, not by time.
  std::optional<int> kill_after_marks;
  std::string kill_marker;
};
// Runs the built ispd binary with these arguments (no shell), capturing output.
CommandResult run_ispd(const std::vector<std::string>& args, const RunOptions& options = {});

}  // namespace ispd::test
