#include "daemon/jobs/poller_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace ispd {

Result<PollerLock> PollerLock::take(const std::filesystem::path& database) {
  const std::string path = database.string() + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error{"cannot open the lock file " + path + ": " + std::strerror(errno)};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Error{"another ispd is already polling this mailbox (it holds " + path + "); try again when it stops"};
    }
    return Error{"cannot lock " + path + ": " + std::strerror(error)};
  }
  // Who holds it, for a person looking at the file.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::write(fd, pid.data(), pid.size());
  return PollerLock(fd);
}

PollerLock::PollerLock(PollerLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

PollerLock& PollerLock::operator=(PollerLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

PollerLock::~PollerLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ispd
