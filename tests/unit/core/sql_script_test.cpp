// The SQL script splitter: every case SPEC.md section 14 names, table-driven.
#include "sp/core/sql_script.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sp;
using namespace sp::core;

namespace {

struct Expected {
  SqlStatementKind kind;
  std::string text;
  int line;
  int column;
};

void check_split(const std::string& script, const std::vector<Expected>& expected) {
  INFO("script: " << script);
  const auto split = split_sql_script(script, "job.sql");
  if (!split) FAIL(split.error().what());
  REQUIRE(split->statements.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("statement " << i);
    CHECK(split->statements[i].kind == expected[i].kind);
    CHECK(split->statements[i].text == expected[i].text);
    CHECK(split->statements[i].at.line == expected[i].line);
    CHECK(split->statements[i].at.column == expected[i].column);
  }
}

// The message of a script that must be refused, checked for kind and place.
std::string refusal(const std::string& script) {
  const auto split = split_sql_script(script, "job.sql");
  if (split) FAIL("accepted: " << script);
  CHECK(split.error().kind() == ErrorKind::usage);
  return split.error().what();
}

using K = SqlStatementKind;

} // namespace

TEST_CASE("statements are cut at semicolons outside quotes and comments", "[core][sql]") {
  const std::vector<std::pair<std::string, std::vector<Expected>>> cases{
      {"INSERT INTO s SELECT 1", {{K::insert, "INSERT INTO s SELECT 1", 1, 1}}},
      {"SET 'a' = 'b';\nINSERT INTO s SELECT 1;\n",
       {{K::set, "SET 'a' = 'b'", 1, 1}, {K::insert, "INSERT INTO s SELECT 1", 2, 1}}},
      {"INSERT INTO s SELECT 'a;b', 'it''s; fine'",
       {{K::insert, "INSERT INTO s SELECT 'a;b', 'it''s; fine'", 1, 1}}},
      {"INSERT INTO `we;ird` SELECT \"x;y\"", {{K::insert, "INSERT INTO `we;ird` SELECT \"x;y\"", 1, 1}}},
      {"-- a comment; with a semicolon\nINSERT INTO s SELECT 1 -- trailing; too\n;",
       {{K::insert, "INSERT INTO s SELECT 1", 2, 1}}},
      {"/* block; comment */ INSERT /* inner */ INTO s SELECT 1",
       {{K::insert, "INSERT   INTO s SELECT 1", 1, 22}}},
      {"INSERT INTO s /*+ OPTIONS('sink.parallelism'='2') */ SELECT 1",
       {{K::insert, "INSERT INTO s /*+ OPTIONS('sink.parallelism'='2') */ SELECT 1", 1, 1}}},
      {"SET 'a' = 'b';\r\nCREATE TABLE t (x INT)\r\n  WITH ('connector' = 'datagen');\r\nINSERT INTO s "
       "SELECT x FROM t",
       {{K::set, "SET 'a' = 'b'", 1, 1},
        {K::create, "CREATE TABLE t (x INT)\n  WITH ('connector' = 'datagen')", 2, 1},
        {K::insert, "INSERT INTO s SELECT x FROM t", 4, 1}}},
      {";;  ;\n  insert into s select 1;;", {{K::insert, "insert into s select 1", 2, 3}}},
      {"/* spans\ntwo lines */INSERT INTO s SELECT 1", {{K::insert, "INSERT INTO s SELECT 1", 2, 13}}},
      {"INSERT INTO s SELECT 'é'; DROP TABLE t",
       {{K::insert, "INSERT INTO s SELECT 'é'", 1, 1}, {K::drop, "DROP TABLE t", 1, 27}}},
  };
  for (const auto& [script, expected] : cases) check_split(script, expected);
}

TEST_CASE("every allowed statement kind is recognised in any letter case", "[core][sql]") {
  const std::vector<std::pair<std::string, K>> cases{
      {"set 'k' = 'v'", K::set},
      {"Reset 'k'", K::reset},
      {"create table t (x int)", K::create},
      {"DROP VIEW v", K::drop},
      {"alter table t rename to u", K::alter},
      {"use catalog c", K::use},
      {"LOAD MODULE hive", K::load},
      {"unload module hive", K::unload},
      {"add jar '/x.jar'", K::add_jar},
      {"Insert Overwrite t select 1", K::insert},
  };
  for (const auto& [statement, kind] : cases) {
    INFO(statement);
    const auto split = split_sql_script(statement, "job.sql");
    REQUIRE(split);
    REQUIRE(split->statements.size() == 1);
    CHECK(split->statements.front().kind == kind);
  }
}

