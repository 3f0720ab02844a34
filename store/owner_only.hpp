#pragma once
// Everything the store writes is its user's alone, whatever the umask: files
// 0600, folders 0700. The database holds every stored mail, restricted ones
// included, and the archive every filed form.

#include <filesystem>

#include "store/storage_failure.hpp"
#include "util/result.hpp"

namespace ispd::store {

inline constexpr unsigned kOwnerOnlyFile = 0600;
inline constexpr unsigned kOwnerOnlyFolder = 0700;

// Creates `dir` and every missing folder above it, each 0700; a folder there already is left as it is. A full,
// read-only or forbidden disk throws StorageFailure (the archive's).
Result<Done> make_owner_only_folders(const std::filesystem::path& dir);

// Narrows a file or folder ispd made to `mode` if group or others have any access to it; nothing if it is not
// there. Never follows a symbolic link, and never opens the file (which would drop SQLite's locks on it). A
// read-only or forbidden disk throws StorageFailure for `part`.
Result<Done> keep_owner_only(const std::filesystem::path& path, unsigned mode, StoragePart part);

// A SQLite database, its write-ahead log and its shared memory, owner-only before SQLite opens them: the database
// is created 0600 if it is not there (SQLite would make it 0644, and the -wal and -shm take its mode), and each of
// the three left open to others is narrowed. Nothing for an in-memory database.
Result<Done> prepare_owner_only_database(const std::filesystem::path& database);

}  // namespace ispd::store
