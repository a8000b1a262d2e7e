// `sp job recover` (SPEC 5.9): rebuilds a job's runs and restore points from
// its cluster's JobManager and its state directories, after a lost database
// or on a new host. Idempotent: what is already recorded is left as it is.
#pragma once

#include "sp/ops/discovery.hpp"

namespace sp::ops {

struct RecoverResult {
  Discovery found;
  RecordedDiscovery recorded; // what was new (nothing with dry_run)
};

// Takes the job's lock, discovers, and (unless `dry_run`) records what is
// new, live runs included, so watch follows them from now on.
Result<RecoverResult> recover_job(const OpsContext& context, const JobTarget& job, bool dry_run);

} // namespace sp::ops
