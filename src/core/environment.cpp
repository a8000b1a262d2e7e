#include "sp/core/environment.hpp"

#include <nlohmann/json.hpp>

namespace sp::core {

namespace {

nlohmann::ordered_json long_form(const VariableSpec& variable, bool mask_secrets) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["value"] = variable.secret && mask_secrets ? std::string(secret_mask) : variable.value;
  json["secret"] = variable.secret;
  json["description"] = variable.description;
  return json;
}

} // namespace

nlohmann::ordered_json to_json(const EnvironmentSpec& spec, bool mask_secrets) {
  nlohmann::ordered_json variables = nlohmann::ordered_json::object();
  for (const auto& [name, variable] : spec.variables) {
    if (!variable.secret && variable.description.empty()) {
      variables[name] = variable.value;
      continue;
    }
    auto json = long_form(variable, mask_secrets);
    if (!variable.secret) json.erase("secret");
    if (variable.description.empty()) json.erase("description");
    variables[name] = std::move(json);
  }
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["variables"] = std::move(variables);
  return json;
}

nlohmann::ordered_json to_comparable_json(const EnvironmentSpec& spec, bool mask_secrets) {
  nlohmann::ordered_json variables = nlohmann::ordered_json::object();
  for (const auto& [name, variable] : spec.variables) variables[name] = long_form(variable, mask_secrets);
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["variables"] = std::move(variables);
  return json;
}

VariableSet variable_set(const EnvironmentSpec& spec) {
  VariableSet set;
  for (const auto& [name, variable] : spec.variables)
    set.emplace(name, VariableValue{variable.value, variable.secret});
  return set;
}

} // namespace sp::core
