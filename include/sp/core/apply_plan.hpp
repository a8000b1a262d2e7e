// What `sp apply` will do and `sp diff` shows: each declared object compared
// with what exists, field by field. Pure: the current objects are passed in.
#pragma once

#include "sp/core/json_diff.hpp"
#include "sp/core/manifest_validation.hpp"

#include <string_view>
#include <vector>

namespace sp::core {

enum class ApplyOutcome { created, configured, unchanged };
std::string_view to_string(ApplyOutcome outcome);

struct PlannedObject {
  Manifest desired; // with masked secrets replaced by the current values
  ApplyOutcome outcome = ApplyOutcome::unchanged;
  std::vector<FieldChange> changes; // secrets masked; empty for created objects
};

struct ApplyPlan {
  std::vector<PlannedObject> objects; // in creation order: by kind, then as declared
  bool has_changes() const;
};

// Compares every manifest with the current object of the same key.
// A secret variable written as the mask (`******`, as `sp export` prints it)
// keeps its current value, so exporting and applying again changes nothing;
// when there is no current secret to keep, that is a usage error.
Result<ApplyPlan> plan_apply(std::vector<Manifest> desired, const ObjectSet& current);

} // namespace sp::core
