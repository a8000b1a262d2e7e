// A Flink SQL job script split into its statements (SPEC.md section 14).
// Pure: text in, statements out. The runner that submits a SQL job gets
// these statements, never the raw script, so sp and Flink cannot disagree
// about where a statement ends.
#pragma once

#include "sp/util/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

enum class SqlStatementKind { set, reset, create, drop, alter, use, load, unload, add_jar, insert };

std::string_view to_string(SqlStatementKind kind);

// 1-based, as editors count; columns in characters (UTF-8 code points).
struct SqlPosition {
  int line = 1;
  int column = 1;
};

struct SqlStatement {
  SqlStatementKind kind = SqlStatementKind::insert;
  // The statement without its ';' and without comments, except optimizer
  // hints (`/*+ ... */`), which Flink reads. Line breaks are kept (CRLF as LF)
  // so Flink's own messages point into a recognisable text.
  std::string text;
  SqlPosition at; // where the statement's first word is in the script
  // SET 'key' = 'value' and RESET 'key': the key and value unquoted. RESET
  // without a key resets everything: `key` is then empty.
  std::string key;
  std::string value;
};

// The script in order. Every INSERT, inside a statement set or not, belongs
// to the one statement set the runner executes, so one script is one job.
struct SqlScript {
  std::vector<SqlStatement> statements;
  std::size_t insert_count() const;
};

// Splits and classifies. Errors (ErrorKind::usage, naming line and column):
// an unterminated quote, backtick or comment; a SELECT or any statement
// kind a job cannot hold; an unterminated or nested statement set, anything
// but INSERT inside one; a statement set beside INSERTs outside it, or two
// sets (two jobs' worth). `source` names the script in messages.
Result<SqlScript> split_sql_script(std::string_view text, const std::string& source);

// A job's script must write somewhere: at least one INSERT.
Result<void> require_insert(const SqlScript& script, const std::string& source);

// What verifying the script changes outside it: Flink's planner runs the
// DDL, and CREATE, DROP or ALTER (not TEMPORARY) after `USE CATALOG` of a
// catalog other than default_catalog (the in-memory one) writes to that
// catalog, a Hive metastore say. One warning per such statement, naming its
// line. A heuristic: a name qualified with another catalog is not seen.
std::vector<std::string> verification_side_effects(const SqlScript& script);

// The script as the SQL runner reads it (runner/sql/README.md, version 1):
// the statements in order with their kind, text, position, and SET's key
// and value; `name` becomes pipeline.name unless the script sets it.
std::string runner_script_json(const SqlScript& script, const std::string& name);

// The runner's main class, the same in every Flink line's jar.
inline constexpr std::string_view sql_runner_main_class = "sp.sqlrunner.SqlRunner";

} // namespace sp::core
