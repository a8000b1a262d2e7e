// The CLI driver: `bin/flink run` (or `run-application`) of the cluster's
// registered distribution, argv without a shell (SPEC 9, 11), for every
// cluster type. The argv and the reading of its output
// are the pure flink/cli_driver; this file runs it and says what went wrong.
#include "sp/flink/cli_driver.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/ops/poll.hpp"
#include "sp/ops/submit.hpp"
#include "sp/store/flinks.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

// bin/flink starts a JVM, builds the job graph and uploads the jar: seconds
// normally, but a large jar over a slow link takes longer. Past this the
// command is ended with its process group.
constexpr std::chrono::milliseconds cli_timeout = 10min;
// Enough for Flink's stack traces; a runaway program cannot fill memory.
constexpr std::size_t max_output = 1 << 20;

std::string doing(const JobTarget& job) { return "submitting job " + job.name + " with bin/flink"; }

std::string last_lines_text(std::string_view output) {
  const auto lines = flink::last_output_lines(output, 10);
  if (lines.empty()) return "it printed nothing";
  std::string text = "its last lines:";
  for (const auto& line : lines) text += "\n  " + line;
  return text;
}

// Application clusters: how long the new JobManager may take to be RUNNING
// on YARN (or reachable on Kubernetes) and to list its job.
constexpr std::chrono::milliseconds discovery_wait = 3min;

