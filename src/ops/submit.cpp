#include "sp/ops/submit.hpp"

#include "sp/flink/mapping.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/util/progress.hpp"

#include <algorithm>

namespace sp::ops {

namespace {

class RestSubmitter final : public Submitter {
public:
  RestSubmitter(const OpsContext& context, std::string rest_url)
      : context_(context), rest_url_(std::move(rest_url)) {}

  Result<Submission> submit(const JobTarget& job, const store::ReleaseRow& release,
                            const flink::RunRequest& run) override {
    auto jobmanager = JobManager::open(context_, job.cluster, rest_url_);
    if (!jobmanager) return std::unexpected(jobmanager.error());
    auto& rest = jobmanager->rest();
    auto version = rest.version();
    if (!version) return std::unexpected(version.error());
    Submission submission;
    submission.rest_url = rest_url_;
    auto jar_id = upload_or_reuse(rest, release, submission.jar_reused);
    if (!jar_id) return std::unexpected(jar_id.error());
    if (context_.progress) context_.progress("submitting " + job.name + " to " + rest_url_);
    auto flink_job_id = rest.run_jar(*jar_id, run, flink::dialect_for(*version));
    if (!flink_job_id) return std::unexpected(flink_job_id.error());
    submission.flink_job_id = *flink_job_id;
    return submission;
  }

private:
  Result<std::string> upload_or_reuse(flink::RestClient& rest, const store::ReleaseRow& release,
                                      bool& reused) {
    if (release.flink_jar_id) {
      auto jars = rest.jars();
      const auto listed = [&](const flink::UploadedJar& jar) { return jar.id == *release.flink_jar_id; };
      if (jars && std::ranges::any_of(*jars, listed)) {
        reused = true;
        return *release.flink_jar_id;
      }
    }
    if (context_.progress) context_.progress("uploading " + release.artifact_path);
    auto uploaded = rest.upload_jar(release.artifact_path, [this](std::uint64_t sent, std::uint64_t total) {
      if (context_.progress_detail && total > 0) {
        context_.progress_detail(util::human_bytes(sent) + " of " + util::human_bytes(total));
      }
    });
    if (!uploaded) return uploaded;
    store::set_release_jar_id(context_.database, release.id, *uploaded);
    return uploaded;
  }

  const OpsContext& context_;
  std::string rest_url_;
};

} // namespace

std::unique_ptr<Submitter> make_rest_submitter(const OpsContext& context, const std::string& rest_url) {
  return std::make_unique<RestSubmitter>(context, rest_url);
}

Result<std::unique_ptr<Submitter>> make_submitter(const OpsContext& context, const JobTarget& job,
                                                  std::chrono::milliseconds deployment_wait) {
  if (core::submit_driver_of(job.cluster) == core::SubmitDriver::cli)
    return make_cli_submitter(context, job, deployment_wait);
  auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
  if (!url) return std::unexpected(url.error().within("starting job " + job.name));
  return make_rest_submitter(context, *url);
}

} // namespace sp::ops
