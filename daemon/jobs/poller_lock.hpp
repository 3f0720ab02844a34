#pragma once
// Only one ispd polls a mailbox at a time: two pollers would fetch the same
// mail at once. The lock is an flock(2) on a file beside the database, so it
// goes with the process, however it ends.

#include <filesystem>
#include <string>

#include "util/result.hpp"

namespace ispd {

class PollerLock {
 public:
  // Takes the lock without waiting; an error says who holds it, if known.
  static Result<PollerLock> take(const std::filesystem::path& database);
  PollerLock(PollerLock&& other) noexcept;
  PollerLock& operator=(PollerLock&& other) noexcept;
  PollerLock(const PollerLock&) = delete;
  PollerLock& operator=(const PollerLock&) = delete;
  ~PollerLock();

 private:
  explicit PollerLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ispd
