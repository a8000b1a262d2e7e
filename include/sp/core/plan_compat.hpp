// Whether a SQL job's new compiled plan can restore state its old one wrote
// (SPEC 14, upgrade safety). Pure: two plans as Flink's COMPILE PLAN writes
// them (JSON: nodes with id, type, state, grouping, input distributions,
// output type; edges), a verdict out.
//
// Where this is exact and where it is a heuristic: Flink maps state to
// operators by uid. A job not run from its compiled plan gets uids hashed
// from the operator graph, so the check demands the same graph (node types
// and edges) and, for every stateful node, the same node version, state
// names and indices, keys and input and output row types: that is exactly
// what the hashes and the state serializers see, but a change inside a
// stateless node (a filter's constant, a projection's expression) is assumed
// harmless to state, and a source's own state (Kafka offsets) is not seen.
#pragma once

#include "sp/util/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

struct PlanNode {
  int id = 0;
  std::string type;               // "stream-exec-group-aggregate_1": the node and its version
  std::vector<std::string> state; // "0:groupAggregateState", in index order; empty: stateless
  std::string keys;               // grouping and hash distributions, as JSON text
  std::string output_type;        // "ROW<`customer` INT, ...>"
  std::vector<int> inputs;        // ids of the nodes feeding it, in edge order
  std::string description;        // Flink's one-line description, for messages
};

struct CompiledPlan {
  std::string flink_version; // "1.20"
  std::vector<PlanNode> nodes;
};

// Errors: usage, naming what is missing, for text that is not a compiled plan.
Result<CompiledPlan> read_compiled_plan(std::string_view json);

enum class PlanChange {
  same,      // the plans are the same
  stateless, // only stateless nodes changed: state restores
  breaking,  // state would not restore, or restore wrongly
};

std::string_view to_string(PlanChange change);

struct PlanComparison {
  PlanChange change = PlanChange::same;
  std::vector<std::string> details; // one line per change, naming the node
};

PlanComparison compare_plans(const CompiledPlan& before, const CompiledPlan& after);

} // namespace sp::core
