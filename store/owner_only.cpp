#include "store/owner_only.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace ispd::store {

namespace {

namespace fs = std::filesystem;

std::string errno_text(int error) { return std::generic_category().message(error); }

}  // namespace

Result<Done> make_owner_only_folders(const fs::path& dir) {
  fs::path made;
  for (const auto& part : dir) {
    made /= part;
    if (::mkdir(made.c_str(), kOwnerOnlyFolder) == 0 || errno == EEXIST) continue;
    const int error = errno;
    throw_if_storage_errno(error, made.string());
    return Error{"cannot create the folder " + made.string() + ": " + errno_text(error)};
  }
  return Done{};
}

Result<Done> keep_owner_only(const fs::path& path, unsigned mode, StoragePart part) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return Done{};
    return Error{"cannot look at " + path.string() + ": " + errno_text(errno)};
  }
  if (S_ISLNK(info.st_mode) || (info.st_mode & 077) == 0) return Done{};
  if (::fchmodat(AT_FDCWD, path.c_str(), static_cast<mode_t>(mode), AT_SYMLINK_NOFOLLOW) != 0) {
    const int error = errno;
    if (is_storage_errno(error)) throw StorageFailure(part, path.string(), errno_text(error));
    return Error{"cannot make " + path.string() + " readable by its owner alone: " + errno_text(error)};
  }
  return Done{};
}

Result<Done> prepare_owner_only_database(const fs::path& database) {
  const std::string name = database.string();
  if (name.empty() || name == ":memory:" || name.starts_with("file:")) return Done{};
  const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kOwnerOnlyFile);
  // Already there (narrowed below), or not possible here: SQLite then says why it cannot open it.
  if (fd >= 0) ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (auto kept = keep_owner_only(name + suffix, kOwnerOnlyFile, StoragePart::database); !kept) return kept.error();
  }
  return Done{};
}

}  // namespace ispd::store
