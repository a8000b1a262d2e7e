#include "sp/core/drift.hpp"

#include "sp/core/json_diff.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

namespace sp::core {

nlohmann::ordered_json rendered_config(const Rendered<JobSpec>& rendered) { return to_json(rendered.clear); }

Drift compare_rendered(const nlohmann::json& current, const nlohmann::json& released) {
  // Key order carries no meaning; compare as ordered documents built from the same JSON.
  const auto changes = diff_json(nlohmann::ordered_json::parse(current.dump()),
                                 nlohmann::ordered_json::parse(released.dump()), "spec");
  Drift drift;
  if (changes.empty()) return drift;
  drift.drifted = true;
  for (const auto& change : changes) drift.fields.push_back(change.field);
  drift.reason = fmt::format("changed since the release: {}", util::join(drift.fields, ", "));
  return drift;
}

Drift job_drift(const std::string& job, const JobSpec& spec, const SubstitutionContext& context,
                const nlohmann::json& released) {
  auto rendered = render_job(job, spec, context);
  if (!rendered) {
    Drift drift{true, {}, "the job no longer renders: " + rendered.error().why()};
    return drift;
  }
  return compare_rendered(rendered_config(*rendered), released);
}

} // namespace sp::core
