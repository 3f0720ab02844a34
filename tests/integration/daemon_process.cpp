#include "tests/integration/daemon_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <stdexcept>

namespace ispd::test {

DaemonProcess::DaemonProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(err_pipe[1], STDERR_FILENO);
    const int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    std::vector<std::string> copies = args;
    std::string binary = ISPD_BINARY;
    std::vector<char*> argv{binary.data()};
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_copies = env;
    for (auto& e : env_copies) putenv(e.data());
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  err_fd_ = err_pipe[0];
  reader_ = std::thread([this] { read_stderr(); });
}

DaemonProcess::~DaemonProcess() {
  if (wait_exit(std::chrono::seconds(0)) == -1) {
    kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(30));
  }
  if (reader_.joinable()) reader_.join();
  if (err_fd_ >= 0) close(err_fd_);
}

void DaemonProcess::read_stderr() {
  char chunk[4096];
  while (true) {
    const ssize_t n = read(err_fd_, chunk, sizeof chunk);
    if (n <= 0) return;
    std::lock_guard lock(mutex_);
    err_.append(chunk, static_cast<std::size_t>(n));
  }
}

int DaemonProcess::count(const std::string& text) {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (std::size_t at = 0; (at = err_.find(text, at)) != std::string::npos; at += text.size()) ++n;
  return n;
}

std::string DaemonProcess::err() {
  std::lock_guard lock(mutex_);
  return err_;
}

bool DaemonProcess::wait_for(const std::string& text, int n, std::chrono::seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (count(text) < n) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    if (wait_exit(std::chrono::seconds(0)) != -1) return count(text) >= n;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

void DaemonProcess::signal(int signal) const { kill(pid_, signal); }

int DaemonProcess::wait_exit(std::chrono::seconds limit) {
  if (exited_) return exit_code_;
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= give_up) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace ispd::test
