// RAII wrappers over one SQLite connection, its prepared statements and its
// transactions. The sqlite3 C API stays behind these classes (only opaque
// forward declarations here). Failures throw sp::Error: a failing SQL
// statement is a bug or a broken file, never a condition callers branch on.
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sp::store {

class Statement;

// The SQLite library this binary runs with ("3.40.1"), for `sp version`.
std::string sqlite_version();

class Database {
public:
  enum class Access { read_write, create };

  // Opens an existing file (read_write) or creates it with mode 0600 (create).
  // Sets no pragma and writes nothing: callers check the file before changing it.
  static Result<Database> open(const std::filesystem::path& path, Access access);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);

  // An integer pragma (application_id, user_version, ...).
  std::int64_t pragma_int(std::string_view name);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }

  // The connection's latest error text, for messages.
  std::string last_error() const;

private:
  Database(sqlite3* handle, std::filesystem::path path) : handle_(handle), path_(std::move(path)) {}
  sqlite3* handle_ = nullptr;
  std::filesystem::path path_;
  friend class Statement;
  friend class Transaction;
};

// A prepared statement. Bind with 1-based indexes, step through rows, read
// columns with 0-based indexes (SQLite's own convention).
class Statement {
public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  template <typename T> Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  // Binds every argument in order, starting at index 1.
  template <typename... Args> Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Makes the statement ready to be bound and run again.
  void reset();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

private:
  Statement(Database& database, sqlite3_stmt* handle) : database_(&database), handle_(handle) {}
  Database* database_;
  sqlite3_stmt* handle_ = nullptr;
  friend class Database;
};

// BEGIN IMMEDIATE for writers, so the write lock is taken up front and the
// busy timeout applies there instead of failing later with SQLITE_BUSY in
// the middle of the transaction. Rolls back unless commit() was called.
class Transaction {
public:
  enum class Kind { deferred, immediate };
  explicit Transaction(Database& database, Kind kind = Kind::immediate);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

private:
  Database& database_;
  bool open_ = true;
};

} // namespace sp::store
