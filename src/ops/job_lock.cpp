#include "sp/ops/job_lock.hpp"

namespace sp::ops {

std::string job_lock_name(const JobTarget& job) { return "job:" + job.environment + "/" + job.name; }

Result<store::ScopedLock> lock_job(const OpsContext& context, const JobTarget& job,
                                   std::chrono::milliseconds wait) {
  const std::int64_t now = context.clock.now_ms();
  return store::ScopedLock::acquire(context.database, job_lock_name(job), context.actor,
                                    {now, now + wait.count() + job_lock_margin.count()}, context.pid_alive);
}

} // namespace sp::ops
