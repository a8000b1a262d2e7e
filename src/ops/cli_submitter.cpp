// The CLI driver: `bin/flink run` of the cluster's registered distribution,
// argv without a shell (SPEC 9, 11). The argv and the reading of its output
// are the pure flink/cli_driver; this file runs it and says what went wrong.
#include "sp/flink/cli_driver.hpp"
#include "sp/flink/mapping.hpp"
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

class CliSubmitter final : public Submitter {
public:
  CliSubmitter(const OpsContext& context, std::string rest_url, store::FlinkRow flink)
      : context_(context), rest_url_(std::move(rest_url)), flink_(std::move(flink)) {}

  Result<Submission> submit(const JobTarget& job, const store::ReleaseRow& release,
                            const flink::RunRequest& run) override {
    auto version = check_jobmanager(job);
    if (!version) return std::unexpected(version.error());
    auto target = flink::remote_target_options(rest_url_);
    if (!target) return std::unexpected(target.error().within(doing(job)));
    const auto argv = flink::cli_run_argv({.flink_home = flink_.spec.home,
                                           .version = *version,
                                           .target = flink::CliTarget::remote,
                                           .cluster_configuration = job.cluster.flink_configuration,
                                           .target_options = *target,
                                           .jar = release.artifact_path,
                                           .run = run});
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
    auto runner =
        context_.make_process_runner ? context_.make_process_runner() : build::make_process_runner();
    auto ran = runner->run(request);
    if (!ran) return std::unexpected(ran.error().within(doing(job)));
    if (ran->ending == build::ProcessResult::Ending::interrupted) {
      return fail(ErrorKind::interrupted, doing(job), "interrupted; bin/flink was ended",
                  "the job may have been submitted anyway: look at the jobs of " + rest_url_);
    }
    if (ran->ending != build::ProcessResult::Ending::exited || ran->exit_code != 0) {
      return fail(ErrorKind::external, doing(job),
                  fmt::format("bin/flink {}: {}\n{}", build::describe(*ran, cli_timeout),
                              flink::root_cause_line(output), last_lines_text(output)));
    }
    auto submitted = flink::parse_cli_submission(output, flink::CliTarget::remote);
    if (!submitted) return std::unexpected(submitted.error().within(doing(job)));
    Submission submission;
    submission.flink_job_id = *submitted->job_id;
    submission.rest_url = rest_url_;
    submission.application_id = submitted->application_id;
    return submission;
  }

private:
  // Asks the JobManager first: an unreachable one is exit 5 at once instead
  // of after bin/flink's minute of retries, and a client of another version
  // line than the cluster fails in obscure ways, so it is refused up front.
  Result<flink::FlinkVersion> check_jobmanager(const JobTarget& job) {
    auto client = flink::parse_version(flink_.spec.version);
    if (!client) return std::unexpected(client.error().within(doing(job)));
    JobManager jobmanager(context_, job.cluster, rest_url_);
    auto cluster = jobmanager.rest().version();
    if (!cluster) return std::unexpected(cluster.error().within(doing(job)));
    if (cluster->major != client->major || cluster->minor != client->minor) {
      return fail(
          ErrorKind::refused, doing(job),
          fmt::format("the JobManager at {} runs Flink {}.{}.{} but Flink {} is {}", rest_url_,
                      cluster->major, cluster->minor, cluster->patch, flink_.name, flink_.spec.version),
          fmt::format("register a Flink {}.{} distribution and name it in the spec.flink of cluster {}",
                      cluster->major, cluster->minor, job.cluster_name));
    }
    return *client;
  }

  const OpsContext& context_;
  std::string rest_url_;
  store::FlinkRow flink_;
};

} // namespace

Result<std::unique_ptr<Submitter>> make_cli_submitter(const OpsContext& context, const JobTarget& job,
                                                      const std::string& rest_url) {
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
  return std::unique_ptr<Submitter>(std::make_unique<CliSubmitter>(context, rest_url, std::move(*flink)));
}

} // namespace sp::ops
