#include "sp/core/apply_plan.hpp"

#include "sp/core/object_rules.hpp"

#include "object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::core {

namespace {

// Replaces masked secret values by the current ones; reports those it cannot.
void keep_current_secrets(Manifest& desired, const Manifest* current, std::vector<Problem>& problems) {
  if (desired.kind != ObjectKind::environment) return;
  auto& variables = std::get<EnvironmentSpec>(desired.spec).variables;
  const EnvironmentSpec* existing = current ? &std::get<EnvironmentSpec>(current->spec) : nullptr;
  for (auto& [name, variable] : variables) {
    if (!variable.secret || variable.value != secret_mask) continue;
    const VariableSpec* kept = nullptr;
    if (existing) {
      auto it = existing->variables.find(name);
      if (it != existing->variables.end() && it->second.secret) kept = &it->second;
    }
    if (kept) {
      variable.value = kept->value;
      continue;
    }
    const std::string field = detail::join_field(detail::join_field("spec.variables", name), "value");
    problems.push_back(
        {location_of(desired, detail::join_field("spec.variables", name)), field,
         fmt::format("{} stands for the current secret value, but environment {} has no secret {}; "
                     "write the real value",
                     secret_mask, desired.name, name)});
  }
}

} // namespace

std::string_view to_string(ApplyOutcome outcome) {
  switch (outcome) {
  case ApplyOutcome::created:
    return "created";
  case ApplyOutcome::configured:
    return "configured";
  case ApplyOutcome::unchanged:
    return "unchanged";
  }
  return "unchanged";
}

bool ApplyPlan::has_changes() const {
  return std::ranges::any_of(objects,
                             [](const PlannedObject& o) { return o.outcome != ApplyOutcome::unchanged; });
}

Result<ApplyPlan> plan_apply(std::vector<Manifest> desired, const ObjectSet& current) {
  std::ranges::stable_sort(desired, {}, [](const Manifest& m) { return static_cast<int>(m.kind); });
  ApplyPlan plan;
  std::vector<Problem> problems;
  for (auto& manifest : desired) {
    const auto found = current.find(key_of(manifest));
    const Manifest* existing = found == current.end() ? nullptr : &found->second;
    keep_current_secrets(manifest, existing, problems);
    if (manifest.kind == ObjectKind::environment) {
      keep_secret_flags(std::get<EnvironmentSpec>(manifest.spec),
                        existing ? &std::get<EnvironmentSpec>(existing->spec) : nullptr);
    }
    PlannedObject planned{manifest, ApplyOutcome::created, {}};
    if (existing) {
      planned.changes = diff_json(to_comparable_json(*existing, false), to_comparable_json(manifest, false),
                                  to_comparable_json(*existing, true), to_comparable_json(manifest, true));
      planned.outcome = planned.changes.empty() ? ApplyOutcome::unchanged : ApplyOutcome::configured;
    }
    plan.objects.push_back(std::move(planned));
  }
  if (auto error = problems_error(problems, "planning")) return std::unexpected(*error);
  return plan;
}

} // namespace sp::core
