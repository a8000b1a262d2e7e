#include "sp/build/project_build.hpp"

#include "sp/build/artifacts.hpp"
#include "sp/build/build_log.hpp"
#include "sp/core/artifact.hpp"
#include "sp/store/events.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/redact.hpp"
#include "sp/util/strings.hpp"
#include "sp/util/time.hpp"

#include <fmt/format.h>

namespace sp::build {

namespace {

using std::chrono::milliseconds;

// Fetching is not covered by the build timeout; this bounds how long a lock
// from another host survives its holder's death during a clone.
constexpr milliseconds fetch_allowance{15 * 60 * 1000};
constexpr milliseconds lock_margin{60 * 1000};

// The steps after the build row exists, sharing the row, the log and the services.
class BuildSteps {
public:
  BuildSteps(const BuildServices& services, const store::ProjectRow& project, store::BuildRow row,
             BuildLog log)
      : services_(services), project_(project), row_(std::move(row)), log_(std::move(log)) {}

  BuildOutcome run(store::ScopedLock& lock);

private:
  Result<core::CommitInfo> fetch();
  Result<std::filesystem::path> build_directory();
  struct CommandEnding {
    std::optional<std::int64_t> exit_code; // when it ran to an exit
    std::optional<Error> error;            // when it did not succeed
  };
  CommandEnding run_command(const std::filesystem::path& directory, store::ScopedLock& lock);
  Result<core::ArtifactInfo> collect_artifact(const std::filesystem::path& directory);
  BuildOutcome finish(core::BuildStatus status, std::optional<core::ArtifactInfo> artifact,
                      std::optional<std::int64_t> exit_code, std::optional<Error> error);
  // What errors say was being done.
  std::string doing() const { return fmt::format("building project {} (build {})", project_.name, row_.id); }

