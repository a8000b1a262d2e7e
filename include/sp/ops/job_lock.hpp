// The per-job operation lock, `job:<env>/<name>` in the locks table: start,
// stop, savepoint, adopt and recover hold it, so two sp processes (a user
// and the watch loop's restart, two CI pipelines) never act on one job at once.
#pragma once

#include "sp/ops/context.hpp"
#include "sp/store/locks.hpp"

#include <chrono>

namespace sp::ops {

// How long a job lock outlives the longest wait of the operation holding it
// before another sp may take it over as expired: room for what happens
// around the wait (uploading the jar, bin/flink, recording). A holder that
// is alive releases it long before; one that died on this host is taken
// over at once, whatever the expiry.
inline constexpr std::chrono::milliseconds job_lock_margin = std::chrono::minutes(10);

// Name of the job's operation lock.
std::string job_lock_name(const JobTarget& job);

// Takes the job's lock for an operation that waits at most `wait` on Flink;
// refused (exit 4) while another live process holds it.
Result<store::ScopedLock> lock_job(const OpsContext& context, const JobTarget& job,
                                   std::chrono::milliseconds wait = std::chrono::milliseconds::zero());

} // namespace sp::ops
