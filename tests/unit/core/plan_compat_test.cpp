// compare_plans over compiled plans shaped as Flink 1.20 writes them
// (examples/sql's job: scan → calc → exchange → group aggregate → sink).
#include "sp/core/plan_compat.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace sp::core;

namespace {

// The example job's plan with what a test changes filled in.
std::string plan(const std::string& filter = "(amount > 5)J", const std::string& key_type = "`customer` INT",
                 const std::string& aggregate = "stream-exec-group-aggregate_1",
                 const std::string& state = "groupAggregateState", bool extra_calc = false) {
  std::string nodes = fmt::format(
      R"J({{"id":1,"type":"stream-exec-table-source-scan_1","outputType":"ROW<`order_id` BIGINT, {0}, `amount` DOUBLE>","description":"TableSourceScan(table=[orders])","inputProperties":[]}},)J"
      R"J({{"id":2,"type":"stream-exec-calc_1","outputType":"ROW<{0}, `amount` DOUBLE>","description":"Calc(where=[{1}])","inputProperties":[{{"requiredDistribution":{{"type":"UNKNOWN"}}}}]}},)J"
      R"J({{"id":3,"type":"stream-exec-exchange_1","outputType":"ROW<{0}, `amount` DOUBLE>","description":"Exchange(distribution=[hash[customer]])","inputProperties":[{{"requiredDistribution":{{"type":"HASH","keys":[0]}}}}]}},)J"
      R"J({{"id":4,"type":"{2}","grouping":[0],"state":[{{"index":0,"ttl":"0 ms","name":"{3}"}}],"outputType":"ROW<{0}, `EXPR$1` BIGINT NOT NULL>","description":"GroupAggregate(groupBy=[customer])","inputProperties":[{{"requiredDistribution":{{"type":"UNKNOWN"}}}}]}},)J"
      R"J({{"id":5,"type":"stream-exec-sink_1","outputType":"ROW<{0}, `EXPR$1` BIGINT NOT NULL>","description":"Sink(table=[totals])","inputProperties":[]}})J",
      key_type, filter, aggregate, state);
  std::string edges =
      R"J({"source":1,"target":2},{"source":2,"target":3},{"source":3,"target":4},{"source":4,"target":5})J";
  if (extra_calc) {
    nodes +=
        R"J(,{"id":6,"type":"stream-exec-calc_1","outputType":"ROW<x INT>","description":"Calc()","inputProperties":[]})J";
    edges += R"J(,{"source":5,"target":6})J";
  }
  return R"J({"flinkVersion":"1.20","nodes":[)J" + nodes + R"J(],"edges":[)J" + edges + "]}";
}

PlanComparison compare(const std::string& before, const std::string& after) {
  return compare_plans(read_compiled_plan(before).value(), read_compiled_plan(after).value());
}

} // namespace

TEST_CASE("a compiled plan reads into nodes with state, keys, types and inputs", "[core][plan]") {
  auto read = read_compiled_plan(plan());
  REQUIRE(read);
  CHECK(read->flink_version == "1.20");
  REQUIRE(read->nodes.size() == 5);
  CHECK(read->nodes[3].type == "stream-exec-group-aggregate_1");
  CHECK(read->nodes[3].state == std::vector<std::string>{"0:groupAggregateState"});
  CHECK(read->nodes[3].inputs == std::vector<int>{3});
  CHECK(read->nodes[0].state.empty());
  CHECK_THAT(read->nodes[2].keys, Catch::Contains("HASH"));
  for (const char* bad : {"", "{}", "[]", R"J({"nodes":[{"id":"x"}]})J", R"J({"nodes":3})J"}) {
    CAPTURE(bad);
    CHECK_FALSE(read_compiled_plan(bad));
  }
}

TEST_CASE("plans compare as same, stateless-only or breaking, naming the operator", "[core][plan]") {
  CHECK(compare(plan(), plan()).change == PlanChange::same);

  const auto filter = compare(plan(), plan("(amount > 10)"));
  CHECK(filter.change == PlanChange::stateless);
  REQUIRE(filter.details.size() == 1);
  CHECK_THAT(filter.details[0], Catch::StartsWith("node 2 (stream-exec-calc"));

  const auto key = compare(plan(), plan("(amount > 5)J", "`region` STRING"));
  CHECK(key.change == PlanChange::breaking);
  CHECK_THAT(key.details.front(), Catch::Contains("node 4 (stream-exec-group-aggregate"));
  CHECK_THAT(key.details.front(), Catch::Contains("`region` STRING"));

  const auto version =
      compare(plan(), plan("(amount > 5)J", "`customer` INT", "stream-exec-group-aggregate_2"));
  CHECK(version.change == PlanChange::breaking);
  CHECK_THAT(version.details.front(),
             Catch::Contains("was stream-exec-group-aggregate_1, is stream-exec-group-aggregate_2"));

  const auto state =
      compare(plan(), plan("(amount > 5)J", "`customer` INT", "stream-exec-group-aggregate_1", "other"));
  CHECK(state.change == PlanChange::breaking);
  CHECK_THAT(state.details.front(), Catch::Contains("its state changed"));

  const auto graph = compare(plan(), plan("(amount > 5)J", "`customer` INT", "stream-exec-group-aggregate_1",
                                          "groupAggregateState", true));
  CHECK(graph.change == PlanChange::breaking);
  CHECK_THAT(graph.details[0], Catch::Contains("operator graph changed (5 nodes, now 6)"));
  CHECK_THAT(graph.details[1], Catch::Contains("node 4"));
  CHECK(to_string(PlanChange::stateless) == "stateless-only");
}