  const BuildServices& services_;
  const store::ProjectRow& project_;
  store::BuildRow row_;
  BuildLog log_;
};

BuildOutcome BuildSteps::run(store::ScopedLock& lock) {
  auto commit = fetch();
  if (!commit) return finish(core::BuildStatus::failed, {}, {}, commit.error().within(doing()));
  store::record_checkout(services_.database, row_.id, *commit, services_.now_ms());

  auto directory = build_directory();
  if (!directory) return finish(core::BuildStatus::failed, {}, {}, directory.error());
  auto ending = run_command(*directory, lock);
  if (ending.error) return finish(core::BuildStatus::failed, {}, ending.exit_code, std::move(ending.error));
  auto artifact = collect_artifact(*directory);
  if (!artifact) return finish(core::BuildStatus::failed, {}, 0, artifact.error());
  return finish(core::BuildStatus::success, *artifact, 0, std::nullopt);
}

Result<core::CommitInfo> BuildSteps::fetch() {
  const std::string shown_url = util::redact_urls(project_.spec.url);
  const std::string line =
      fmt::format("build {} of {}: fetching {} at {}", row_.id, project_.name, shown_url, row_.ref);
  log_.note(line);
  services_.note(line);
  auto commit = services_.fetcher.checkout({.url = project_.spec.url,
                                            .ref = row_.ref,
                                            .checkout_dir = workspace_of(services_.home, project_.name),
                                            .auth = project_.spec.auth,
                                            .env = services_.env,
                                            .on_progress = services_.transfer_progress});
  if (commit) {
    log_.note(fmt::format("checked out {} ({}, {})", commit->sha, commit->author, commit->subject));
  }
  return commit;
}

Result<std::filesystem::path> BuildSteps::build_directory() {
  auto directory = workspace_of(services_.home, project_.name);
  if (!project_.spec.subdir.empty()) directory /= project_.spec.subdir;
  std::error_code ignored;
  if (!std::filesystem::is_directory(directory, ignored)) {
    return fail(ErrorKind::external, doing(),
                "subdirectory '" + project_.spec.subdir + "' does not exist at ref " + row_.ref,
                "fix the project's subdir");
  }
  return directory;
}

BuildSteps::CommandEnding BuildSteps::run_command(const std::filesystem::path& directory,
                                                  store::ScopedLock& lock) {
  const milliseconds timeout = project_.spec.timeout;
  lock.renew(services_.now_ms() + timeout.count() + lock_margin.count());
  const std::string command = util::join(row_.command, " ");
  const std::string line = fmt::format("build {}: running {} in {} (timeout {})", row_.id, command,
                                       directory.string(), util::format_duration(timeout));
  log_.note(line);
  services_.note(line);
  auto result = services_.runner.run({.argv = row_.command,
                                      .working_directory = directory,
                                      .timeout = timeout,
                                      .on_output =
                                          [this](std::string_view chunk) {
                                            log_.write(chunk);
                                            if (services_.follow) services_.follow(chunk);
                                          },
                                      .adopt_orphans = true});
  if (!result) return {std::nullopt, result.error().within(doing())};
  const std::string ending = row_.command.front() + " " + describe(*result, timeout);
  log_.note(ending);
  using Ending = ProcessResult::Ending;
  std::optional<std::int64_t> exit_code;
  if (result->ending == Ending::exited) exit_code = result->exit_code;
  if (exit_code == 0) return {exit_code, std::nullopt};
  const ErrorKind kind = result->ending == Ending::interrupted ? ErrorKind::interrupted : ErrorKind::external;
  return {exit_code, Error(kind, doing(), ending, "the log is kept: " + row_.log_path)};
}

Result<core::ArtifactInfo> BuildSteps::collect_artifact(const std::filesystem::path& directory) {
  auto files = list_files(directory);
  if (!files) return std::unexpected(files.error().within(doing()));
  auto chosen = core::choose_artifact(*files, project_.spec.artifact);
  if (!chosen) return std::unexpected(chosen.error().within(doing()));
  const auto destination = services_.home.artifacts() / project_.name / std::to_string(row_.id);
  auto stored = store_artifact(directory / chosen->path, destination);
  if (!stored) return std::unexpected(stored.error().within(doing()));
  log_.note(fmt::format("artifact {} ({} bytes, sha256 {}) stored as {}", chosen->path, stored->size,
                        stored->sha256, stored->path));
  return stored;
}

BuildOutcome BuildSteps::finish(core::BuildStatus status, std::optional<core::ArtifactInfo> artifact,
                                std::optional<std::int64_t> exit_code, std::optional<Error> error) {
  const std::int64_t now = services_.now_ms();
  std::optional<std::string> why;
  if (error) {
    why = util::redact_urls(error->what());
    log_.note("failed: " + *why);
  }
  std::string message = fmt::format("build {} {}", row_.id, core::to_string(status));
  if (artifact) message += fmt::format(": {} sha256 {}", artifact->path, artifact->sha256);
  if (why) message += ": " + *why;
  {
    store::Transaction transaction(services_.database);
    store::finish_build(
        services_.database, row_.id,
        {.status = status, .finished_at = now, .exit_code = exit_code, .artifact = artifact, .error = why});
    store::record_event(services_.database,
                        {.time_ms = now,
                         .subject_kind = "project",
                         .subject = project_.name,
                         .kind = status == core::BuildStatus::success ? "built" : "build-failed",
                         .actor = services_.builder.owner,
                         .host = services_.builder.host,
                         .message = message});
    transaction.commit();
  }
  if (log_.failure() && services_.warn) {
    services_.warn(fmt::format("build {}: its log {} is incomplete: writing it failed: {}", row_.id,
                               row_.log_path, *log_.failure()));
  }
  auto final_row = store::find_build(services_.database, project_.id, row_.id);
  return {final_row.value_or(row_), std::move(error)};
}

} // namespace

std::filesystem::path workspace_of(const store::HomeLayout& home, const std::string& project) {
  return home.workspace() / project;
}

Result<BuildOutcome> build_project(const BuildServices& services, const BuildRequest& request) {
  const std::string doing = "building project " + request.project;
  auto project = store::find_project(services.database, request.project);
  if (!project) {
    return fail(ErrorKind::not_found, doing, "there is no such project", "see `sp project list`");
  }
  const std::int64_t now = services.now_ms();
  const std::int64_t expiry = now + project->spec.timeout.count() * 1000 + fetch_allowance.count();
  auto lock = store::ScopedLock::acquire(services.database, store::project_lock_name(project->name),
                                         services.builder, {now, expiry}, services.pid_alive);
  if (!lock) return std::unexpected(lock.error().within(doing));
  if (const auto& stale = lock->taken_over()) {
    services.warn(fmt::format("note: took over the lock of a build that is gone ({}@{} pid {})",
                              stale->holder.owner, stale->holder.host, stale->holder.pid));
  }
  // Holding the lock proves no other build of this project runs: any row
  // still `building` belongs to a process that died midway.
  {
    store::Transaction transaction(services.database);
    store::fail_abandoned_builds(services.database, project->id, now);
    transaction.commit();
  }
  auto row = store::start_build(services.database,
                                {.project_id = project->id,
                                 .ref = request.ref.value_or(project->spec.ref),
                                 .command = core::effective_build_command(project->spec),
                                 .started_at = now,
                                 .host = services.builder.host,
                                 .pid = services.builder.pid},
                                services.home.logs() / "builds");
  auto log = BuildLog::open(row.log_path);
  if (!log) {
    store::finish_build(services.database, row.id,
                        {.status = core::BuildStatus::failed,
                         .finished_at = services.now_ms(),
                         .error = std::string(log.error().what())});
    return std::unexpected(log.error().within(doing));
  }
  BuildSteps steps(services, *project, std::move(row), std::move(*log));
  return steps.run(*lock);
}

} // namespace sp::build
