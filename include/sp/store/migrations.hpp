// The database schema as an ordered list of forward migrations. The schema
// version is SQLite's user_version; each migration runs in one transaction.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace sp::store {

// "SP" + schema family 1, so `file sp.db` and our own checks can tell an sp
// database from any other SQLite file.
inline constexpr std::int64_t application_id = 0x53500001;

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> migrations();

// The schema version this binary writes.
int latest_schema_version();

// Applies every migration above the file's user_version, one transaction each.
// Expects the caller to have refused newer files already.
void migrate(Database& database);

} // namespace sp::store
