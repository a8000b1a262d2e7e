// A JobManager's REST API, over an HttpTransport. Each call returns a Result:
// no answer is `unreachable` (exit 5); a refusal by Flink is `external`
// (exit 6) with Flink's own root cause; 404 for a job is `not_found`.
#pragma once

#include "sp/flink/model.hpp"
#include "sp/net/http.hpp"
#include "sp/util/error.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sp::flink {

class RestClient {
public:
  // `base_url` is the JobManager REST address (http://host:8081); `authorization`
  // is an Authorization header value, if the cluster needs one.
  RestClient(net::HttpTransport& transport, std::string base_url,
             std::optional<std::string> authorization = std::nullopt);

  const std::string& base_url() const { return base_url_; }

  Result<FlinkVersion> version();
  Result<std::vector<JobOverview>> jobs_overview();
  // The cluster configuration the JobManager runs with (where checkpoints go by default).
  Result<std::map<std::string, std::string>> jobmanager_config();
  Result<CheckpointStats> checkpoints(const std::string& job_id);
  Result<CheckpointConfig> checkpoint_config(const std::string& job_id);
  Result<std::string> root_cause(const std::string& job_id);
  // The newest `max_entries` failures Flink holds for the job.
  Result<ExceptionHistory> exception_history(const std::string& job_id, int max_entries);

  Result<std::vector<UploadedJar>> jars();
  // `on_progress` hears bytes sent and in all as the upload goes (may be empty).
  Result<std::string> upload_jar(const std::filesystem::path& jar,
                                 std::function<void(std::uint64_t, std::uint64_t)> on_progress = {});
  Result<std::string> run_jar(const std::string& jar_id, const RunRequest& request, RunDialect dialect);
  // Runs the jar's main only as far as its job graph: nothing is submitted.
  Result<void> plan_jar(const std::string& jar_id, const RunRequest& request);
  Result<void> delete_jar(const std::string& jar_id);

  // Savepoint without stopping; returns the trigger id.
  Result<std::string> trigger_savepoint(const std::string& job_id,
                                        const std::optional<std::string>& directory);
  // Stop with savepoint (drain: emit MAX_WATERMARK first); returns the trigger id.
  Result<std::string> trigger_stop(const std::string& job_id, const std::optional<std::string>& directory,
                                   bool drain);
  Result<OperationStatus> savepoint_status(const std::string& job_id, const std::string& trigger_id);
  Result<void> cancel(const std::string& job_id);

private:
  Result<net::HttpResponse> call(const std::string& method, const std::string& path, std::string body = {});
  Result<std::string> expect_ok(const std::string& doing, Result<net::HttpResponse> response);

  net::HttpTransport& transport_;
  std::string base_url_;
  std::optional<std::string> authorization_;
};

} // namespace sp::flink
