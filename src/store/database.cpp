#include "sp/store/database.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace sp::store {

std::string sqlite_version() { return sqlite3_libversion(); }

namespace {

Error sql_error(const Database& database, std::string_view doing) {
  return Error(ErrorKind::failure, "database " + database.path().string(),
               std::string(doing) + ": " + database.last_error());
}

// Creating the file ourselves is the only way to give it 0600 before SQLite
// writes a byte; SQLite then gives -wal and -shm the same mode.
Result<void> create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorKind::failure, "creating database " + path.string(), std::strerror(errno));
  }
  ::close(fd);
  return {};
}

} // namespace

Result<Database> Database::open(const std::filesystem::path& path, Access access) {
  if (access == Access::create) {
    if (auto created = create_private_file(path); !created) return std::unexpected(created.error());
  }
  sqlite3* handle = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return fail(ErrorKind::failure, "opening database " + path.string(), why);
  }
  sqlite3_extended_result_codes(handle, 1);
  return Database(handle, path);
}

Database::Database(Database&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(handle_); }

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string why = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw Error(ErrorKind::failure, "database " + path_.string(), why);
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v2(handle_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) throw sql_error(*this, "preparing a statement");
  return Statement(*this, statement);
}

std::int64_t Database::pragma_int(std::string_view name) {
  auto statement = prepare("PRAGMA " + std::string(name));
  if (!statement.step()) return 0;
  return statement.int64(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(handle_); }

int Database::changes() const { return sqlite3_changes(handle_); }

std::string Database::last_error() const {
  return handle_ != nullptr ? sqlite3_errmsg(handle_) : "no connection";
}

Statement::Statement(Statement&& other) noexcept
    : database_(other.database_), handle_(std::exchange(other.handle_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(handle_);
    database_ = other.database_;
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(handle_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(handle_, index, value) != SQLITE_OK) throw sql_error(*database_, "binding");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(handle_, index, value) != SQLITE_OK) throw sql_error(*database_, "binding");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text64(handle_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK) {
    throw sql_error(*database_, "binding");
  }
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  if (sqlite3_bind_null(handle_, index) != SQLITE_OK) throw sql_error(*database_, "binding");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(handle_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw sql_error(*database_, "running a statement");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(handle_);
  sqlite3_clear_bindings(handle_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(handle_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(handle_, column); }

double Statement::real(int column) const { return sqlite3_column_double(handle_, column); }

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(handle_, column);
  if (bytes == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(handle_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

Transaction::Transaction(Database& database, Kind kind) : database_(database) {
  database_.exec(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (open_) {
    // Never throw from a destructor: a failed rollback leaves SQLite to roll
    // back when the connection closes.
    sqlite3_exec(database_.handle_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  database_.exec("COMMIT");
  open_ = false;
}

} // namespace sp::store
