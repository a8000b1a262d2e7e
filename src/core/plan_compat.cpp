#include "sp/core/plan_compat.hpp"

#include "sp/util/enum_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace sp::core {

namespace {

using Json = nlohmann::json;

constexpr util::EnumNames<PlanChange, 3> change_names{{
    {PlanChange::same, "same"},
    {PlanChange::stateless, "stateless-only"},
    {PlanChange::breaking, "breaking"},
}};

std::string text_of(const Json& node, const char* key) {
  if (!node.contains(key)) return {};
  const auto& value = node[key];
  return value.is_string() ? value.get_ref<const std::string&>() : value.dump();
}

// Keys a node partitions its state by: its grouping, and the hash
// distributions it requires of its inputs.
std::string keys_of(const Json& node) {
  Json keys = Json::object();
  if (node.contains("grouping")) keys["grouping"] = node["grouping"];
  if (node.contains("partitionSpec")) keys["partition"] = node["partitionSpec"];
  Json distributions = Json::array();
  if (node.contains("inputProperties") && node["inputProperties"].is_array()) {
    for (const auto& input : node["inputProperties"]) {
      if (input.is_object() && input.contains("requiredDistribution")) {
        distributions.push_back(input["requiredDistribution"]);
      }
    }
  }
  keys["inputs"] = std::move(distributions);
  return keys.dump();
}

std::vector<std::string> state_of(const Json& node) {
  std::vector<std::string> state;
  if (!node.contains("state") || !node["state"].is_array()) return state;
  for (const auto& entry : node["state"]) {
    if (!entry.is_object()) continue;
    const auto index = entry.find("index");
    const auto name = entry.find("name");
    state.push_back(
        fmt::format("{}:{}", index != entry.end() && index->is_number_integer() ? index->get<int>() : -1,
                    name != entry.end() && name->is_string() ? name->get_ref<const std::string&>() : "?"));
  }
  std::ranges::sort(state);
  return state;
}

Result<PlanNode> read_node(const Json& node) {
  if (!node.is_object() || !node.contains("id") || !node["id"].is_number_integer() ||
      !node.contains("type") || !node["type"].is_string()) {
    return fail(ErrorKind::usage, "reading a compiled plan", "a node without an integer id and a type");
  }
  PlanNode read;
  read.id = node["id"].get<int>();
  read.type = node["type"].get_ref<const std::string&>();
  read.state = state_of(node);
  read.keys = keys_of(node);
  read.output_type = text_of(node, "outputType");
  read.description = text_of(node, "description");
  return read;
}

std::string name_of(const PlanNode& node) {
  const auto version = node.type.rfind('_');
  const std::string type = version == std::string::npos ? node.type : node.type.substr(0, version);
  return node.description.empty() ? fmt::format("node {} ({})", node.id, type)
                                  : fmt::format("node {} ({}: {})", node.id, type, node.description);
}

// The types of the nodes feeding `node`, which is what its state was written from.
std::vector<std::string> input_types(const CompiledPlan& plan, const PlanNode& node) {
  std::map<int, const PlanNode*> by_id;
  for (const auto& candidate : plan.nodes) by_id[candidate.id] = &candidate;
  std::vector<std::string> types;
  for (const int input : node.inputs) {
    const auto it = by_id.find(input);
    types.push_back(it == by_id.end() ? "?" : it->second->output_type);
  }
  return types;
}

// What changed in a stateful node that its state cannot follow.
std::vector<std::string> state_changes(const CompiledPlan& before, const PlanNode& old_node,
                                       const CompiledPlan& after, const PlanNode& new_node) {
  std::vector<std::string> changes;
  const auto node = name_of(new_node);
  if (old_node.type != new_node.type) {
    changes.push_back(fmt::format("{}: was {}, is {}", node, old_node.type, new_node.type));
  }
  if (old_node.state != new_node.state) {
    changes.push_back(fmt::format("{}: its state changed from [{}] to [{}]", node,
                                  fmt::join(old_node.state, ", "), fmt::join(new_node.state, ", ")));
  }
  if (old_node.keys != new_node.keys) {
    changes.push_back(fmt::format("{}: its keys changed from {} to {}", node, old_node.keys, new_node.keys));
  }
  if (input_types(before, old_node) != input_types(after, new_node)) {
    changes.push_back(fmt::format("{}: its input changed from {} to {}", node,
                                  fmt::join(input_types(before, old_node), ", "),
                                  fmt::join(input_types(after, new_node), ", ")));
  }
  if (old_node.output_type != new_node.output_type) {
    changes.push_back(fmt::format("{}: its output changed from {} to {}", node, old_node.output_type,
                                  new_node.output_type));
  }
  return changes;
}

bool same_graph(const CompiledPlan& before, const CompiledPlan& after) {
  if (before.nodes.size() != after.nodes.size()) return false;
  for (std::size_t i = 0; i < before.nodes.size(); ++i) {
    const auto& old_node = before.nodes[i];
    const auto& new_node = after.nodes[i];
    if (old_node.id != new_node.id || old_node.inputs != new_node.inputs) return false;
    // Same kind of node in the same place; a stateful node's version is checked with its state.
    const auto kind = [](const std::string& type) { return type.substr(0, type.rfind('_')); };
    if (kind(old_node.type) != kind(new_node.type)) return false;
  }
  return true;
}

} // namespace

