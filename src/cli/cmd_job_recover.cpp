// sp job recover [JOB...|--all] [--dry-run]: rebuild runs and restore points
// from the JobManagers and the state directories (SPEC 5.9).
#include "commands.hpp"
#include "job_support.hpp"

#include "sp/ops/recover.hpp"
#include "sp/store/jobs.hpp"

#include <fmt/format.h>

#include <memory>

namespace sp::cli {

namespace {

struct RecoverFlags {
  std::vector<std::string> jobs;
  bool all = false;
  bool dry_run = false;
};

Data recovered_data(const std::string& name, const ops::RecoverResult& result) {
  Data data = Data::object();
  data["job"] = name;
  Data runs = Data::array();
  for (const auto& run : result.found.runs) {
    runs.push_back({{"flink_job_id", run.flink_job_id},
                    {"state", run.state},
                    {"found_by", run.by_name ? "name" : "id"},
                    {"checkpoint_dir", run.checkpoint_dir ? Data(*run.checkpoint_dir) : Data()}});
  }
  data["runs"] = std::move(runs);
  Data points = Data::array();
  for (const auto& point : result.found.points) {
    points.push_back(
        {{"kind", core::to_string(point.point.kind)}, {"path", point.point.path}, {"source", point.source}});
  }
  data["points"] = std::move(points);
  data["runs_recorded"] = result.recorded.runs;
  data["points_recorded"] = result.recorded.points;
  data["unchecked"] = result.found.unchecked;
  return data;
}

std::vector<std::string> jobs_to_recover(JobSession& session, const Invocation& invocation,
                                         const RecoverFlags& flags) {
  if (flags.all == !flags.jobs.empty()) {
    throw Error(ErrorKind::usage, "recovering jobs", "name the jobs to recover, or pass --all");
  }
  if (!flags.all) return flags.jobs;
  std::vector<std::string> names;
  for (const auto& job : store::list_job_headers(session.database(), invocation.settings.environment)) {
    names.push_back(job.name);
  }
  return names;
}

int run_recover(Invocation& invocation, const RecoverFlags& flags) {
  JobSession session(invocation);
  Data recovered = Data::array();
  bool incomplete = false;
  for (const auto& name : jobs_to_recover(session, invocation, flags)) {
    const auto job = load_job_or_throw(session, invocation, name);
    auto result = value_or_throw(ops::recover_job(session.context(), job.target, flags.dry_run));
    incomplete = incomplete || !result.found.unchecked.empty();
    for (const auto& what : result.found.unchecked) {
      invocation.note(fmt::format("sp: warning: job {}: could not check {}", name, what));
    }
    recovered.push_back(recovered_data(name, result));
  }
  invocation.print(
      {recovered, {{"job", ""}, {"runs_recorded", "NEW RUNS"}, {"points_recorded", "NEW POINTS"}}});
  // Something that could hold the job's history did not answer: not done.
  return incomplete ? exit_code(ErrorKind::unreachable) : 0;
}

} // namespace

void add_job_recover_command(CLI::App& job, Action& chosen) {
  auto flags = std::make_shared<RecoverFlags>();
  auto* command =
      job.add_subcommand("recover", "rebuild runs and restore points from Flink and the state storage");
  command->add_option("jobs", flags->jobs, "the jobs, in the current environment (--env)")
      ->type_name("JOB...");
  command->add_flag("--all", flags->all, "every job of the environment");
  command->add_flag("--dry-run", flags->dry_run, "say what would be recorded, record nothing");
  command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_recover(i, *flags); }; });
}

} // namespace sp::cli