TEST_CASE("SET and RESET give their key and value unquoted", "[core][sql]") {
  const auto split = split_sql_script("SET 'pipeline.name' = 'it''s mine';\n"
                                      "SET table.exec.mini-batch.enabled = true;\n"
                                      "RESET 'parallelism.default';\nRESET;\nINSERT INTO s SELECT 1",
                                      "job.sql");
  REQUIRE(split);
  const auto& s = split->statements;
  REQUIRE(s.size() == 5);
  CHECK(s[0].key == "pipeline.name");
  CHECK(s[0].value == "it's mine");
  CHECK(s[1].key == "table.exec.mini-batch.enabled");
  CHECK(s[1].value == "true");
  CHECK(s[2].key == "parallelism.default");
  CHECK(s[3].kind == K::reset);
  CHECK(s[3].key.empty());
}

TEST_CASE("both statement-set forms hold the inserts of one job", "[core][sql]") {
  check_split("CREATE TABLE t (x INT);\nbegin statement set;\nINSERT INTO a SELECT x FROM t;\n"
              "INSERT INTO b SELECT x FROM t;\nend;",
              {{K::create, "CREATE TABLE t (x INT)", 1, 1},
               {K::insert, "INSERT INTO a SELECT x FROM t", 3, 1},
               {K::insert, "INSERT INTO b SELECT x FROM t", 4, 1}});
  check_split("Execute Statement Set Begin\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT 2;\nEND",
              {{K::insert, "INSERT INTO a SELECT 1", 2, 3}, {K::insert, "INSERT INTO b SELECT 2", 3, 3}});
  const auto split = split_sql_script("INSERT INTO a SELECT 1; INSERT INTO b SELECT 2", "job.sql");
  REQUIRE(split);
  CHECK(split->insert_count() == 2); // loose inserts are one set too
}

TEST_CASE("a broken script is refused naming its line and column", "[core][sql]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"INSERT INTO s SELECT 'open", "reading job.sql:1:22: unterminated string"},
      {"INSERT INTO s\nSELECT `open", "reading job.sql:2:8: unterminated identifier"},
      {"INSERT INTO s SELECT 1 /* open", "reading job.sql:1:24: unterminated comment"},
      {"INSERT INTO s /*+ OPTIONS(", "reading job.sql:1:15: unterminated hint"},
      {"CREATE TABLE t (x INT);\n\n  SELECT * FROM t",
       "reading job.sql:3:3: a job script cannot hold a query (SELECT)"},
      {"WITH a AS (SELECT 1) SELECT * FROM a",
       "reading job.sql:1:1: a job script cannot hold a query (WITH)"},
      {"SHOW TABLES; INSERT INTO s SELECT 1",
       "reading job.sql:1:1: 'SHOW' is not a statement a job script may hold"},
      {"SET;", "reading job.sql:1:1: SET needs a key and a value"},
      {"SET 'a';", "reading job.sql:1:1: SET needs a key and a value"},
      {"RESET 'a' 'b'", "reading job.sql:1:1: RESET takes one key"},
      {"BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;", "reading job.sql:1:1: a statement set without END"},
      {"BEGIN STATEMENT SET;\nEND;", "reading job.sql:1:1: a statement set without an INSERT"},
      {"INSERT INTO a SELECT 1;\nEND;", "reading job.sql:2:1: END without BEGIN STATEMENT SET"},
      {"BEGIN STATEMENT SET;\nCREATE TABLE t (x INT);\nEND;",
       "reading job.sql:2:1: only INSERT belongs in a statement set (opened at line 1)"},
      {"BEGIN STATEMENT SET;\nBEGIN STATEMENT SET;",
       "reading job.sql:2:1: a statement set inside the one opened at line 1"},
      {"BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END;\nBEGIN STATEMENT SET; INSERT INTO b SELECT 1; END;",
       "reading job.sql:2:1: a second statement set (the first is at line 1)"},
      {"INSERT INTO a SELECT 1;\nBEGIN STATEMENT SET; INSERT INTO b SELECT 1; END;",
       "reading job.sql:2:1: an INSERT at line 1 outside the statement set at line 2"},
      {"BEGIN STATEMENT SET; INSERT INTO b SELECT 1; END;\n\nINSERT INTO a SELECT 1;",
       "reading job.sql:3:1: an INSERT at line 3 outside the statement set at line 1"},
  };
  for (const auto& [script, message] : cases) {
    INFO(script);
    CHECK_THAT(refusal(script), Catch::StartsWith(message));
  }
}

TEST_CASE("a job script must hold an INSERT", "[core][sql]") {
  const auto ddl_only = split_sql_script("CREATE TABLE t (x INT) WITH ('connector' = 'datagen');", "job.sql");
  REQUIRE(ddl_only);
  const auto required = require_insert(*ddl_only, "job.sql");
  REQUIRE_FALSE(required);
  CHECK(required.error().kind() == ErrorKind::usage);
  CHECK_THAT(required.error().what(), Catch::Contains("no INSERT"));
  const auto empty = split_sql_script("-- nothing here\n", "job.sql");
  REQUIRE(empty);
  CHECK(empty->statements.empty());
  CHECK_FALSE(require_insert(*empty, "job.sql"));
  CHECK(require_insert(*split_sql_script("INSERT INTO s SELECT 1", "job.sql"), "job.sql"));
}