std::string_view to_string(PlanChange change) { return util::name_of(change_names, change); }

Result<CompiledPlan> read_compiled_plan(std::string_view json) {
  const std::string doing = "reading a compiled plan";
  const Json document = Json::parse(json, nullptr, false);
  if (!document.is_object() || !document.contains("nodes") || !document["nodes"].is_array()) {
    return fail(ErrorKind::usage, doing, "not a compiled plan: no list of nodes");
  }
  CompiledPlan plan;
  plan.flink_version = text_of(document, "flinkVersion");
  for (const auto& node : document["nodes"]) {
    auto read = read_node(node);
    if (!read) return std::unexpected(read.error());
    plan.nodes.push_back(std::move(*read));
  }
  std::ranges::sort(plan.nodes, {}, &PlanNode::id);
  if (document.contains("edges") && document["edges"].is_array()) {
    for (const auto& edge : document["edges"]) {
      if (!edge.is_object() || !edge.contains("source") || !edge.contains("target") ||
          !edge["source"].is_number_integer() || !edge["target"].is_number_integer()) {
        continue;
      }
      const int target = edge["target"].get<int>();
      const auto node = std::ranges::find(plan.nodes, target, &PlanNode::id);
      if (node != plan.nodes.end()) node->inputs.push_back(edge["source"].get<int>());
    }
  }
  return plan;
}

PlanComparison compare_plans(const CompiledPlan& before, const CompiledPlan& after) {
  PlanComparison comparison;
  auto stateful = [](const CompiledPlan& plan) {
    std::vector<const PlanNode*> nodes;
    for (const auto& node : plan.nodes) {
      if (!node.state.empty()) nodes.push_back(&node);
    }
    return nodes;
  };
  const auto old_stateful = stateful(before);
  const auto new_stateful = stateful(after);
  if (!same_graph(before, after)) {
    // Nodes cannot be paired once the graph moved: name what holds state.
    comparison.change = PlanChange::breaking;
    comparison.details.push_back(
        fmt::format("the operator graph changed ({} nodes, now {}): Flink derives operator ids from it",
                    before.nodes.size(), after.nodes.size()));
    for (const auto* node : old_stateful)
      comparison.details.push_back(name_of(*node) + ": its state would not be restored");
    return comparison;
  }
  for (std::size_t i = 0; i < old_stateful.size() && i < new_stateful.size(); ++i) {
    auto changes = state_changes(before, *old_stateful[i], after, *new_stateful[i]);
    if (changes.empty()) continue;
    comparison.change = PlanChange::breaking;
    comparison.details.insert(comparison.details.end(), changes.begin(), changes.end());
  }
  for (std::size_t i = new_stateful.size(); i < old_stateful.size(); ++i) {
    comparison.change = PlanChange::breaking;
    comparison.details.push_back(name_of(*old_stateful[i]) + ": is gone, and its state with it");
  }
  for (std::size_t i = old_stateful.size(); i < new_stateful.size(); ++i) {
    comparison.change = PlanChange::breaking;
    comparison.details.push_back(name_of(*new_stateful[i]) + ": is new and would start from empty state");
  }
  if (comparison.change == PlanChange::breaking) return comparison;
  if (before.flink_version != after.flink_version) {
    comparison.details.push_back(
        fmt::format("compiled by Flink {}, now {}", before.flink_version, after.flink_version));
  }
  const bool identical =
      std::ranges::equal(before.nodes, after.nodes, [](const PlanNode& a, const PlanNode& b) {
        return a.type == b.type && a.state == b.state && a.keys == b.keys && a.output_type == b.output_type &&
               a.inputs == b.inputs && a.description == b.description;
      });
  if (!identical) {
    comparison.change = PlanChange::stateless;
    for (std::size_t i = 0; i < before.nodes.size(); ++i) {
      if (before.nodes[i].description != after.nodes[i].description) {
        comparison.details.push_back(name_of(after.nodes[i]) + ": changed, and holds no state");
      }
    }
  }
  return comparison;
}

} // namespace sp::core
