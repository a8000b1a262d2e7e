// A registered Flink distribution (SPEC.md section 1): a FLINK_HOME and the
// version found in it. Global, not per environment.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sp::core {

struct FlinkSpec {
  std::string home;    // absolute FLINK_HOME
  std::string version; // detected from lib/flink-dist*.jar, never written by users
  bool operator==(const FlinkSpec&) const = default;
};

// Canonical JSON {home, version}; the declarative form (`sp export`) has only home.
nlohmann::ordered_json to_json(const FlinkSpec& spec);

// The Flink version named by a distribution jar's file name:
// "flink-dist-1.20.0.jar" and "flink-dist_2.12-1.14.6.jar" give "1.20.0" and
// "1.14.6"; any other name gives nullopt.
std::optional<std::string> flink_version_from_dist_jar(std::string_view file_name);

} // namespace sp::core
