#include "sp/ops/release.hpp"

#include "sp/core/drift.hpp"
#include "sp/core/text_diff.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/projects.hpp"
#include "sp/store/runs.hpp"
#include "sp/util/sha256.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

Result<ResolvedArtifact> from_project(store::Database& database, const JobTarget& job,
                                      const std::string& project_name, std::optional<std::int64_t> build_id) {
  const std::string doing = "finding the artifact of job " + job.name;
  auto project = store::find_project(database, project_name);
  if (!project) return fail(ErrorKind::not_found, doing, "no project named " + project_name);
  if (!build_id && job.spec.artifact.build != "latest") {
    try {
      build_id = std::stoll(job.spec.artifact.build);
    } catch (const std::exception&) {
      return fail(ErrorKind::usage, doing,
                  "artifact.build must be `latest` or a build id, not " + job.spec.artifact.build);
    }
  }
  std::optional<store::BuildRow> build;
  if (build_id) {
    build = store::find_build(database, project->id, *build_id);
    if (!build)
      return fail(ErrorKind::not_found, doing,
                  fmt::format("project {} has no build {}", project_name, *build_id));
    if (build->status != core::BuildStatus::success || !build->artifact) {
      return fail(ErrorKind::refused, doing,
                  fmt::format("build {} of project {} did not succeed", *build_id, project_name));
    }
  } else {
    for (auto& candidate : store::list_builds(database, project->id)) {
      if (candidate.status == core::BuildStatus::success && candidate.artifact) {
        build = std::move(candidate);
        break;
      }
    }
    if (!build) {
      return fail(ErrorKind::not_found, doing, "project " + project_name + " has no successful build",
                  "run `sp project build " + project_name + "`");
    }
  }
  return ResolvedArtifact{build->artifact->path, build->artifact->sha256, build->id,
                          fmt::format("project {} build {}", project_name, build->id)};
}

} // namespace

Result<ResolvedArtifact> resolve_artifact(store::Database& database, const JobTarget& job,
                                          std::optional<std::int64_t> build_id) {
  if (job.spec.artifact.project) return from_project(database, job, *job.spec.artifact.project, build_id);
  if (!job.spec.artifact.jar) {
    return fail(ErrorKind::usage, "finding the artifact of job " + job.name,
                "the job names no project and no jar");
  }
  const std::string& jar = *job.spec.artifact.jar;
  auto digest = util::sha256_file(jar);
  if (!digest) {
    return fail(ErrorKind::not_found, "finding the artifact of job " + job.name, "cannot read jar " + jar);
  }
  return ResolvedArtifact{jar, *digest, std::nullopt, "jar " + jar};
}

namespace {

// What a release is made of: the jar Flink runs (the job's own, or the SQL
// runner for the cluster's Flink line) and, for a SQL job, its script.
struct ReleaseInputs {
  ResolvedArtifact artifact;
  std::optional<std::string> sql_template;
  std::optional<std::string> sql_digest;
  std::optional<PreparedSql> sql; // for the planner check a new release passes
};

Result<ReleaseInputs> release_inputs(const OpsContext& context, const JobTarget& job,
                                     std::optional<std::int64_t> build_id) {
  if (!job.spec.sql) {
    auto artifact = resolve_artifact(context.database, job, build_id);
    if (!artifact) return std::unexpected(artifact.error());
    return ReleaseInputs{std::move(*artifact), std::nullopt, std::nullopt, std::nullopt};
  }
  auto sql = read_sql_template(context, job, build_id);
  if (!sql) return std::unexpected(sql.error());
  auto prepared = prepare_sql(job, *sql);
  if (!prepared) return std::unexpected(prepared.error());
  auto version = cluster_flink_version(context, job);
  if (!version) return std::unexpected(version.error());
  auto runner = find_sql_runner(context, *version);
  if (!runner) return std::unexpected(runner.error());
  auto digest = util::sha256_file(*runner);
  if (!digest) {
    return fail(ErrorKind::not_found, "releasing job " + job.name,
                "cannot read the SQL runner " + runner->string());
  }
  ResolvedArtifact artifact{runner->string(), *digest, sql->build_id,
                            fmt::format("SQL {} (digest {}) on runner {}", sql->source,
                                        prepared->digest.substr(0, 12), runner->filename().string())};
  auto digest_of_script = prepared->digest;
  return ReleaseInputs{std::move(artifact), std::move(sql->text), std::move(digest_of_script),
                       std::move(*prepared)};
}

} // namespace

