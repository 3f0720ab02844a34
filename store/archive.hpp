#pragma once
// Filing forms on disk, one folder per provider as on the SharePoint site:
// archive_dir/<provider folder>/<ref>-<yyyy-mm-dd>-<stage>.docx.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace ispd::store {

inline constexpr std::size_t kMaxFolderNameBytes = 80;

// A provider's name made safe as one folder name: no separators, control
// characters, characters Windows refuses, bad UTF-8, bidi controls or
// zero-width characters, dots or spaces at either end; at most
// kMaxFolderNameBytes bytes, cut at a character boundary. A name with nothing
// readable left is "Unknown provider".
std::string provider_folder_name(std::string_view provider_name);

// When a write reaches the disk: at once (fsync of the file and its folder),
// or at the caller's next sync of the whole file system (Store::sync), which
// makes a batch of writes durable at the cost of one.
enum class Sync { now, later };

// Writes `bytes` to dir/name so that the file is either absent or whole: a
// temporary file in the same folder, written, fsynced, renamed over `name`,
// then the folder fsynced. `name` must be a plain file name. Throws
// StorageFailure when the disk refuses (full, read-only, not ispd's to write).
Result<std::filesystem::path> write_file_atomically(const std::filesystem::path& dir, std::string_view name,
                                                    std::string_view bytes, Sync sync = Sync::now);

// archive_dir/<folder>, created if missing; refuses a folder that is a symbolic link. Throws StorageFailure as
// write_file_atomically does.
Result<std::filesystem::path> provider_folder(const std::filesystem::path& archive_dir, std::string_view provider_name,
                                              Sync sync = Sync::now);

}  // namespace ispd::store
