#include "sp/ops/sql_job.hpp"

#include "sp/build/process.hpp"
#include "sp/build/source.hpp"
#include "sp/core/render.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/flinks.hpp"
#include "sp/store/projects.hpp"
#include "sp/store/releases.hpp"
#include "sp/store/runs.hpp"
#include "sp/util/encoding.hpp"
#include "sp/util/file.hpp"
#include "sp/util/sha256.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sp::ops {

namespace {

std::string doing(const std::string& job) { return "reading the SQL of job " + job; }
std::string doing(const JobTarget& job) { return doing(job.name); }

Result<SqlTemplate> from_file(const std::string& job, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::not_found, doing(job), "cannot read the SQL file " + path,
                "spec.sql.file is relative to the file that declared the job");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return SqlTemplate{text.str(), path, std::nullopt};
}

// The successful build a project script comes from: `build_id`, else
// spec.sql.build (`latest`: the newest successful build).
Result<store::BuildRow> build_of(const OpsContext& context, const JobTarget& job,
                                 const store::ProjectRow& project, std::optional<std::int64_t> build_id) {
  const auto& sql = *job.spec.sql;
  if (!build_id && sql.build != "latest") build_id = std::stoll(sql.build); // validated as an id
  if (build_id) {
    auto build = store::find_build(context.database, project.id, *build_id);
    if (!build) {
      return fail(ErrorKind::not_found, doing(job),
                  fmt::format("project {} has no build {}", project.name, *build_id));
    }
    if (build->status != core::BuildStatus::success || !build->commit) {
      return fail(ErrorKind::refused, doing(job),
                  fmt::format("build {} of project {} did not succeed", *build_id, project.name));
    }
    return *build;
  }
  for (auto& candidate : store::list_builds(context.database, project.id)) {
    if (candidate.status == core::BuildStatus::success && candidate.commit) return std::move(candidate);
  }
  return fail(ErrorKind::not_found, doing(job), "project " + project.name + " has no successful build",
              "run `sp project build " + project.name + "`");
}

Result<SqlTemplate> from_project(const OpsContext& context, const JobTarget& job,
                                 std::optional<std::int64_t> build_id) {
  const auto& sql = *job.spec.sql;
  auto project = store::find_project(context.database, *sql.project);
  if (!project) return fail(ErrorKind::not_found, doing(job), "no project named " + *sql.project);
  auto build = build_of(context, job, *project, build_id);
  if (!build) return std::unexpected(build.error());
  const build::GitLibrary git;
  auto text =
      build::read_file_at_commit(git, context.workspace_dir / project->name, build->commit->sha, *sql.path);
  if (!text) return std::unexpected(text.error().within(doing(job)));
  return SqlTemplate{std::move(*text),
                     fmt::format("project {} build {}: {}", project->name, build->id, *sql.path), build->id};
}

// The runner line for a Flink version: one jar per line, compiled against
// its Table API; the 1.20 jar (Java 8 class files) also serves 1.15-1.19,
// whose Table API has every call it makes.
std::optional<std::string> runner_line(const flink::FlinkVersion& version) {
  if (version.major == 1 && version.minor >= 15) return "1.20";
  if (version.major == 2) return "2.2";
  return std::nullopt;
}

} // namespace

Result<SqlTemplate> read_sql_template(const OpsContext& context, const JobTarget& job,
                                      std::optional<std::int64_t> build_id) {
  if (!job.spec.sql) return fail(ErrorKind::usage, doing(job), "the job is not a SQL job");
  const auto& sql = *job.spec.sql;
  if (sql.file) return from_file(job.name, *sql.file);
  if (sql.inline_text) return SqlTemplate{*sql.inline_text, "spec.sql.inline", std::nullopt};
  if (sql.project && sql.path) return from_project(context, job, build_id);
  return fail(ErrorKind::usage, doing(job), "spec.sql names no file, inline text or project path");
}

