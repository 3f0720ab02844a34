#include "tests/support/test_data.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ispd::test {

std::filesystem::path data_path(const std::string& relative) {
  return std::filesystem::path(ISPD_TEST_DATA_DIR) / relative;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_secret(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

CommandResult run_ispd(const std::vector<std::string>& args, const RunOptions& options) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> argv;
    std::string binary = ISPD_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_copies = options.env;
    for (auto& e : env_copies) putenv(e.data());
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult result;
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  int open_fds = 2;
  std::array<char, 4096> chunk{};
  const auto started = std::chrono::steady_clock::now();
  bool killed = false;
  while (open_fds > 0) {
    int wait_ms = -1;
    if (options.kill_after && !killed) {
      const auto left = *options.kill_after - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - started);
      if (left.count() <= 0) {
        kill(pid, SIGKILL);
        killed = true;
      } else {
        wait_ms = static_cast<int>(left.count());
      }
    }
    const int ready = poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0) break;
    if (ready == 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, chunk.data(), chunk.size());
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? result.out : result.err).append(chunk.data(), static_cast<std::size_t>(n));
      if (i == 1 && options.kill_after_marks && !killed) {
        int marks = 0;
        for (std::size_t at = 0; (at = result.err.find(options.kill_marker, at)) != std::string::npos;
             at += options.kill_marker.size()) {
          ++marks;
        }
        if (marks >= *options.kill_after_marks) {
          kill(pid, SIGKILL);
          killed = true;
        }
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace ispd::test
