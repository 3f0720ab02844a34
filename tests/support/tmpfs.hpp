#pragma once
// A small tmpfs mounted on a temporary folder, for tests of a full disk: made
// full, then given more room, as an administrator would. Mounting needs root
// (CI runs the tests as root); where it is not permitted, mounted() is false
// and why() says so, for GTEST_SKIP.

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>

#include "tests/support/temp_dir.hpp"

namespace ispd::test {

class Tmpfs {
 public:
  explicit Tmpfs(std::size_t bytes) {
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      why_ = "cannot mount a tmpfs on " + dir_.path().string() + ": " + std::generic_category().message(errno);
    }
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
  }

  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& why() const { return why_; }
  [[nodiscard]] const std::filesystem::path& path() const { return dir_.path(); }

  // `mount -o remount,size=bytes`: more room, with everything on it kept.
  [[nodiscard]] bool resize(std::size_t bytes) const {
    const std::string options = "size=" + std::to_string(bytes);
    return ::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, options.c_str()) == 0;
  }

  // Fills what is left but `spare` bytes with a file of its own; true once a write was refused for want of space.
  bool fill(std::size_t spare = 0) const {
    const auto path = dir_.path() / ("filler-" + std::to_string(fillers_++));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const std::string block(4096, 'f');
    bool full = false;
    while (!full) {
      const ssize_t n = ::write(fd, block.data(), block.size());
      full = n < 0 && errno == ENOSPC;
      if (n < 0 && !full) break;
    }
    ::close(fd);
    if (full && spare > 0) {
      const auto size = std::filesystem::file_size(path);
      std::filesystem::resize_file(path, size > spare ? size - spare : 0);
    }
    return full;
  }

 private:
  TempDir dir_;
  bool mounted_ = false;
  std::string why_;
  mutable int fillers_ = 0;
};

}  // namespace ispd::test
