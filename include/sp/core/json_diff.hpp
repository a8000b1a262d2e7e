// Field-level differences between two JSON documents, for `sp diff`, apply's
// events and drift.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sp::core {

struct FieldChange {
  std::string field;                            // "spec.args[1]", `spec.variables["db.url"].value`
  std::optional<nlohmann::ordered_json> before; // nullopt: the field was added
  std::optional<nlohmann::ordered_json> after;  // nullopt: the field was removed
  bool operator==(const FieldChange&) const = default;
};

// Compares `before` and `after` and reports each differing leaf (or whole
// value where the types differ). The values reported are taken from
// `shown_before` / `shown_after` at the same paths — documents of the same
// shape with secrets masked — so changes are found on real values and shown
// without them.
std::vector<FieldChange> diff_json(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after,
                                   const nlohmann::ordered_json& shown_before,
                                   const nlohmann::ordered_json& shown_after, const std::string& path = "");

// The same when nothing needs masking.
std::vector<FieldChange> diff_json(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after,
                                   const std::string& path = "");

} // namespace sp::core
