// ObjectReader over a yaml-cpp mapping, with file:line:column for every
// problem and every field read. Private to core: yaml-cpp stays out of the
// public headers.
#pragma once

#include "object_reader.hpp"

#include <yaml-cpp/yaml.h>

namespace sp::core::detail {

// Where a node was written, or nullopt for nodes without a position.
std::optional<SourceLocation> yaml_location(const std::string& file, const YAML::Mark& mark);

// What a node is, for "expected a string, got a sequence".
std::string_view yaml_node_noun(const YAML::Node& node);

// A reader over `node`, which must be a mapping (the caller checks).
std::unique_ptr<ObjectReader> yaml_reader(const YAML::Node& node, std::string path, const std::string& file,
                                          ReadLog& log);

} // namespace sp::core::detail
