#include "sp/cli/output.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace sp::cli;
using sp::core::OutputFormat;

namespace {

View sample_list() {
  Data rows = Data::array();
  rows.push_back({{"name", "orders-enrich"},
                  {"state", "RUNNING"},
                  {"parallelism", 4},
                  {"drift", false},
                  {"labels", Data::array({"realtime", "eu"})}});
  rows.push_back({{"name", "clicks"},
                  {"state", nullptr},
                  {"parallelism", 1},
                  {"drift", true},
                  {"labels", Data::array()}});
  rows.push_back({{"name", "yes"},
                  {"state", "123"},
                  {"parallelism", 2},
                  {"drift", false},
                  {"labels", Data::array({""})}});
  return {rows, {{"name", ""}, {"state", ""}, {"parallelism", "PAR"}, {"drift", ""}}};
}

View sample_record() {
  Data record = Data::object();
  record["name"] = "orders-enrich";
  record["restore"] = {{"kind", "savepoint"}, {"path", "file:///sp/savepoint-1"}};
  record["tries"] = 3;
  return {record, {}};
}

std::string rendered(const View& view, OutputFormat format) {
  std::ostringstream out;
  render(out, view, {.format = format, .color = false});
  return out.str();
}

} // namespace

TEST_CASE("a list renders as aligned columns, JSON and YAML (golden)", "[cli][output]") {
  const auto list = sample_list();
  CHECK(rendered(list, OutputFormat::table) ==
        sp::test::golden("list.table.txt", rendered(list, OutputFormat::table)));
  CHECK(rendered(list, OutputFormat::json) ==
        sp::test::golden("list.json", rendered(list, OutputFormat::json)));
  CHECK(rendered(list, OutputFormat::yaml) ==
        sp::test::golden("list.yaml", rendered(list, OutputFormat::yaml)));
}

TEST_CASE("a record renders as key: value lines with nested records indented (golden)", "[cli][output]") {
  const auto record = sample_record();
  CHECK(rendered(record, OutputFormat::table) ==
        sp::test::golden("record.table.txt", rendered(record, OutputFormat::table)));
  CHECK(rendered(record, OutputFormat::yaml) ==
        sp::test::golden("record.yaml", rendered(record, OutputFormat::yaml)));
}

TEST_CASE("YAML quotes strings a reader would take for other types", "[cli][output]") {
  const std::string yaml = rendered(sample_list(), OutputFormat::yaml);
  CHECK(yaml.find("name: \"yes\"") != std::string::npos);
  CHECK(yaml.find("state: \"123\"") != std::string::npos);
  CHECK(yaml.find("- \"\"") != std::string::npos);
}

TEST_CASE("table cells: null is a dash, arrays are comma-joined", "[cli][output]") {
  CHECK(table_cell(Data()) == "-");
  CHECK(table_cell(Data::array({"a", "b"})) == "a,b");
  CHECK(table_cell(Data(42)) == "42");
  CHECK(table_cell(Data("x y")) == "x y");
}

TEST_CASE("an empty list renders its header only, and [] in JSON", "[cli][output]") {
  View empty{Data::array(), {{"name", ""}, {"state", ""}}};
  CHECK(rendered(empty, OutputFormat::table) == "NAME  STATE\n");
  CHECK(rendered(empty, OutputFormat::json) == "[]\n");
}
