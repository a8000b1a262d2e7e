// One build of a project, end to end (SPEC.md section 8): lock the project,
// record the build, fetch and check out, run the build command with its log,
// choose and store the artifact, record how it ended. Everything it touches
// is passed in, so tests run it with a fake fetcher and runner on a real
// temporary database.
#pragma once

#include "sp/build/process.hpp"
#include "sp/build/source.hpp"
#include "sp/core/lock_rules.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/database.hpp"
#include "sp/store/store.hpp"
#include "sp/util/env.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sp::build {

struct BuildServices {
  store::Database& database;
  store::HomeLayout home;
  SourceFetcher& fetcher;
  ProcessRunner& runner;
  util::EnvLookup env;
  core::LockHolder builder; // this process: user, host, pid
  std::function<std::int64_t()> now_ms;
  core::PidProbe pid_alive;
  std::function<void(const std::string&)> note; // progress lines (a terminal only)
  std::function<void(const std::string&)> warn; // diagnostics worth a line even in a pipe
  std::function<void(std::string_view)> follow; // build output as it comes; empty: not shown
  std::function<void(const TransferProgress&)> transfer_progress; // empty: not shown
};

struct BuildRequest {
  std::string project;
  std::optional<std::string> ref; // overrides the project's ref for this build
};

struct BuildOutcome {
  store::BuildRow build;      // the final row
  std::optional<Error> error; // why it failed (external, unreachable, not_found, interrupted, ...)
};

// Errors before a build row exists (unknown project: not_found; another build
// of it running: refused) are returned as errors. From then on the outcome
// carries the recorded row, and the error when the build failed; the log is
// kept either way.
Result<BuildOutcome> build_project(const BuildServices& services, const BuildRequest& request);

// Where a project's checkout lives.
std::filesystem::path workspace_of(const store::HomeLayout& home, const std::string& project);

} // namespace sp::build
