// SP_HOME on disk: the private directory layout and the migrated database.
#pragma once

#include "sp/store/database.hpp"
#include "sp/util/error.hpp"

#include <filesystem>

namespace sp::store {

// The directories sp owns below SP_HOME (SPEC.md section 2).
struct HomeLayout {
  std::filesystem::path root;
  std::filesystem::path database() const { return root / "sp.db"; }
  std::filesystem::path workspace() const { return root / "workspace"; }
  std::filesystem::path artifacts() const { return root / "artifacts"; }
  std::filesystem::path logs() const { return root / "logs"; }
};

// Creates SP_HOME and its directories with mode 0700 where missing (idempotent).
Result<void> ensure_home(const HomeLayout& home);

// Whether `sp init` (or any command that creates state) has been run here.
bool database_exists(const HomeLayout& home);

enum class OpenMode {
  existing,       // fail with not_found when there is no database yet
  create_missing, // create SP_HOME and the database when missing
};

// Opens sp.db, checks it is an sp database this version understands (a file
// from a newer sp, or not a database at all, is refused without being
// changed), switches on WAL, foreign keys and the busy timeout, and applies
// pending migrations.
Result<Database> open_store(const HomeLayout& home, OpenMode mode);

} // namespace sp::store
