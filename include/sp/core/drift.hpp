// Drift (SPEC.md section 4): a job whose configuration, rendered now, is no
// longer what its running release was rendered from — because the job or a
// variable it uses changed. `sp job list` marks such jobs `drift`.
#pragma once

#include "sp/core/render.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace sp::core {

// What a release stores as its rendered configuration: the job spec with
// every variable resolved (real values), in canonical JSON.
nlohmann::ordered_json rendered_config(const Rendered<JobSpec>& rendered);

struct Drift {
  bool drifted = false;
  std::vector<std::string> fields; // the fields that differ, never their values
  std::string reason;              // one line for humans; empty when not drifted
};

// Compares two rendered configurations.
Drift compare_rendered(const nlohmann::json& current, const nlohmann::json& released);

// Renders the job as it is now (the context's builtins should carry the
// release's own sp.release, so that built-in alone never counts as drift) and
// compares it with the release's rendered configuration. A job that no
// longer renders (a variable was removed) has drifted. ${env:...} values
// come from the context's process environment: give it the one the release
// was made with, or none, and expect ${env:...} jobs to show as drifted then.
Drift job_drift(const std::string& job, const JobSpec& spec, const SubstitutionContext& context,
                const nlohmann::json& released);

} // namespace sp::core