// Application mode: the client does not learn the job id, but the new
// JobManager runs exactly one job, so it is the one /jobs/overview lists.
Result<std::string> only_job_of(const OpsContext& context, const JobTarget& job,
                                const std::string& rest_url) {
  const std::string finding = "finding the Flink job of " + job.name + " on its JobManager " + rest_url;
  auto jobmanager = JobManager::open(context, job.cluster, rest_url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  std::optional<Error> unanswered; // why the last attempt got no list, if it got none
  auto found = poll_until(context.clock, discovery_wait, 1s, [&]() -> std::optional<Result<std::string>> {
    auto jobs = jobmanager->rest().jobs_overview();
    unanswered = jobs ? std::nullopt : std::optional<Error>(jobs.error());
    if (jobs && jobs->size() == 1) return jobs->front().id;
    if (jobs && jobs->size() > 1) {
      return fail(ErrorKind::external, finding,
                  fmt::format("an application cluster should run one job, it lists {}", jobs->size()));
    }
    return std::nullopt;
  });
  if (found) return std::move(*found);
  if (unanswered) return std::unexpected(unanswered->within(finding));
  return fail(ErrorKind::unreachable, finding,
              fmt::format("it lists no job after {}", core::describe_age(discovery_wait.count())));
}

// bin/flink deployed an application cluster but sp cannot follow it: say
// which, since it keeps running (and costing) until someone ends it.
Error deployed_but_lost(const JobTarget& job, const std::string& application_id, const Error& error) {
  return Error(error.kind(), doing(job) + ": " + error.doing(), error.why(),
               fmt::format("bin/flink deployed {} on cluster {} and it may be running: end it with YARN or "
                           "Kubernetes tools, or find its JobManager and `sp job adopt` the job",
                           application_id, job.cluster_name));
}

// While bin/flink waits for YARN to start a new application's JobManager
// (Flink asks the ResourceManager until it is RUNNING, without end), says
// why it waits and gives up after `wait`: an application kept in ACCEPTED
// for lack of room would otherwise hold the start until cli_timeout.
// Ending bin/flink runs Flink's deployment failure hook, which kills the
// application, so it does not start later behind sp's back.
class DeploymentWatch {
public:
  DeploymentWatch(const OpsContext& context, const JobTarget& job, std::chrono::milliseconds wait)
      : context_(context), job_(job), wait_(wait) {}

  // For ProcessRequest::keep_going: cheap between the asks.
  bool keep_going(std::string_view output_so_far) {
    if (!application_id_) application_id_ = flink::yarn_application_id(output_so_far);
    const auto now = context_.clock.now_ms();
    if (!application_id_ || now < next_ask_) return true;
    next_ask_ = now + std::chrono::duration_cast<std::chrono::milliseconds>(ask_every).count();
    auto report = ask_resource_manager(context_, job_.cluster, job_.cluster_name, *application_id_);
    if (!report) return true; // bin/flink asks it too, and says what it finds
    if (report->state == "RUNNING" || flink::has_ended(*report)) {
      waiting_since_.reset();
      return true;
    }
    if (!waiting_since_) waiting_since_ = now;
    const auto said = flink::describe_waiting(*report);
    if (said != last_said_ && context_.progress) context_.progress(said);
    last_said_ = said;
    return now - *waiting_since_ < wait_.count();
  }

  // After keep_going said no: why, and what became of the application.
  Error gave_up() const {
    // keep_going says no only once it knows the application id.
    auto report = ask_resource_manager(context_, job_.cluster, job_.cluster_name, *application_id_);
    const std::string now_state = report ? report->state : "unknown";
    const bool ended = report && flink::has_ended(*report);
    return Error(ErrorKind::unreachable, doing(job_),
                 fmt::format("{} for {}; bin/flink was ended and the application is now {}", last_said_,
                             core::describe_age(wait_.count()), now_state),
                 ended ? "YARN found no room for the JobManager's container: free capacity on the queue or "
                         "ask for less (jobmanager.memory.process.size), then start again; --wait sets how "
                         "long sp waits"
                       : fmt::format("end it (yarn application -kill {}) before starting again, or it may "
                                     "start on its own later",
                                     *application_id_));
  }

private:
  static constexpr auto ask_every = 5s;
  const OpsContext& context_;
  const JobTarget& job_;
  std::chrono::milliseconds wait_;
  std::optional<std::string> application_id_;
  std::int64_t next_ask_ = 0;
  std::optional<std::int64_t> waiting_since_; // since the application was first seen waiting
  std::string last_said_;
};

class CliSubmitter final : public Submitter {
public:
  CliSubmitter(const OpsContext& context, store::FlinkRow flink, std::chrono::milliseconds deployment_wait)
      : context_(context), flink_(std::move(flink)), deployment_wait_(deployment_wait) {}

  Result<Submission> submit(const JobTarget& job, const store::ReleaseRow& release,
                            const flink::RunRequest& run) override {
    const auto target = flink::cli_target_for(job.cluster);
    const bool application = flink::is_application_target(target);
    // An application cluster does not exist yet; every other target has a JobManager to ask first.
    std::optional<std::string> rest_url;
    if (target == flink::CliTarget::yarn_application) {
      if (auto up = check_resource_manager(context_, job.cluster, job.cluster_name); !up)
        return std::unexpected(up.error().within(doing(job)));
    }
    if (!application) {
      auto address = resolve_jobmanager_address(context_, job.cluster, job.cluster_name, std::nullopt);
      if (!address) return std::unexpected(address.error().within(doing(job)));
      rest_url = *address;
    }
    auto version = rest_url ? check_jobmanager(job, *rest_url) : flink::parse_version(flink_.spec.version);
    if (!version) return std::unexpected(version.error().within(doing(job)));
    const auto kubernetes_id = core::kubernetes_cluster_id_for(job.name);
    std::map<std::string, std::string> target_options;
    if (target == flink::CliTarget::remote) {
      auto options = flink::remote_target_options(*rest_url);
      if (!options) return std::unexpected(options.error().within(doing(job)));
      target_options = std::move(*options);
    } else {
      target_options = flink::deployment_target_options(job.cluster, target, job.name, kubernetes_id);
    }
    const auto argv = flink::cli_run_argv({.flink_home = flink_.spec.home,
                                           .version = *version,
                                           .target = target,
                                           .cluster_configuration = job.cluster.flink_configuration,
                                           .target_options = target_options,
                                           .jar = release.artifact_path,
                                           .run = run});
    auto output = run_cli(job, argv, rest_url, target);
    if (!output) return std::unexpected(output.error());
    auto submitted = flink::parse_cli_submission(*output, target);
    if (!submitted) return std::unexpected(submitted.error().within(doing(job)));

    Submission submission;
    submission.application_id = submitted->application_id;
    if (target == flink::CliTarget::yarn_session) submission.application_id = job.cluster.yarn.application_id;
    if (target == flink::CliTarget::kubernetes_session)
      submission.application_id = job.cluster.kubernetes.cluster_id;
    if (application) {
      if (context_.progress) context_.progress("looking for the JobManager of " + *submission.application_id);
      auto address = await_jobmanager_address(context_, job.cluster, job.cluster_name,
                                              submission.application_id, discovery_wait);
      if (!address)
        return std::unexpected(deployed_but_lost(job, *submission.application_id, address.error()));
      rest_url = *address;
    }
    submission.rest_url = *rest_url;
    if (submitted->job_id) {
      submission.flink_job_id = *submitted->job_id;
    } else {
      auto only = only_job_of(context_, job, submission.rest_url);
      if (!only) return std::unexpected(deployed_but_lost(job, *submission.application_id, only.error()));
      submission.flink_job_id = *only;
    }
    return submission;
  }

private:
  // Runs bin/flink and returns what it printed; a failure quotes Flink's cause.
  Result<std::string> run_cli(const JobTarget& job, const std::vector<std::string>& argv,
                              const std::optional<std::string>& rest_url, flink::CliTarget target) {
    // Never print the argv: job args may carry secret values.
    if (context_.progress)
      context_.progress(fmt::format("submitting {} with {}/bin/flink", job.name, flink_.spec.home));
    std::string output;
    build::ProcessRequest request;
    request.argv = argv;
    request.working_directory = flink_.spec.home;
    request.timeout = cli_timeout;
    request.on_output = [&output](std::string_view chunk) {
      if (output.size() < max_output) output.append(chunk.substr(0, max_output - output.size()));
    };
    DeploymentWatch deployment(context_, job, deployment_wait_);
    if (target == flink::CliTarget::yarn_application)
      request.keep_going = [&] { return deployment.keep_going(output); };
    auto runner =
        context_.make_process_runner ? context_.make_process_runner() : build::make_process_runner();
    auto ran = runner->run(request);
    if (!ran) return std::unexpected(ran.error().within(doing(job)));
    if (ran->ending == build::ProcessResult::Ending::interrupted) {
      return fail(ErrorKind::interrupted, doing(job), "interrupted; bin/flink was ended",
                  rest_url
                      ? "the job may have been submitted anyway: look at the jobs of " + *rest_url
                      : "the application may have been deployed anyway: look at cluster " + job.cluster_name);
    }
    if (ran->ending == build::ProcessResult::Ending::stopped) return std::unexpected(deployment.gave_up());
    if (ran->ending != build::ProcessResult::Ending::exited || ran->exit_code != 0) {
      return fail(ErrorKind::external, doing(job),
                  fmt::format("bin/flink {}: {}\n{}", build::describe(*ran, cli_timeout),
                              flink::root_cause_line(output), last_lines_text(output)));
    }
    return output;
  }

  // Asks the JobManager first: an unreachable one is exit 5 at once instead
  // of after bin/flink's minute of retries, and a client of another version
  // line than the cluster fails in obscure ways, so it is refused up front.
  Result<flink::FlinkVersion> check_jobmanager(const JobTarget& job, const std::string& rest_url) {
    auto client = flink::parse_version(flink_.spec.version);
    if (!client) return std::unexpected(client.error().within(doing(job)));
    auto jobmanager = JobManager::open(context_, job.cluster, rest_url);
    if (!jobmanager) return std::unexpected(jobmanager.error());
    auto cluster = jobmanager->rest().version();
    if (!cluster) return std::unexpected(cluster.error().within(doing(job)));
    if (cluster->major != client->major || cluster->minor != client->minor) {
      return fail(
          ErrorKind::refused, doing(job),
          fmt::format("the JobManager at {} runs Flink {}.{}.{} but Flink {} is {}", rest_url, cluster->major,
                      cluster->minor, cluster->patch, flink_.name, flink_.spec.version),
          fmt::format("register a Flink {}.{} distribution and name it in the spec.flink of cluster {}",
                      cluster->major, cluster->minor, job.cluster_name));
    }
    return *client;
  }

  const OpsContext& context_;
  store::FlinkRow flink_;
  std::chrono::milliseconds deployment_wait_;
};

} // namespace

Result<std::unique_ptr<Submitter>> make_cli_submitter(const OpsContext& context, const JobTarget& job,
                                                      std::chrono::milliseconds deployment_wait) {
  const std::string what = "submitting job " + job.name + " with bin/flink";
  if (!job.cluster.flink) {
    return fail(ErrorKind::usage, what, "cluster " + job.cluster_name + " names no Flink distribution",
                "set spec.flink on the cluster to a registered Flink");
  }
  auto flink = store::find_flink(context.database, *job.cluster.flink);
  if (!flink) {
    return fail(ErrorKind::not_found, what, "Flink " + *job.cluster.flink + " is not registered",
                "register it with a `kind: Flink` document or `sp flink add`");
  }
  std::error_code error;
  const auto program = std::filesystem::path(flink->spec.home) / "bin" / "flink";
  if (!std::filesystem::is_regular_file(program, error)) {
    return fail(ErrorKind::not_found, what,
                fmt::format("Flink {} has no {} (was the distribution moved or deleted?)", flink->name,
                            program.string()),
                "register it again with its current home");
  }
  return std::unique_ptr<Submitter>(
      std::make_unique<CliSubmitter>(context, std::move(*flink), deployment_wait));
}

} // namespace sp::ops