std::optional<SqlTemplate> sql_text_for_search(store::Database& database, std::int64_t job_id,
                                               const std::string& job, const core::JobSpec& spec) {
  if (!spec.sql || spec.sql->inline_text) return std::nullopt; // inline: a template field like any other
  if (spec.sql->file) {
    auto text = from_file(job, *spec.sql->file);
    return text ? std::optional(std::move(*text)) : std::nullopt;
  }
  auto release = store::latest_release(database, job_id);
  if (!release || !release->sql_template) return std::nullopt;
  return SqlTemplate{*release->sql_template,
                     fmt::format("release {}: {}", release->id, spec.sql->path.value_or("")),
                     release->build_id};
}

Result<PreparedSql> prepare_sql(const JobTarget& job, const SqlTemplate& sql) {
  auto resolved = core::render_sql(job.name, sql.source, sql.text, job.substitution);
  if (!resolved) return std::unexpected(resolved.error());
  auto script = core::split_sql_script(resolved->clear, sql.source);
  if (!script) {
    // Split errors quote the statement: quote the masked text's instead.
    auto masked = core::split_sql_script(resolved->masked, sql.source);
    return std::unexpected(masked ? script.error() : masked.error());
  }
  if (auto insert = core::require_insert(*script, sql.source); !insert)
    return std::unexpected(insert.error());
  return PreparedSql{std::move(*script), std::move(resolved->masked), util::sha256_hex(resolved->clear),
                     std::move(resolved->secrets)};
}

Result<std::filesystem::path> find_sql_runner(const OpsContext& context, const std::string& flink_version) {
  const std::string doing = "finding the SQL runner for Flink " + flink_version;
  auto version = flink::parse_version(flink_version);
  if (!version) return std::unexpected(version.error().within(doing));
  const auto line = runner_line(*version);
  if (!line) return fail(ErrorKind::refused, doing, "sp runs SQL jobs on Flink 1.15 and later");
  const std::string jar = fmt::format("sp-sql-runner-flink-{}.jar", *line);
  std::vector<std::string> looked;
  for (const auto& directory : context.sql_runner_dirs) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(directory / jar, ignored)) return directory / jar;
    looked.push_back(directory.string());
  }
  return fail(ErrorKind::not_found, doing,
              looked.empty() ? "no directory to look in for " + jar
                             : fmt::format("no {} in {}", jar, fmt::join(looked, ", ")),
              "build sp with -DSP_SQL_RUNNER=ON and install it, or set SP_SQL_RUNNER_DIR");
}

