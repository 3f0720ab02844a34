#pragma once
// `ispd run` as a daemon in the background of a test: started, watched
// through what it logs on stderr, sent signals, and waited for.

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ispd::test {

class DaemonProcess {
 public:
  // Starts the built ispd with these arguments and extra environment ("NAME=value").
  DaemonProcess(const std::vector<std::string>& args, const std::vector<std::string>& env);
  // Kills it if it is still running.
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Waits until stderr holds `count` lines containing `text`; false if that has not happened within
  // `limit` (a bound on a wait that should end far sooner, never a measure).
  bool wait_for(const std::string& text, int count = 1, std::chrono::seconds limit = std::chrono::seconds(60));
  [[nodiscard]] int count(const std::string& text);
  [[nodiscard]] std::string err();

  void signal(int signal) const;
  // Waits for it to exit and gives its exit code (128 + signal if killed); -1 if still running after `limit`.
  int wait_exit(std::chrono::seconds limit = std::chrono::seconds(60));

 private:
  void read_stderr();
  pid_t pid_ = -1;
  int err_fd_ = -1;
  std::mutex mutex_;
  std::string err_;
  bool exited_ = false;
  int exit_code_ = -1;
  std::thread reader_;
};

}  // namespace ispd::test
