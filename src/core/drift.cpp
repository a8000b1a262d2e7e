#include "sp/core/drift.hpp"

#include "sp/util/sha256.hpp"

#include <nlohmann/json.hpp>

namespace sp::core {

std::string config_fingerprint(std::string_view rendered_clear_json) {
  return util::sha256_hex(rendered_clear_json);
}

Drift job_drift(const std::string& job, const JobSpec& spec, const SubstitutionContext& context,
                std::string_view release_fingerprint) {
  auto rendered = render_job(job, spec, context);
  if (!rendered) return {true, "the job no longer renders: " + rendered.error().why()};
  if (config_fingerprint(to_json(rendered->clear).dump()) == release_fingerprint) return {};
  return {true, "its configuration or a variable it uses changed since the release"};
}

} // namespace sp::core
