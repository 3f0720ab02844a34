#include "store/archive.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsing/utf8.hpp"
#include "store/digest.hpp"
#include "store/owner_only.hpp"
#include "store/storage_failure.hpp"

namespace ispd::store {

namespace {

namespace fs = std::filesystem;

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }
  // Closes now and reports the error, since close can report a failed write.
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string errno_text(int error) { return std::generic_category().message(error); }

bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

bool refused_in_folder_names(char32_t c) {
  // Control characters, path separators and what Windows and SharePoint refuse.
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '/' || c == '\\' || c == ':' || c == '*' ||
         c == '?' || c == '"' || c == '<' || c == '>' || c == '|' || c == 0xFFFD || c == 0x2028 || c == 0x2029;
}

// Bidi controls and zero-width characters: invisible, yet they change how a name reads or make two names that look
// the same differ, so a folder could pass for another provider's.
bool invisible(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C ||
         (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

Result<bool> fsync_folder(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    const int error = errno;
    throw_if_storage_errno(error, dir.string());
    return Error{"cannot sync folder " + dir.string() + ": " + errno_text(error)};
  }
  return true;
}

}  // namespace

bool is_storage_errno(int error) {
  return error == ENOSPC || error == EDQUOT || error == EROFS || error == EACCES || error == EPERM || error == EIO;
}

void throw_if_storage_errno(int error, const std::string& path) {
  if (is_storage_errno(error)) throw StorageFailure(StoragePart::archive, path, errno_text(error));
}

std::string provider_folder_name(std::string_view provider_name) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < provider_name.size();) {
    char32_t c = 0;
    i += utf8::next(provider_name, i, c);
    if (invisible(c)) continue;
    if (c == ' ' || c == '\t' || c == 0xA0) {
      pending_space = !out.empty();
      continue;
    }
    std::string piece;
    if (refused_in_folder_names(c)) {
      piece = "_";
    } else {
      utf8::append(piece, c);
    }
    if (out.size() + (pending_space ? 1 : 0) + piece.size() > kMaxFolderNameBytes) break;
    if (pending_space) out += ' ';
    pending_space = false;
    out += piece;
  }
  // No leading dots (hidden files, "." and "..") or spaces, no trailing dots or spaces (Windows drops them).
  const auto first = out.find_first_not_of(". ");
  out.erase(0, first == std::string::npos ? out.size() : first);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  // Nothing of the name left but what stood for refused characters, and the spaces and dots between them.
  if (out.find_first_not_of("_. ") == std::string::npos) return "Unknown provider";
  return out;
}

Result<fs::path> provider_folder(const fs::path& archive_dir, std::string_view provider_name, Sync sync) {
  const std::string name = provider_folder_name(provider_name);
  const fs::path folder = archive_dir / name;
  // The name has no separator and is not "." or "..", so the folder is inside; say so in code too.
  if (!is_plain_file_name(name) ||
      folder.lexically_normal().parent_path() / "" != (archive_dir / "").lexically_normal()) {
    return Error{"provider folder would leave the archive folder"};
  }
  if (auto made = make_owner_only_folders(archive_dir); !made) return made.error();
  // An archive folder made before ispd made them owner-only is narrowed too.
  if (auto kept = keep_owner_only(archive_dir, kOwnerOnlyFolder, StoragePart::archive); !kept) return kept.error();
  std::error_code ec;
  const auto status = fs::symlink_status(folder, ec);
  if (!ec && fs::is_symlink(status)) {
    return Error{"archive folder " + folder.string() + " is a symbolic link; refusing to write through it"};
  }
  if (!ec && fs::exists(status) && !fs::is_directory(status)) {
    return Error{"archive folder " + folder.string() + " exists and is not a folder"};
  }
  if (::mkdir(folder.c_str(), kOwnerOnlyFolder) == 0) {
    if (sync == Sync::now) {
      if (auto synced = fsync_folder(archive_dir); !synced) return synced.error();
    }
  } else if (const int error = errno; error != EEXIST) {
    throw_if_storage_errno(error, folder.string());
    return Error{"cannot create archive folder " + folder.string() + ": " + errno_text(error)};
  } else if (auto kept = keep_owner_only(folder, kOwnerOnlyFolder, StoragePart::archive); !kept) {
    return kept.error();
  }
  return folder;
}

Result<fs::path> write_file_atomically(const fs::path& dir, std::string_view name, std::string_view bytes, Sync sync) {
  if (!is_plain_file_name(name)) return Error{"\"" + std::string(name) + "\" is not a plain file name"};
  const fs::path target = dir / std::string(name);
  const fs::path temporary = dir / ("." + std::string(name) + ".tmp-" + random_hex(8));
  Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kOwnerOnlyFile));
  if (fd.get() < 0) {
    const int error = errno;
    throw_if_storage_errno(error, target.string());
    return Error{"cannot create " + temporary.string() + ": " + errno_text(error)};
  }

  const auto fail = [&](const std::string& what, int error) -> Error {
    ::unlink(temporary.c_str());
    throw_if_storage_errno(error, target.string());
    return Error{what + " " + temporary.string() + ": " + errno_text(error)};
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write", errno);
    written += static_cast<std::size_t>(n);
  }
  if (sync == Sync::now && ::fsync(fd.get()) != 0) return fail("cannot sync", errno);
  if (fd.close() != 0) return fail("cannot close", errno);
  if (::rename(temporary.c_str(), target.c_str()) != 0) return fail("cannot rename", errno);
  if (sync == Sync::now) {
    if (auto synced = fsync_folder(dir); !synced) return synced.error();
  }
  return target;
}

}  // namespace ispd::store
