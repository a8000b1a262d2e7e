// `sp job release`: an immutable snapshot of a job (its rendered spec and the
// digest of its artifact) that `start` submits.
#pragma once

#include "sp/core/json_diff.hpp"
#include "sp/core/plan_compat.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/releases.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

struct ResolvedArtifact {
  std::string path;
  std::string sha256;
  std::optional<std::int64_t> build_id;
  std::string source; // "project orders build 12" or "jar /path"
};

// The artifact the job names: a successful build of its project (`latest` or
// an id, overridden by `build_id`) or a jar path. Missing builds or files are
// not_found (exit 3).
Result<ResolvedArtifact> resolve_artifact(store::Database& database, const JobTarget& job,
                                          std::optional<std::int64_t> build_id);

struct ReleaseOutcome {
  store::ReleaseRow release;
  bool created = false; // false: the latest release already matched
};

// The release to run now: the latest one when its configuration fingerprint
// and artifact digest still match, else a new one. `rendered_masked` is
// what the release shows; `rendered_clear` only feeds the fingerprint.
Result<ReleaseOutcome> ensure_release(const OpsContext& context, const JobTarget& job,
                                      const std::string& rendered_masked, const std::string& rendered_clear,
                                      std::optional<std::int64_t> build_id, bool dry_run);

// `sp job diff` (SPEC 14): what changed between two releases of a job. By
// default `from` is the release of the job's latest run (the one running,
// or that ran last) and `to` the newest release. The script is compared as
// written, so no secret shows; the compiled plans are compared as a start
// would compare them.
struct ReleaseDiff {
  store::ReleaseRow from;
  store::ReleaseRow to;
  std::vector<std::string> sql;             // a unified diff of the scripts; empty when equal
  std::vector<core::FieldChange> spec;      // the rendered specs, masked
  std::optional<core::PlanComparison> plan; // nullopt: not both releases have a compiled plan
};
// Errors: an unknown release id of the job, or a job with fewer than the
// releases asked for (not_found, exit 3).
Result<ReleaseDiff> diff_releases(store::Database& database, const JobTarget& job,
                                  std::optional<std::int64_t> from, std::optional<std::int64_t> to);

// A release's jar must still be the file it was released with.
Result<void> check_release_artifact(const store::ReleaseRow& release);

} // namespace sp::ops