Result<std::string> cluster_flink_version(const OpsContext& context, const JobTarget& job) {
  const std::string doing = "finding the Flink version of cluster " + job.cluster_name;
  if (job.cluster.flink) {
    auto flink = store::find_flink(context.database, *job.cluster.flink);
    if (flink && !flink->spec.version.empty()) return flink->spec.version;
  }
  auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
  if (!url) return std::unexpected(url.error().within(doing));
  auto jobmanager = JobManager::open(context, job.cluster, *url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto version = jobmanager->rest().version();
  if (!version) return std::unexpected(version.error().within(doing));
  return fmt::format("{}.{}.{}", version->major, version->minor, version->patch);
}

Result<std::vector<std::string>> sql_runner_arguments(const JobTarget& job, const core::SqlScript& script,
                                                      const std::optional<std::string>& pinned_plan) {
  auto encode = [&](const char* what, const std::string& text) -> Result<std::string> {
    auto encoded = util::base64(util::gzip(text));
    if (encoded.size() <= max_runner_argument) return encoded;
    return fail(ErrorKind::usage, "preparing the SQL of job " + job.name,
                fmt::format("the {} is {} KiB compressed; sp passes at most {} KiB to the runner", what,
                            encoded.size() / 1024, max_runner_argument / 1024),
                "split it into several jobs, or move shared DDL into a catalog");
  };
  auto encoded = encode("script", core::runner_script_json(script, job.name));
  if (!encoded) return std::unexpected(encoded.error());
  std::vector<std::string> args{"--script", std::move(*encoded)};
  if (!pinned_plan) return args;
  auto plan = encode("compiled plan", *pinned_plan);
  if (!plan) return std::unexpected(plan.error());
  args.insert(args.end(), {"--mode", "execute-plan", "--plan", std::move(*plan)});
  return args;
}

bool plan_is_pinned(const JobTarget& job) {
  return job.spec.sql && job.spec.sql->plan == core::SqlPlanMode::pinned;
}

Result<std::optional<std::string>> pinned_plan(const JobTarget& job, const store::ReleaseRow& release) {
  if (!plan_is_pinned(job)) return std::optional<std::string>();
  if (!release.compiled_plan) {
    return fail(ErrorKind::refused, "reading the pinned plan",
                fmt::format("the job's plan is pinned and release {} has no compiled plan", release.id),
                "run `sp job release " + job.name + "` where the cluster's Flink distribution is registered");
  }
  // The stored plan holds references where the script had secrets (template_secrets): render them back.
  auto clear = core::render_sql(job.name, fmt::format("the compiled plan of release {}", release.id),
                                *release.compiled_plan, job.substitution);
  if (!clear) return std::unexpected(clear.error());
  return std::optional<std::string>(std::move(clear->clear));
}

namespace {

using namespace std::chrono_literals;

// The planner gets its time: a JVM start and Flink's planner take seconds.
constexpr auto planner_timeout = 3min;

std::string verify_doing(const JobTarget& job) { return "verifying the SQL of job " + job.name; }

// The runner's compile mode (COMPILE PLAN) with the registered
// distribution's lib/ on the class path: Flink's planner on this host, the
// script on stdin (never in a file or in ps), the plan in a private
// directory that is gone when this returns.
Result<std::string> plan_locally(const OpsContext& context, const JobTarget& job,
                                 const std::string& flink_home, const std::filesystem::path& runner,
                                 const std::string& script_json) {
  auto scratch = util::PrivateTempDir::create("sp-plan");
  if (!scratch) return std::unexpected(scratch.error().within(verify_doing(job)));
  const auto plan_file = scratch->path() / "plan.json";
  build::ProcessRequest request;
  const auto java_home = context.env ? context.env("JAVA_HOME") : std::nullopt;
  const std::string java = java_home && !java_home->empty() ? *java_home + "/bin/java" : "java";
  request.argv = {java,
                  "-cp",
                  runner.string() + ":" + flink_home + "/lib/*",
                  std::string(core::sql_runner_main_class),
                  "--mode",
                  "compile",
                  "--script-file",
                  "/dev/stdin",
                  "--output",
                  plan_file.string()};
  request.working_directory = flink_home;
  request.timeout = planner_timeout;
  request.input = script_json;
  std::string output;
  request.on_output = [&output](std::string_view chunk) { output.append(chunk); };
  auto runner_process =
      context.make_process_runner ? context.make_process_runner() : build::make_process_runner();
  auto result = runner_process->run(request);
  if (!result) return std::unexpected(result.error().within(verify_doing(job)));
  if (result->ending == build::ProcessResult::Ending::exited && result->exit_code == 0) {
    std::ifstream in(plan_file, std::ios::binary);
    std::ostringstream plan;
    plan << in.rdbuf();
    if (!in || plan.str().empty())
      return fail(ErrorKind::external, verify_doing(job), "the planner wrote no plan");
    return plan.str();
  }
  const std::string why =
      flink::sql_runner_error(output).value_or("the planner " + build::describe(*result, planner_timeout));
  return fail(ErrorKind::external, verify_doing(job), why);
}

// The runner jar planned by the JobManager (POST /jars/:id/plan): its main
// runs as far as the job graph; nothing is submitted. The jar is removed after.
Result<std::string> plan_on_cluster(const OpsContext& context, const JobTarget& job,
                                    const std::filesystem::path& runner, std::vector<std::string> args) {
  auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
  if (!url) return std::unexpected(url.error().within(verify_doing(job)));
  auto jobmanager = JobManager::open(context, job.cluster, *url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto& rest = jobmanager->rest();
  auto jar_id = rest.upload_jar(runner);
  if (!jar_id) return std::unexpected(jar_id.error().within(verify_doing(job)));
  flink::RunRequest request;
  request.entry_class = std::string(core::sql_runner_main_class);
  request.args = std::move(args);
  request.parallelism = job.spec.parallelism;
  auto planned = rest.plan_jar(*jar_id, request);
  if (auto deleted = rest.delete_jar(*jar_id); !deleted && context.progress) {
    // A leftover jar is harmless: the verdict is the plan's.
    context.progress(fmt::format("could not delete the runner jar {}: {}", *jar_id, deleted.error().why()));
  }
  if (!planned) return std::unexpected(planned.error().within(verify_doing(job)));
  return *url;
}

} // namespace

Result<SqlVerification> verify_sql(const OpsContext& context, const JobTarget& job,
                                   std::optional<std::int64_t> build_id) {
  auto sql = read_sql_template(context, job, build_id);
  if (!sql) return std::unexpected(sql.error());
  auto prepared = prepare_sql(job, *sql);
  if (!prepared) return std::unexpected(prepared.error());
  SqlVerification verification;
  verification.source = sql->source;
  verification.statements = prepared->script.statements.size();
  verification.inserts = prepared->script.insert_count();
  verification.warnings = core::verification_side_effects(prepared->script);
  auto version = cluster_flink_version(context, job);
  if (!version) return std::unexpected(version.error());
  verification.flink_version = *version;
  auto runner = find_sql_runner(context, *version);
  if (!runner) return std::unexpected(runner.error());
  verification.runner = runner->string();
  auto planned = plan_sql(context, job, *prepared, *runner);
  if (!planned) return std::unexpected(planned.error());
  verification.planner = planned->planner;
  return verification;
}

Result<PlannedSql> plan_sql(const OpsContext& context, const JobTarget& job, const PreparedSql& sql,
                            const std::filesystem::path& runner) {
  const auto flink =
      job.cluster.flink ? store::find_flink(context.database, *job.cluster.flink) : std::nullopt;
  if (flink && !flink->spec.home.empty()) {
    const auto json = core::runner_script_json(sql.script, job.name);
    auto plan = plan_locally(context, job, flink->spec.home, runner, json);
    if (!plan) return std::unexpected(plan.error());
    auto stored = core::template_secrets(std::move(*plan), sql.secrets);
    if (!stored && plan_is_pinned(job)) return std::unexpected(stored.error().within(verify_doing(job)));
    return PlannedSql{"local " + flink->spec.home, stored ? std::optional(std::move(*stored)) : std::nullopt};
  }
  if (plan_is_pinned(job)) {
    return fail(ErrorKind::refused, verify_doing(job),
                "plan: pinned needs a compiled plan, which sp makes on this host with the cluster's Flink",
                "name the cluster's registered distribution in its spec.flink (see `sp flink add`)");
  }
  auto args = sql_runner_arguments(job, sql.script);
  if (!args) return std::unexpected(args.error());
  auto url = plan_on_cluster(context, job, runner, std::move(*args));
  if (!url) return std::unexpected(url.error());
  return PlannedSql{*url, std::nullopt};
}

std::optional<UpgradeCheck> check_upgrade(const OpsContext& context, const store::ReleaseRow& release,
                                          const std::optional<core::KnownPoint>& chosen) {
  if (!release.sql_template || !chosen || !chosen->run_id) return std::nullopt;
  const auto run = store::find_run(context.database, *chosen->run_id);
  if (!run || !run->release_id || *run->release_id == release.id) return std::nullopt;
  UpgradeCheck check;
  check.from_release = *run->release_id;
  const auto before = store::find_release(context.database, *run->release_id);
  if (!before || !before->compiled_plan || !release.compiled_plan) {
    check.note = fmt::format("the plans of releases {} and {} could not be compared: {} has no compiled plan "
                             "(sp compiles one where the cluster names its Flink distribution)",
                             check.from_release, release.id,
                             before && before->compiled_plan ? fmt::format("release {}", release.id)
                                                             : fmt::format("release {}", check.from_release));
    return check;
  }
  auto old_plan = core::read_compiled_plan(*before->compiled_plan);
  auto new_plan = core::read_compiled_plan(*release.compiled_plan);
  if (!old_plan || !new_plan) {
    check.note = "a release's compiled plan could not be read: " +
                 std::string(old_plan ? new_plan.error().why() : old_plan.error().why());
    return check;
  }
  check.comparison = core::compare_plans(*old_plan, *new_plan);
  return check;
}

} // namespace sp::ops
