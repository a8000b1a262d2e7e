// What the job commands share: building the operations context from an
// invocation, loading a job, and the views of operation results.
#pragma once

#include "sp/cli/invocation.hpp"
#include "sp/ops/context.hpp"
#include "sp/ops/job_loader.hpp"
#include "sp/ops/start.hpp"

#include <chrono>
#include <string>

namespace sp::cli {

// The real world for operations over `database`: libcurl, the system clock,
// the process environment, fork/exec. The caller keeps libcurl's global
// state alive (net::CurlGlobal) while the context is used.
ops::OpsContext real_ops_context(const Invocation& invocation, store::Database& database);

// Everything job operations need, for the lifetime of one command: the
// database, libcurl's global state, the real clock, HTTP and progress output.
class JobSession {
public:
  explicit JobSession(const Invocation& invocation);
  JobSession(const JobSession&) = delete;
  JobSession& operator=(const JobSession&) = delete;

  store::Database& database() { return database_; }
  const ops::OpsContext& context() const { return context_; }

private:
  net::CurlGlobal curl_;
  store::Database database_;
  ops::OpsContext context_;
};

ops::LoadedJob load_job_or_throw(JobSession& session, const Invocation& invocation, const std::string& name);

// "2m", "90s": a usage error names the flag.
std::chrono::milliseconds parse_wait(const std::string& flag, const std::string& text);

// The restore decision as data: action, reason, chosen point, candidates.
Data decision_data(const core::RestoreDecision& decision);

// Milliseconds since the epoch as ISO 8601 UTC, or null.
Data time_data(std::optional<std::int64_t> ms);

} // namespace sp::cli
