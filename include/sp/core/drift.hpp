// Drift (SPEC.md section 4): a job whose configuration, rendered now, is no
// longer what its running release was rendered from — because the job or a
// variable it uses changed. `sp job list` marks such jobs `drift`.
#pragma once

#include "sp/core/render.hpp"

#include <string>
#include <string_view>

namespace sp::core {

// The digest a release records of its clear rendered configuration (the job
// spec with every variable resolved, as canonical JSON). Only the digest is
// stored, so secret values are not copied into releases, and drift can
// still see a rotated secret.
std::string config_fingerprint(std::string_view rendered_clear_json);

struct Drift {
  bool drifted = false;
  std::string reason; // one line for humans, never a value; empty when not drifted
};

// Renders the job as it is now and compares its fingerprint with the
// release's. Give the context the builtins the release was rendered with
// (its own sp.release), so that built-in alone never counts as drift. A job
// that no longer renders (a variable was removed) has drifted. ${env:...}
// values come from the context's process environment: give it the one the
// release was made with, or none, and expect ${env:...} jobs to show as
// drifted then.
Drift job_drift(const std::string& job, const JobSpec& spec, const SubstitutionContext& context,
                std::string_view release_fingerprint);

} // namespace sp::core
