#pragma once
// The store's schema as an ordered list of migrations. A database records the
// last one applied in PRAGMA user_version; each migration runs in its own
// transaction with the version bump, so a database is always at one version.

#include <span>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "util/result.hpp"

namespace ispd::store {

struct Migration {
  int version;  // 1, 2, 3, … in order
  std::string_view summary;
  std::string_view sql;
};

// Marks the file as ispd's (PRAGMA application_id), "ISPD" in ASCII.
inline constexpr int kApplicationId = 0x49535044;

std::span<const Migration> migrations();
int latest_schema_version();

// Applies the migrations the database lacks, up to the last of `steps`.
// Refuses a database newer than `steps` or one that is not ispd's. Returns the version reached.
Result<int> migrate(SQLite::Database& db, std::span<const Migration> steps = migrations());

}  // namespace ispd::store
