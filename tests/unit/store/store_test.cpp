#include "sp/store/migrations.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace sp::store;
using sp::test::TempDir;

namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat info{};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777U;
}

// A database written by something else than this sp, through the plain C API.
void write_raw_database(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

} // namespace

TEST_CASE("a new home is created private, and the database at the latest schema", "[store]") {
  TempDir dir;
  const HomeLayout home{dir / "home"};
  auto database = open_store(home, OpenMode::create_missing);
  REQUIRE(database.has_value());
  CHECK(database->pragma_int("user_version") == latest_schema_version());
  CHECK(database->pragma_int("application_id") == application_id);
  CHECK(database->pragma_int("foreign_keys") == 1);
  CHECK(mode_of(home.root) == 0700);
  CHECK(mode_of(home.workspace()) == 0700);
  CHECK(mode_of(home.artifacts()) == 0700);
  CHECK(mode_of(home.logs()) == 0700);
  CHECK(mode_of(home.database()) == 0600);
  auto journal = database->prepare("PRAGMA journal_mode");
  REQUIRE(journal.step());
  CHECK(journal.text(0) == "wal");
}

TEST_CASE("opening a missing database without create is not-found with a hint", "[store]") {
  TempDir dir;
  auto database = open_store({dir / "none"}, OpenMode::existing);
  REQUIRE_FALSE(database.has_value());
  CHECK(database.error().kind() == sp::ErrorKind::not_found);
  CHECK(database.error().hint().find("sp init") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "none"));
}

TEST_CASE("an empty SQLite file (schema 0) is migrated forward", "[store]") {
  TempDir dir;
  const HomeLayout home{dir.path()};
  REQUIRE(ensure_home(home).has_value());
  write_raw_database(home.database(), "PRAGMA user_version = 0");
  auto database = open_store(home, OpenMode::existing);
  REQUIRE(database.has_value());
  CHECK(database->pragma_int("user_version") == latest_schema_version());
  // Every migration left its tables behind.
  auto tables = database->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  REQUIRE(tables.step());
  CHECK(tables.int64(0) >= 13);
}

TEST_CASE("reopening a current database changes nothing", "[store]") {
  TempDir dir;
  const HomeLayout home{dir.path()};
  {
    REQUIRE(open_store(home, OpenMode::create_missing).has_value());
  }
  auto again = open_store(home, OpenMode::existing);
  REQUIRE(again.has_value());
  CHECK(again->pragma_int("user_version") == latest_schema_version());
}

TEST_CASE("migrations are numbered 1..N without gaps", "[store]") {
  int expected = 1;
  for (const auto& migration : migrations()) CHECK(migration.version == expected++);
}

TEST_CASE("a database from a newer sp is refused and left byte for byte untouched", "[store]") {
  TempDir dir;
  const HomeLayout home{dir.path()};
  REQUIRE(ensure_home(home).has_value());
  write_raw_database(home.database(),
                     "PRAGMA application_id = " + std::to_string(application_id) +
                         "; PRAGMA user_version = " + std::to_string(latest_schema_version() + 1) +
                         "; CREATE TABLE future (x)");
  const auto before = file_bytes(home.database());
  auto database = open_store(home, OpenMode::existing);
  REQUIRE_FALSE(database.has_value());
  CHECK(database.error().kind() == sp::ErrorKind::refused);
  CHECK(std::string(database.error().what()).find("newer sp") != std::string::npos);
  CHECK(file_bytes(home.database()) == before);
  CHECK_FALSE(std::filesystem::exists(home.root / "sp.db-wal"));
}

TEST_CASE("a file that is not a database gives a clear error and is left untouched", "[store]") {
  TempDir dir;
  const HomeLayout home{dir.path()};
  REQUIRE(ensure_home(home).has_value());
  std::ofstream(home.database(), std::ios::binary) << std::string(4096, 'x');
  const auto before = file_bytes(home.database());
  auto database = open_store(home, OpenMode::existing);
  REQUIRE_FALSE(database.has_value());
  CHECK(database.error().kind() == sp::ErrorKind::failure);
  CHECK(std::string(database.error().what()).find("not a readable SQLite database") != std::string::npos);
  CHECK(file_bytes(home.database()) == before);
}

TEST_CASE("another application's SQLite database is refused", "[store]") {
  TempDir dir;
  const HomeLayout home{dir.path()};
  REQUIRE(ensure_home(home).has_value());
  write_raw_database(home.database(), "PRAGMA application_id = 42; CREATE TABLE t (x)");
  auto database = open_store(home, OpenMode::existing);
  REQUIRE_FALSE(database.has_value());
  CHECK(database.error().kind() == sp::ErrorKind::refused);
}

TEST_CASE("an unwritable place for SP_HOME is a clear error", "[store]") {
  if (::geteuid() == 0) {
    // root ignores directory permissions; a file in the way fails for everyone.
    TempDir dir;
    std::ofstream(dir / "file") << "x";
    auto made = ensure_home({dir / "file" / "home"});
    REQUIRE_FALSE(made.has_value());
    CHECK(std::string(made.error().what()).find("SP_HOME") != std::string::npos);
    return;
  }
  TempDir dir;
  std::filesystem::permissions(dir.path(),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto made = ensure_home({dir / "home"});
  REQUIRE_FALSE(made.has_value());
  CHECK(std::string(made.error().what()).find("Permission denied") != std::string::npos);
}

TEST_CASE("a transaction rolls back unless committed", "[store]") {
  TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  {
    Transaction transaction(database);
    database.exec("INSERT INTO environments (name, created_at, updated_at) VALUES ('dev', 0, 0)");
  }
  {
    Transaction transaction(database);
    database.exec("INSERT INTO environments (name, created_at, updated_at) VALUES ('prod', 0, 0)");
    transaction.commit();
  }
  auto names = database.prepare("SELECT group_concat(name) FROM environments WHERE name != 'default'");
  REQUIRE(names.step());
  CHECK(names.text(0) == "prod");
}
