// sp job plan|release|start|verify|stop|savepoint|cancel|restart: the lifecycle
// commands. Each binds its flags, loads the job and calls into ops/.
#include "commands.hpp"
#include "job_support.hpp"

#include "sp/ops/adopt.hpp"
#include "sp/ops/release.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/ops/start.hpp"
#include "sp/ops/stop.hpp"

#include <fmt/format.h>

#include <memory>

namespace sp::cli {

namespace {

struct StartFlags {
  std::string job;
  std::string restore = "auto";
  bool allow_non_restored = false;
  bool allow_old_state = false;
  bool force = false;
  bool dry_run = false;
  std::string wait = "2m";
};

struct StopFlags {
  std::string job;
  bool savepoint = false;
  bool drain = false;
  bool cancel = false;
  std::optional<std::string> directory;
  std::string wait = "2m";
};

ops::StartOptions start_options(const StartFlags& flags) {
  ops::StartOptions options;
  if (flags.restore == "auto")
    options.mode = core::RestoreMode::automatic;
  else if (flags.restore == "none")
    options.mode = core::RestoreMode::none;
  else {
    options.mode = core::RestoreMode::explicit_path;
    options.restore_path = flags.restore;
  }
  options.force = flags.force;
  options.allow_old_state = flags.allow_old_state;
  options.allow_non_restored = flags.allow_non_restored;
  options.wait = parse_wait("--wait", flags.wait);
  return options;
}

std::optional<core::StopMode> stop_mode(const StopFlags& flags) {
  if (flags.savepoint + flags.drain + flags.cancel > 1) {
    throw Error(ErrorKind::usage, "stopping job " + flags.job,
                "--savepoint, --drain and --cancel exclude each other");
  }
  if (flags.cancel) return core::StopMode::cancel;
  if (flags.drain) return core::StopMode::drain;
  if (flags.savepoint) return core::StopMode::savepoint;
  return std::nullopt;
}

// SPEC 14: how the SQL's compiled plan changed since the release that wrote the point.
Data upgrade_data(const std::optional<ops::UpgradeCheck>& upgrade) {
  if (!upgrade) return Data();
  Data data = Data::object();
  data["from_release"] = upgrade->from_release;
  data["change"] = upgrade->comparison ? Data(std::string(core::to_string(upgrade->comparison->change)))
                                       : Data("not-compared");
  data["details"] = upgrade->comparison ? Data(upgrade->comparison->details) : Data::array({upgrade->note});
  return data;
}

Data plan_data(const ops::OpsContext& context, const ops::LoadedJob& job, const ops::StartPlan& plan,
               const ops::ReleaseOutcome& release) {
  Data data = Data::object();
  // SPEC 5.4: falling back to an older run is said first.
  if (!plan.decision.warning.empty()) data["warning"] = plan.decision.warning;
  data["job"] = job.target.name;
  data["environment"] = job.target.environment;
  data["cluster"] = job.target.cluster_name;
  data["rest_url"] = plan.rest_url.empty() ? Data() : Data(plan.rest_url);
  data["release"] = release.created ? Data("new") : Data(release.release.id);
  Data decision = decision_data(plan.decision);
  for (auto& [key, value] : decision.items()) data[key] = value;
  data["notes"] = plan.notes;
  if (job.target.spec.sql && release.created && plan.decision.chosen) {
    data["upgrade"] =
        Data({{"change", "not-compared"},
              {"details", Data::array({"a new release would be made; sp job release compiles its "
                                       "plan, and plan and start then compare it"})}});
  } else if (!release.created) {
    data["upgrade"] = upgrade_data(ops::check_upgrade(context, release.release, plan.decision.chosen));
  }
  return data;
}

int run_plan(Invocation& invocation, const StartFlags& flags) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, flags.job);
  const auto options = start_options(flags);
  auto plan = value_or_throw(ops::plan_start(session.context(), job.target, options, /*record=*/false));
  auto release = value_or_throw(ops::ensure_release(session.context(), job.target, job.masked_json,
                                                    job.clear_json, std::nullopt, /*dry_run=*/true));
  invocation.print({plan_data(session.context(), job, plan, release), {}});
  switch (plan.decision.action) {
  case core::RestoreDecision::Action::refuse:
    return exit_code(ErrorKind::refused);
  case core::RestoreDecision::Action::cannot_check:
    return exit_code(ErrorKind::unreachable);
  default:
    return 0;
  }
}