Result<ReleaseOutcome> ensure_release(const OpsContext& context, const JobTarget& job,
                                      const std::string& rendered_masked, const std::string& rendered_clear,
                                      std::optional<std::int64_t> build_id, bool dry_run) {
  auto inputs = release_inputs(context, job, build_id);
  if (!inputs) return std::unexpected(inputs.error());
  const auto& artifact = inputs->artifact;
  const std::string fingerprint = core::config_fingerprint(rendered_clear);
  if (auto latest = store::latest_release(context.database, job.job_id);
      latest && latest->fingerprint == fingerprint && latest->artifact_sha256 == artifact.sha256 &&
      latest->sql_digest == inputs->sql_digest) {
    return ReleaseOutcome{*latest, false};
  }
  store::ReleaseRow release;
  release.job_id = job.job_id;
  release.build_id = artifact.build_id;
  release.artifact_path = artifact.path;
  release.artifact_sha256 = artifact.sha256;
  release.rendered = rendered_masked;
  release.fingerprint = fingerprint;
  release.created_at = context.clock.now_ms();
  release.sql_template = inputs->sql_template;
  release.sql_digest = inputs->sql_digest;
  if (dry_run) return ReleaseOutcome{release, true};
  // SPEC 14: no release of a script Flink's planner refuses.
  if (inputs->sql) {
    auto planned = plan_sql(context, job, *inputs->sql, artifact.path);
    if (!planned) return std::unexpected(planned.error().within("releasing job " + job.name));
    release.compiled_plan = std::move(planned->compiled_plan);
  }
  store::Transaction transaction(context.database);
  release.id = store::insert_release(context.database, release);
  record_job_event(context, job, "released",
                   fmt::format("release {} of {} (sha256 {})", release.id, artifact.source,
                               artifact.sha256.substr(0, 12)));
  transaction.commit();
  return ReleaseOutcome{release, true};
}

Result<ReleaseDiff> diff_releases(store::Database& database, const JobTarget& job,
                                  std::optional<std::int64_t> from, std::optional<std::int64_t> to) {
  const std::string doing = "comparing releases of job " + job.name;
  if (!from) {
    const auto run = store::latest_run(database, job.job_id);
    if (!run || !run->release_id) {
      return fail(ErrorKind::not_found, doing, "the job has never run: give two release ids");
    }
    from = run->release_id;
  }
  if (!to) {
    const auto latest = store::latest_release(database, job.job_id);
    if (!latest) return fail(ErrorKind::not_found, doing, "the job has no release");
    to = latest->id;
  }
  auto find = [&](std::int64_t id) -> Result<store::ReleaseRow> {
    auto release = store::find_release(database, id);
    if (!release || release->job_id != job.job_id) {
      return fail(ErrorKind::not_found, doing, fmt::format("job {} has no release {}", job.name, id));
    }
    return *release;
  };
  auto before = find(*from);
  if (!before) return std::unexpected(before.error());
  auto after = find(*to);
  if (!after) return std::unexpected(after.error());
  ReleaseDiff diff{*before, *after, {}, {}, std::nullopt};
  diff.sql = core::unified_line_diff(before->sql_template.value_or(""), after->sql_template.value_or(""));
  diff.spec = core::diff_json(nlohmann::ordered_json::parse(before->rendered, nullptr, false),
                              nlohmann::ordered_json::parse(after->rendered, nullptr, false));
  if (before->compiled_plan && after->compiled_plan) {
    auto old_plan = core::read_compiled_plan(*before->compiled_plan);
    auto new_plan = core::read_compiled_plan(*after->compiled_plan);
    if (old_plan && new_plan) diff.plan = core::compare_plans(*old_plan, *new_plan);
  }
  return diff;
}

Result<void> check_release_artifact(const store::ReleaseRow& release) {
  auto digest = util::sha256_file(release.artifact_path);
  const std::string doing = fmt::format("checking the jar of release {}", release.id);
  if (!digest) return fail(ErrorKind::not_found, doing, release.artifact_path + " cannot be read");
  if (*digest != release.artifact_sha256) {
    return fail(ErrorKind::refused, doing, release.artifact_path + " changed since it was released",
                "run `sp job release` to release the current file");
  }
  return {};
}

} // namespace sp::ops
