#pragma once
// A failure of ispd's own storage: the disk holding the database or the
// archive is full, over quota, read-only or not ispd's to write, or the
// database cannot be opened or written. It is a temporary failure of ispd, not
// of the mail in hand: whoever catches it keeps the mail where it is, does not
// count the attempt against it, and stops until the storage is fixed.

#include <stdexcept>
#include <string>
#include <utility>

namespace ispd::store {

// Which of ispd's stores failed.
enum class StoragePart { database, archive };

class StorageFailure : public std::runtime_error {
 public:
  // `path` is what could not be written; `cause` says why ("No space left on device").
  StorageFailure(StoragePart part, std::string path, std::string cause)
      : std::runtime_error(path + ": " + cause), part_(part), path_(std::move(path)), cause_(std::move(cause)) {}

  [[nodiscard]] StoragePart part() const { return part_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& cause() const { return cause_; }

 private:
  StoragePart part_;
  std::string path_;
  std::string cause_;
};

// Whether an errno from writing a file says the storage refused it rather than
// the file being wrong: ENOSPC, EDQUOT, EROFS, EACCES, EPERM or EIO.
bool is_storage_errno(int error);

// Throws StorageFailure(archive, path, the errno's text) when is_storage_errno(error).
void throw_if_storage_errno(int error, const std::string& path);

}  // namespace ispd::store