int run_start(Invocation& invocation, const StartFlags& flags) {
  if (flags.dry_run) return run_plan(invocation, flags);
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, flags.job);
  const auto options = start_options(flags);
  auto release = value_or_throw(ops::ensure_release(session.context(), job.target, job.masked_json,
                                                    job.clear_json, std::nullopt, false));
  value_or_throw(ops::check_release_artifact(release.release));
  if (release.created)
    invocation.note(fmt::format("sp: released {} as release {}", job.target.name, release.release.id));
  auto result = value_or_throw(ops::start_job(session.context(), job.target, release.release, options));
  if (!result.plan.decision.warning.empty()) invocation.note("sp: warning: " + result.plan.decision.warning);
  Data data = Data::object();
  data["job"] = job.target.name;
  data["environment"] = job.target.environment;
  data["run"] = result.run_id;
  data["flink_job_id"] = result.flink_job_id;
  if (result.application_id) data["application_id"] = *result.application_id;
  data["state"] = result.state;
  data["rest_url"] = result.plan.rest_url;
  data["release"] = release.release.id;
  data["jar_reused"] = result.jar_reused;
  data["restored_from"] = result.plan.decision.chosen ? Data(result.plan.decision.chosen->path) : Data();
  data["restore_verified"] = result.restore_verified ? Data(*result.restore_verified) : Data();
  data["reason"] = result.plan.decision.reason;
  if (result.upgrade) data["upgrade"] = upgrade_data(result.upgrade);
  invocation.print({data, {}});
  return 0;
}

int run_release(Invocation& invocation, const std::string& name, std::optional<std::int64_t> build,
                bool dry_run) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, name);
  auto release = value_or_throw(
      ops::ensure_release(session.context(), job.target, job.masked_json, job.clear_json, build, dry_run));
  Data data = Data::object();
  data["job"] = job.target.name;
  data["release"] = release.release.id == 0 ? Data() : Data(release.release.id);
  data["outcome"] = !release.created ? "unchanged" : dry_run ? "would-create" : "created";
  data["artifact"] = release.release.artifact_path;
  data["artifact_sha256"] = release.release.artifact_sha256;
  data["build"] = release.release.build_id ? Data(*release.release.build_id) : Data();
  invocation.print({data, {}});
  return 0;
}

int run_verify(Invocation& invocation, const std::string& name, std::optional<std::int64_t> build) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, name);
  auto verified = value_or_throw(ops::verify_sql(session.context(), job.target, build));
  for (const auto& warning : verified.warnings) invocation.warn("sp: warning: " + warning);
  Data data = Data::object();
  data["job"] = job.target.name;
  data["script"] = verified.source;
  data["statements"] = verified.statements;
  data["inserts"] = verified.inserts;
  data["flink_version"] = verified.flink_version;
  data["runner"] = verified.runner;
  data["planner"] = verified.planner;
  data["warnings"] = verified.warnings;
  invocation.print({data, {}});
  return 0;
}

Data stop_data(const ops::JobTarget& job, const ops::StopResult& result) {
  Data data = Data::object();
  data["job"] = job.name;
  data["run"] = result.run_id;
  data["flink_job_id"] = result.flink_job_id;
  data["mode"] = std::string(core::to_string(result.mode));
  data["savepoint"] = result.savepoint_path ? Data(*result.savepoint_path) : Data();
  data["end_state"] = result.end_state;
  return data;
}

int run_stop(Invocation& invocation, const StopFlags& flags) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, flags.job);
  ops::StopOptions options{stop_mode(flags), flags.directory, parse_wait("--wait", flags.wait)};
  auto result = value_or_throw(ops::stop_job(session.context(), job.target, options));
  for (const auto& warning : result.warnings) invocation.warn("sp: warning: " + warning);
  invocation.print({stop_data(job.target, result), {}});
  return 0;
}

