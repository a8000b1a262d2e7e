// `sp job adopt` and `sp cluster jobs`: taking over jobs already running on a
// cluster (started by hand or another tool), so teams can move to sp without
// restarting them. From then on watch, stop and the restore rules apply.
#pragma once

#include "sp/flink/model.hpp"
#include "sp/ops/context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

struct AdoptResult {
  std::int64_t run_id = 0;
  flink::JobOverview flink_job;
  int points_recorded = 0;
};

// Finds the Flink job by id, else the one alive job whose Flink name is the
// job's name; records it as the job's live run with its latest checkpoint.
Result<AdoptResult> adopt_job(const OpsContext& context, const JobTarget& job,
                              const std::optional<std::string>& flink_job_id);

// Picks the job to adopt from the cluster's overview (pure): by id, or the
// single alive job named `name`. Ambiguity and absence are errors that list
// what the cluster runs.
Result<flink::JobOverview> choose_job_to_adopt(const std::vector<flink::JobOverview>& jobs,
                                               const std::string& name,
                                               const std::optional<std::string>& flink_job_id);

} // namespace sp::ops
