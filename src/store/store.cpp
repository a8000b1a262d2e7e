#include "sp/store/store.hpp"

#include "sp/store/migrations.hpp"
#include "sp/store/names.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace sp::store {

namespace {

Result<void> make_private_directory(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return {};
  if (errno == EEXIST && std::filesystem::is_directory(dir)) return {};
  const std::string why = errno == EEXIST ? "exists and is not a directory" : std::strerror(errno);
  return fail(ErrorKind::failure, "creating SP_HOME directory " + dir.string(), why,
              "choose another location with --home or SP_HOME");
}

Error refusing(const HomeLayout& home, std::string why, std::string hint = {}) {
  return Error(ErrorKind::refused, "opening database " + home.database().string(), std::move(why),
               std::move(hint));
}

// Reads the identity pragmas, which touches nothing on disk. A file that is
// not SQLite fails here with SQLITE_NOTADB, before anything could change it.
Result<void> check_compatible(Database& database, const HomeLayout& home) {
  std::int64_t id = 0;
  std::int64_t version = 0;
  try {
    id = database.pragma_int("application_id");
    version = database.pragma_int("user_version");
  } catch (const Error& error) {
    return fail(ErrorKind::failure, "opening database " + home.database().string(),
                "the file is not a readable SQLite database (" + database.last_error() + ")",
                "the file was left untouched; move it away and run `sp init` to start afresh");
  }
  if (id != 0 && id != application_id) {
    return std::unexpected(refusing(home, "the file is an SQLite database of another application",
                                    "the file was left untouched"));
  }
  if (id == 0 && version != 0) {
    return std::unexpected(refusing(home, "the file is an SQLite database of another application",
                                    "the file was left untouched"));
  }
  if (version > latest_schema_version()) {
    return std::unexpected(refusing(home,
                                    "it was written by a newer sp (schema version " +
                                        std::to_string(version) + ", this sp knows up to " +
                                        std::to_string(latest_schema_version()) + ")",
                                    "upgrade sp; the file was left untouched"));
  }
  return {};
}

} // namespace

Result<void> ensure_home(const HomeLayout& home) {
  if (!home.root.parent_path().empty() && !std::filesystem::exists(home.root.parent_path())) {
    std::error_code error;
    std::filesystem::create_directories(home.root.parent_path(), error);
    if (error) {
      return fail(ErrorKind::failure, "creating SP_HOME " + home.root.string(), error.message());
    }
  }
  for (const auto& dir : {home.root, home.workspace(), home.artifacts(), home.logs()}) {
    if (auto made = make_private_directory(dir); !made) return made;
  }
  return {};
}

bool database_exists(const HomeLayout& home) { return std::filesystem::exists(home.database()); }

Result<Database> open_store(const HomeLayout& home, OpenMode mode) {
  const bool exists = database_exists(home);
  if (!exists && mode == OpenMode::existing) {
    return fail(ErrorKind::not_found, "opening database " + home.database().string(),
                "there is no sp database here", "run `sp init` first (or pass --home)");
  }
  if (!exists) {
    if (auto made = ensure_home(home); !made) return std::unexpected(made.error());
  }
  auto database =
      Database::open(home.database(), exists ? Database::Access::read_write : Database::Access::create);
  if (!database) return database;
  // Wait for other writers (watch, another CLI) instead of failing with
  // "database is locked"; 30 s is far longer than any sp transaction.
  database->exec("PRAGMA busy_timeout = 30000");
  if (auto compatible = check_compatible(*database, home); !compatible) {
    return std::unexpected(compatible.error());
  }
  try {
    database->exec("PRAGMA journal_mode = WAL");
    database->exec("PRAGMA synchronous = NORMAL");
    database->exec("PRAGMA foreign_keys = ON");
    if (database->pragma_int("user_version") < latest_schema_version()) migrate(*database);
  } catch (const Error& error) {
    return std::unexpected(error);
  }
  return database;
}

Result<Database> open_store_read_only(const HomeLayout& home, int busy_ms) {
  if (!database_exists(home)) {
    return fail(ErrorKind::not_found, "opening database " + home.database().string(),
                "there is no sp database here");
  }
  // Read-write without create, then query_only: SQLite refuses any change on
  // this connection, and a missing file is an error rather than a new database.
  auto database = Database::open(home.database(), Database::Access::read_write);
  if (!database) return database;
  try {
    database->exec("PRAGMA query_only = ON");
    database->exec("PRAGMA busy_timeout = " + std::to_string(busy_ms));
  } catch (const Error& error) {
    return std::unexpected(error);
  }
  if (auto compatible = check_compatible(*database, home); !compatible)
    return std::unexpected(compatible.error());
  return database;
}

} // namespace sp::store