int run_savepoint(Invocation& invocation, const StopFlags& flags) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, flags.job);
  auto result = value_or_throw(
      ops::savepoint_job(session.context(), job.target, flags.directory, parse_wait("--wait", flags.wait)));
  Data data = Data::object();
  data["job"] = job.target.name;
  data["run"] = result.run_id;
  data["savepoint"] = result.path;
  invocation.print({data, {}});
  return 0;
}

int run_restart(Invocation& invocation, const StartFlags& flags) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, flags.job);
  const auto options = start_options(flags);
  auto stopped = value_or_throw(
      ops::stop_job(session.context(), job.target, {std::nullopt, std::nullopt, options.wait}));
  for (const auto& warning : stopped.warnings) invocation.warn("sp: warning: " + warning);
  invocation.note(fmt::format("sp: stopped {} ({})", job.target.name, stopped.end_state));
  auto release = value_or_throw(ops::ensure_release(session.context(), job.target, job.masked_json,
                                                    job.clear_json, std::nullopt, false));
  value_or_throw(ops::check_release_artifact(release.release));
  auto started = value_or_throw(ops::start_job(session.context(), job.target, release.release, options));
  Data data = stop_data(job.target, stopped);
  data["new_run"] = started.run_id;
  data["new_flink_job_id"] = started.flink_job_id;
  data["state"] = started.state;
  data["restored_from"] = started.plan.decision.chosen ? Data(started.plan.decision.chosen->path) : Data();
  data["restore_verified"] = started.restore_verified ? Data(*started.restore_verified) : Data();
  invocation.print({data, {}});
  return 0;
}

int run_adopt(Invocation& invocation, const std::string& name,
              const std::optional<std::string>& flink_job_id) {
  JobSession session(invocation);
  const auto job = load_job_or_throw(session, invocation, name);
  auto result = value_or_throw(ops::adopt_job(session.context(), job.target, flink_job_id));
  Data data = Data::object();
  data["job"] = job.target.name;
  data["run"] = result.run_id;
  data["flink_job_id"] = result.flink_job.id;
  data["flink_name"] = result.flink_job.name;
  data["state"] = result.flink_job.state;
  data["restore_points_recorded"] = result.points_recorded;
  invocation.print({data, {}});
  return 0;
}

void add_start_flags(CLI::App* command, StartFlags& flags) {
  command->add_option("job", flags.job, "the job, in the current environment (--env)")
      ->required()
      ->type_name("JOB");
  command->add_option("--restore", flags.restore, "auto (the latest valid point), none, or a PATH")
      ->type_name("auto|none|PATH");
  command->add_flag("--allow-non-restored", flags.allow_non_restored, "allow state that maps to no operator");
  command->add_flag("--allow-old-state", flags.allow_old_state, "restore a point older than state.maxAge");
  command->add_flag("--force", flags.force,
                    "with --restore none: start without state although the job ran before");
  command->add_option("--wait", flags.wait, "how long to wait for RUNNING (default 2m)")
      ->type_name("DURATION");
}

void add_stop_target(CLI::App* command, StopFlags& flags) {
  command->add_option("job", flags.job, "the job, in the current environment (--env)")
      ->required()
      ->type_name("JOB");
  command
      ->add_option("--dir", flags.directory, "savepoint directory (else the job's, the cluster's, Flink's)")
      ->type_name("DIR");
  command->add_option("--wait", flags.wait, "how long to wait for Flink (default 2m)")->type_name("DURATION");
}

