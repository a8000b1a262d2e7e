// sp job list|show|history|points|status|exceptions|diff: what sp knows of
// jobs, for status and exceptions what the JobManager says now, for diff
// what changed between releases.
#include "commands.hpp"
#include "job_support.hpp"

#include "sp/core/drift.hpp"
#include "sp/core/environment.hpp"
#include "sp/core/render.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/job_loader.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/release.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/job_summaries.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

#include <memory>

namespace sp::cli {

namespace {

int run_list(Invocation& invocation, bool all_environments) {
  auto database = open_existing_store(invocation);
  const std::string environment = all_environments ? "" : invocation.settings.environment;
  const auto jobs = store::list_job_headers(database, environment);
  const auto summaries = store::job_summaries(database);
  std::map<std::string, core::VariableSet> variables_by_environment;
  Data rows = Data::array();
  for (const auto& job : jobs) {
    const auto found = summaries.find(job.id);
    const store::JobSummary summary = found != summaries.end() ? found->second : store::JobSummary{};
    bool drift = false;
    // Only a released job can drift, and only then is its spec read.
    if (summary.release_fingerprint) {
      auto [entry, inserted] = variables_by_environment.try_emplace(job.environment);
      if (inserted) {
        if (auto id = store::environment_id(database, job.environment)) {
          entry->second = core::variable_set(store::environment_spec(database, *id));
        }
      }
      if (auto full = store::find_job(database, job.environment, job.name)) {
        const core::SubstitutionContext context{
            full->environment, entry->second,
            core::job_builtins(full->name, full->environment, full->spec.cluster, std::nullopt),
            invocation.env};
        drift = core::job_drift(full->name, full->spec, context, *summary.release_fingerprint).drifted;
      }
    }
    Data row = Data::object();
    row["name"] = job.name;
    row["environment"] = job.environment;
    row["cluster"] = job.cluster;
    row["state"] = summary.state ? Data(*summary.state) : Data("NEVER-RUN");
    row["flink_job_id"] = summary.flink_job_id ? Data(*summary.flink_job_id) : Data();
    row["release"] = summary.release_id ? Data(*summary.release_id) : Data();
    row["drift"] = drift;
    row["last_restore_point"] = time_data(summary.newest_point_ms);
    rows.push_back(std::move(row));
  }
  invocation.print({rows,
                    {{"name", ""},
                     {"environment", "ENV"},
                     {"cluster", ""},
                     {"state", ""},
                     {"flink_job_id", "FLINK JOB"},
                     {"release", ""},
                     {"drift", ""},
                     {"last_restore_point", "LAST POINT"}}});
  return 0;
}

store::JobRow require_job(store::Database& database, const Invocation& invocation, const std::string& name) {
  auto job = store::find_job(database, invocation.settings.environment, name);
  if (!job) {
    throw Error(ErrorKind::not_found, "finding job " + name,
                "no job " + name + " in environment " + invocation.settings.environment, "see `sp job list`");
  }
  return *job;
}

Data run_data(const store::RunRow& run) {
  Data data = Data::object();
  data["run"] = run.id;
  data["flink_job_id"] = run.flink_job_id ? Data(*run.flink_job_id) : Data();
  data["application_id"] = run.application_id ? Data(*run.application_id) : Data();
  data["state"] = run.state;
  data["end_state"] = run.end_state ? Data(*run.end_state) : Data();
  data["rest_url"] = run.rest_url;
  data["started_at"] = time_data(run.started_at);
  data["ended_at"] = time_data(run.ended_at);
  data["restored_from"] = run.restore_path ? Data(*run.restore_path) : Data();
  data["restore_verified"] = run.restore_verified ? Data(*run.restore_verified) : Data();
  data["adopted"] = run.adopted;
  return data;
}

int run_show(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto job = require_job(database, invocation, name);
  Data data = Data::object();
  data["name"] = job.name;
  data["environment"] = job.environment;
  data["owner"] = job.metadata.owner ? Data(*job.metadata.owner) : Data();
  data["spec"] = core::to_json(job.spec);
  const auto run = store::latest_run(database, job.id);
  data["latest_run"] = run ? run_data(*run) : Data();
  invocation.print({data, {}});
  return 0;
}

int run_history(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto job = require_job(database, invocation, name);
  Data rows = Data::array();
  for (const auto& event : store::job_events(database, job.id)) {
    rows.push_back({{"time", time_data(event.time_ms)},
                    {"kind", event.kind},
                    {"actor", event.actor},
                    {"host", event.host},
                    {"message", event.message}});
  }
  invocation.print({rows, {}});
  return 0;
}

int run_points(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto job = require_job(database, invocation, name);
  Data rows = Data::array();
  for (const auto& point : store::restore_points_of_job(database, job.id)) {
    rows.push_back({{"id", point.id},
                    {"kind", core::to_string(point.kind)},
                    {"completed_at", time_data(point.completion_ms)},
                    {"run", point.run_id ? Data(*point.run_id) : Data()},
                    {"checkpoint", point.flink_checkpoint_id ? Data(*point.flink_checkpoint_id) : Data()},
                    {"valid", point.valid && !point.disposed},
                    {"path", point.path},
                    {"note", point.disposed ? Data("disposed")
                             : point.valid  ? Data()
                                            : Data(point.invalid_reason)}});
  }
  invocation.print({rows, {}});
  return 0;
}

int run_status(Invocation& invocation, const std::string& name) {
  JobSession session(invocation);
  const auto loaded = load_job_or_throw(session, invocation, name);
  const auto& job = loaded.target;
  Data data = Data::object();
  data["job"] = job.name;
  data["environment"] = job.environment;
  const auto run = store::latest_run(session.database(), job.job_id);
  data["run"] = run ? run_data(*run) : Data();
  if (run && run->live() && run->flink_job_id) {
    auto jobmanager = value_or_throw(ops::JobManager::open(session.context(), job.cluster, run->rest_url));
    auto listed = ops::find_flink_job(jobmanager.rest(), *run->flink_job_id);
    if (!listed) throw listed.error().within("asking the JobManager about job " + job.name);
    data["flink_state"] = *listed ? Data((*listed)->state) : Data("NOT-LISTED");
    if (*listed && ops::is_alive_state((*listed)->state)) {
      if (auto stats = jobmanager.rest().checkpoints(*run->flink_job_id)) {
        data["checkpoints_completed"] = stats->counts.completed;
        data["checkpoints_failed"] = stats->counts.failed;
        data["latest_checkpoint"] = stats->latest_completed && stats->latest_completed->external_path
                                        ? Data(*stats->latest_completed->external_path)
                                        : Data();
      }
    }
  } else {
    data["flink_state"] = nullptr;
  }
  invocation.print({data, {}});
  return 0;
}

struct ExceptionsFlags {
  std::string job;
  std::optional<std::int64_t> run;
  int runs = 5;
  int entries = 20;
};

Data failure_data(const flink::ExceptionEntry& entry) {
  const auto task = flink::task_failure_of(entry);
  return {{"task", task.task_name ? Data(*task.task_name) : Data()},
          {"taskmanager", task.endpoint ? Data(*task.endpoint) : Data()},
          {"taskmanager_id", task.task_manager_id ? Data(*task.task_manager_id) : Data()},
          {"cause", entry.cause}};
}

Data exception_row(const ops::RunExceptions& run, const flink::ExceptionEntry& entry) {
  Data row = Data::object();
  row["run"] = run.run.id;
  row["flink_job_id"] = *run.run.flink_job_id;
  row["time"] = time_data(entry.timestamp_ms);
  const Data failure = failure_data(entry);
  for (const auto& [key, value] : failure.items()) row[key] = value;
  row["exception"] = entry.exception_name;
  Data concurrent = Data::array();
  for (const auto& other : entry.concurrent) concurrent.push_back(failure_data(other));
  row["concurrent"] = std::move(concurrent);
  row["labels"] = entry.failure_labels;
  row["stacktrace"] = entry.stacktrace;
  return row;
}

// Every failure Flink holds for the job's recent runs, newest first. A run
// the JobManager no longer holds is said, not an error; one that cannot be
// asked is an error (exit 5) when it is the newest or the one asked for.
int run_exceptions(Invocation& invocation, const ExceptionsFlags& flags) {
  JobSession session(invocation);
  const auto loaded = load_job_or_throw(session, invocation, flags.job);
  const auto answers = value_or_throw(
      ops::job_exceptions(session.context(), loaded.target,
                          {.run_id = flags.run, .runs = flags.runs, .entries_per_run = flags.entries}));
  Data rows = Data::array();
  int status = 0;
  for (std::size_t index = 0; index < answers.size(); ++index) {
    const auto& answer = answers[index];
    if (answer.history) {
      for (const auto& entry : answer.history->entries) rows.push_back(exception_row(answer, entry));
      if (answer.history->truncated)
        invocation.note(fmt::format("run {}: Flink holds more failures than the {} shown (--entries)",
                                    answer.run.id, flags.entries));
      continue;
    }
    const auto& error = answer.history.error();
    if (error.kind() == ErrorKind::not_found) {
      invocation.note(
          fmt::format("run {}: the JobManager no longer holds Flink job {} (it keeps an ended job "
                      "for jobstore.expiration-time, 1 hour by default)",
                      answer.run.id, *answer.run.flink_job_id));
      continue;
    }
    invocation.note(fmt::format("run {}: {}", answer.run.id, error.what()));
    if (index == 0) status = exit_code(error.kind());
  }
  if (answers.empty()) invocation.note("job " + loaded.target.name + " has no run that reached Flink");
  invocation.print(
      {rows, {{"run", ""}, {"time", ""}, {"task", ""}, {"taskmanager", "TASKMANAGER"}, {"cause", ""}}});
  return status;
}

void add_job_exceptions_command(CLI::App& job, Action& chosen) {
  auto flags = std::make_shared<ExceptionsFlags>();
  auto* command = job.add_subcommand(
      "exceptions", "a job's failures as Flink holds them: root causes, failing task and TaskManager");
  command->add_option("job", flags->job, "the job, in the current environment (--env)")
      ->required()
      ->type_name("JOB");
  command->add_option("--run", flags->run, "only this run (the RUN of `sp job show`); default the newest")
      ->type_name("RUN");
  command->add_option("--runs", flags->runs, "how many recent runs to ask for (default 5)")
      ->check(CLI::PositiveNumber);
  command->add_option("--entries", flags->entries, "failures per run (default 20)")
      ->check(CLI::PositiveNumber);
  command->callback(
      [&chosen, flags] { chosen = [flags](Invocation& i) { return run_exceptions(i, *flags); }; });
}

struct DiffFlags {
  std::string job;
  std::vector<std::int64_t> releases; // none: the running release and the newest; else FROM TO
};

int run_diff(Invocation& invocation, const DiffFlags& flags) {
  if (flags.releases.size() == 1) {
    throw Error(ErrorKind::usage, "comparing releases of job " + flags.job, "give two release ids, or none");
  }
  auto database = open_existing_store(invocation);
  const auto job =
      value_or_throw(ops::load_job(database, invocation.settings.environment, flags.job, invocation.env));
  const auto from = flags.releases.empty() ? std::nullopt : std::optional(flags.releases[0]);
  const auto to = flags.releases.empty() ? std::nullopt : std::optional(flags.releases[1]);
  const auto diff = value_or_throw(ops::diff_releases(database, job.target, from, to));
  Data data = Data::object();
  data["job"] = job.target.name;
  data["from_release"] = diff.from.id;
  data["to_release"] = diff.to.id;
  data["sql"] = diff.sql;
  Data spec = Data::array();
  for (const auto& change : diff.spec) {
    spec.push_back({{"field", change.field},
                    {"before", change.before.value_or(Data())},
                    {"after", change.after.value_or(Data())}});
  }
  data["spec"] = std::move(spec);
  data["plan"] = diff.plan ? Data({{"change", std::string(core::to_string(diff.plan->change))},
                                   {"details", diff.plan->details}})
                           : Data();
  invocation.print({data, {}});
  return 0;
}

void add_job_diff_command(CLI::App& job, Action& chosen) {
  auto flags = std::make_shared<DiffFlags>();
  auto* command = job.add_subcommand(
      "diff", "what changed between two releases: the SQL (masked), the spec, the stateful operators");
  command->add_option("job", flags->job, "the job")->required()->type_name("JOB");
  command->add_option("releases", flags->releases, "FROM and TO release ids (default: running and newest)")
      ->expected(0, 2)
      ->type_name("RELEASE");
  command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_diff(i, *flags); }; });
}

