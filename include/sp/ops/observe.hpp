// Reading a run's truth from its JobManager and writing it down: the live
// state of a Flink job and its completed checkpoints and savepoints.
#pragma once

#include "sp/flink/model.hpp"
#include "sp/flink/rest_client.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/runs.hpp"

#include <optional>
#include <string>

namespace sp::ops {

// The Flink job's entry in GET /jobs/overview, or nullopt when the JobManager does not list it.
Result<std::optional<flink::JobOverview>> find_flink_job(flink::RestClient& rest,
                                                         const std::string& flink_job_id);

// Restore points from one checkpoint statistics answer: the latest completed
// checkpoint and the latest savepoint (deduplicated per run). Returns how many were new.
int record_checkpoint_stats(store::Database& database, std::int64_t job_id, std::int64_t run_id,
                            const flink::CheckpointStats& stats, std::int64_t now_ms);

// Appends a job event with the acting user and host.
void record_job_event(const OpsContext& context, const JobTarget& job, const std::string& kind,
                      const std::string& message);

// Flink states in which a job is still alive (not globally terminal).
bool is_alive_state(const std::string& state);

// One run's failures as its JobManager holds them (SPEC 16), or why they
// cannot be read: a JobManager keeps an ended job only for
// jobstore.expiration-time (1 hour by default), and a YARN application's
// JobManager goes with the application.
struct RunExceptions {
  store::RunRow run;
  Result<flink::ExceptionHistory> history; // or why it cannot be read
};

struct ExceptionsQuery {
  std::optional<std::int64_t> run_id; // one run; else the newest `runs` runs that reached Flink
  int runs = 5;
  int entries_per_run = 20;
};

// Newest run first. A run of another job is not_found (exit 3); a run
// that never reached Flink has nothing to ask for and is left out.
Result<std::vector<RunExceptions>> job_exceptions(const OpsContext& context, const JobTarget& job,
                                                  const ExceptionsQuery& query);

} // namespace sp::ops