// plan, release, start: the way into a run.
void add_start_commands(CLI::App& job, Action& chosen) {
  {
    auto flags = std::make_shared<StartFlags>();
    auto* command = job.add_subcommand("plan", "what `start` would do now, and why (no side effects)");
    add_start_flags(command, *flags);
    command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_plan(i, *flags); }; });
  }
  {
    struct ReleaseFlags {
      std::string job;
      std::optional<std::int64_t> build;
      bool dry_run = false;
    };
    auto flags = std::make_shared<ReleaseFlags>();
    auto* command = job.add_subcommand("release", "render the job and snapshot it with its artifact");
    command->add_option("job", flags->job, "the job")->required()->type_name("JOB");
    command->add_option("--build", flags->build, "a build id of the job's project (else its artifact.build)");
    command->add_flag("--dry-run", flags->dry_run, "say what would be released");
    command->callback([&chosen, flags] {
      chosen = [flags](Invocation& i) { return run_release(i, flags->job, flags->build, flags->dry_run); };
    });
  }
  {
    auto flags = std::make_shared<StartFlags>();
    auto* command =
        job.add_subcommand("start", "start the job, restoring its latest valid checkpoint or savepoint");
    add_start_flags(command, *flags);
    command->add_flag("--dry-run", flags->dry_run, "print the decision and change nothing");
    command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_start(i, *flags); }; });
  }
}

void add_verify_command(CLI::App& job, Action& chosen) {
  struct VerifyFlags {
    std::string job;
    std::optional<std::int64_t> build;
  };
  auto flags = std::make_shared<VerifyFlags>();
  auto* command =
      job.add_subcommand("verify", "check a SQL job's script with Flink's planner, running nothing");
  command->add_option("job", flags->job, "the job")->required()->type_name("JOB");
  command->add_option("--build", flags->build, "a build id of the script's project (else its sql.build)");
  command->callback([&chosen, flags] {
    chosen = [flags](Invocation& i) { return run_verify(i, flags->job, flags->build); };
  });
}

// stop, savepoint, cancel: the way out of a run, and its state.
void add_stop_commands(CLI::App& job, Action& chosen) {
  {
    auto flags = std::make_shared<StopFlags>();
    auto* command =
        job.add_subcommand("stop", "stop the job (default: with a savepoint, per its stop policy)");
    add_stop_target(command, *flags);
    command->add_flag("--savepoint", flags->savepoint, "stop with a savepoint");
    command->add_flag("--drain", flags->drain, "stop with a savepoint and drain the pipeline");
    command->add_flag("--cancel", flags->cancel, "cancel without a savepoint");
    command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_stop(i, *flags); }; });
  }
  {
    auto flags = std::make_shared<StopFlags>();
    auto* command = job.add_subcommand("savepoint", "take a savepoint without stopping");
    add_stop_target(command, *flags);
    command->callback(
        [&chosen, flags] { chosen = [flags](Invocation& i) { return run_savepoint(i, *flags); }; });
  }
  {
    auto flags = std::make_shared<StopFlags>();
    auto* command =
        job.add_subcommand("cancel", "cancel without a savepoint (the retained checkpoint stays)");
    add_stop_target(command, *flags);
    flags->cancel = true;
    command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_stop(i, *flags); }; });
  }
}

// adopt, restart: taking over a run, and replacing one.
void add_takeover_commands(CLI::App& job, Action& chosen) {
  {
    struct AdoptFlags {
      std::string job;
      std::optional<std::string> flink_job_id;
    };
    auto flags = std::make_shared<AdoptFlags>();
    auto* command = job.add_subcommand("adopt", "take over a job already running on the job's cluster");
    command->add_option("job", flags->job, "the job, in the current environment (--env)")
        ->required()
        ->type_name("JOB");
    command
        ->add_option("--flink-job-id", flags->flink_job_id,
                     "the Flink job id (else the running job named like JOB)")
        ->type_name("ID");
    command->callback([&chosen, flags] {
      chosen = [flags](Invocation& i) { return run_adopt(i, flags->job, flags->flink_job_id); };
    });
  }
  {
    auto flags = std::make_shared<StartFlags>();
    auto* command =
        job.add_subcommand("restart", "stop per the job's policy, then start with the restore rules");
    add_start_flags(command, *flags);
    command->callback(
        [&chosen, flags] { chosen = [flags](Invocation& i) { return run_restart(i, *flags); }; });
  }
}

} // namespace

void add_job_lifecycle_commands(CLI::App& job, Action& chosen) {
  add_start_commands(job, chosen);
  add_verify_command(job, chosen);
  add_stop_commands(job, chosen);
  add_takeover_commands(job, chosen);
}

} // namespace sp::cli
