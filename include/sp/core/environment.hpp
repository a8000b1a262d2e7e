// An environment's declared variables (SPEC.md sections 1, 4). Environments
// work like namespaces: clusters and jobs live in one; variables have a value
// per environment.
#pragma once

#include "sp/core/substitution.hpp"
#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>

namespace sp::core {

// The environment sp acts in when none is chosen; it always exists.
inline constexpr std::string_view default_environment = "default";

struct VariableSpec {
  std::string value;
  bool secret = false;
  std::string description;
  bool operator==(const VariableSpec&) const = default;
};

struct EnvironmentSpec {
  std::map<std::string, VariableSpec> variables;
  bool operator==(const EnvironmentSpec&) const = default;
};

// Canonical JSON: {"variables": {name: value}} for a plain variable, or
// {name: {value, secret, description}} when it is secret or described.
// With `mask_secrets`, secret values are secret_mask.
nlohmann::ordered_json to_json(const EnvironmentSpec& spec, bool mask_secrets);

// The same data with every variable in the long form, so diffs name the
// field that changed (value, secret or description).
nlohmann::ordered_json to_comparable_json(const EnvironmentSpec& spec, bool mask_secrets);

// The values substitution sees.
VariableSet variable_set(const EnvironmentSpec& spec);

} // namespace sp::core