void add_named(CLI::App& job, Action& chosen, const std::string& name, const std::string& help,
               int (*run)(Invocation&, const std::string&)) {
  auto target = std::make_shared<std::string>();
  auto* command = job.add_subcommand(name, help);
  command->add_option("job", *target, "the job, in the current environment (--env)")
      ->required()
      ->type_name("JOB");
  command->callback(
      [&chosen, target, run] { chosen = [target, run](Invocation& i) { return run(i, *target); }; });
}

} // namespace

void add_job_view_commands(CLI::App& job, Action& chosen) {
  auto all = std::make_shared<bool>(false);
  auto* list = job.add_subcommand("list", "jobs of the environment with their latest run, release and drift");
  list->add_flag("-A,--all-environments", *all, "jobs of every environment");
  list->callback([&chosen, all] { chosen = [all](Invocation& i) { return run_list(i, *all); }; });
  add_named(job, chosen, "show", "a job's definition and latest run", run_show);
  add_named(job, chosen, "history", "a job's events, newest first", run_history);
  add_named(job, chosen, "points", "a job's restore points, newest first", run_points);
  add_named(job, chosen, "status", "live state from the JobManager plus what sp knows", run_status);
  add_job_exceptions_command(job, chosen);
  add_job_diff_command(job, chosen);
}

void add_job_command(CLI::App& root, Action& chosen) {
  auto* job = root.add_subcommand("job", "release, start, stop and inspect jobs");
  job->require_subcommand(1);
  add_job_view_commands(*job, chosen);
  add_job_lifecycle_commands(*job, chosen);
  add_job_recover_command(*job, chosen);
}

} // namespace sp::cli
