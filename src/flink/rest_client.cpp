#include "sp/flink/rest_client.hpp"

#include "sp/flink/mapping.hpp"
#include "sp/util/redact.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sp::flink {

namespace {

// Unwraps a parse result, or hands its error on.
template <typename T, typename F> Result<T> then(Result<std::string> body, F parse) {
  if (!body) return std::unexpected(body.error());
  return parse(*body);
}

} // namespace

RestClient::RestClient(net::HttpTransport& transport, std::string base_url,
                       std::optional<std::string> authorization)
    : transport_(transport), base_url_(std::move(base_url)), authorization_(std::move(authorization)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<net::HttpResponse> RestClient::call(const std::string& method, const std::string& path,
                                           std::string body) {
  net::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.body = std::move(body);
  request.authorization = authorization_;
  return transport_.send(request);
}

Result<std::string> RestClient::expect_ok(const std::string& doing, Result<net::HttpResponse> response) {
  if (!response) return std::unexpected(response.error().within(doing));
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  // A JobManager URL may carry credentials (https://user:secret@host); messages never do.
  const std::string why = fmt::format("JobManager {} answered HTTP {}: {}", util::url_for_messages(base_url_),
                                      response->status, error_summary(response->body));
  if (response->status == 404) return fail(ErrorKind::not_found, doing, why);
  if (response->status == 401 || response->status == 403) {
    return fail(ErrorKind::external, doing, why, "check the cluster's auth.headerEnv");
  }
  // A proxy in front of the JobManager answering for a JobManager that is gone.
  const bool gateway_failure = response->status == 502 || response->status == 503 || response->status == 504;
  if (gateway_failure) return fail(ErrorKind::unreachable, doing, why);
  return fail(ErrorKind::external, doing, why);
}

Result<FlinkVersion> RestClient::version() {
  return then<FlinkVersion>(expect_ok("asking the JobManager for its version", call("GET", "/config")),
                            parse_config_version);
}

Result<std::vector<JobOverview>> RestClient::jobs_overview() {
  return then<std::vector<JobOverview>>(expect_ok("listing jobs", call("GET", "/jobs/overview")),
                                        parse_jobs_overview);
}

Result<std::map<std::string, std::string>> RestClient::jobmanager_config() {
  return then<std::map<std::string, std::string>>(
      expect_ok("reading the JobManager's configuration", call("GET", "/jobmanager/config")),
      parse_jobmanager_config);
}

Result<CheckpointStats> RestClient::checkpoints(const std::string& job_id) {
  return then<CheckpointStats>(
      expect_ok("reading checkpoints of job " + job_id, call("GET", "/jobs/" + job_id + "/checkpoints")),
      [](std::string_view body) { return parse_checkpoints(body); });
}

Result<CheckpointConfig> RestClient::checkpoint_config(const std::string& job_id) {
  return then<CheckpointConfig>(expect_ok("reading the checkpoint config of job " + job_id,
                                          call("GET", "/jobs/" + job_id + "/checkpoints/config")),
                                parse_checkpoint_config);
}

Result<std::string> RestClient::root_cause(const std::string& job_id) {
  return then<std::string>(
      expect_ok("reading exceptions of job " + job_id, call("GET", "/jobs/" + job_id + "/exceptions")),
      parse_root_cause);
}

Result<ExceptionHistory> RestClient::exception_history(const std::string& job_id, int max_entries) {
  return then<ExceptionHistory>(
      expect_ok("reading exceptions of job " + job_id,
                call("GET", "/jobs/" + job_id + "/exceptions?maxExceptions=" + std::to_string(max_entries))),
      parse_exception_history);
}

Result<std::vector<UploadedJar>> RestClient::jars() {
  return then<std::vector<UploadedJar>>(expect_ok("listing uploaded jars", call("GET", "/jars")), parse_jars);
}

Result<std::string> RestClient::upload_jar(const std::filesystem::path& jar,
                                           std::function<void(std::uint64_t, std::uint64_t)> on_progress) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = base_url_ + "/jars/upload";
  request.upload = net::UploadFile{.field = "jarfile", .path = jar, .on_progress = std::move(on_progress)};
  request.authorization = authorization_;
  // Uploads of large jars take longer than ordinary calls.
  request.timeouts = net::Timeouts{std::chrono::milliseconds(5000), std::chrono::milliseconds(300000)};
  return then<std::string>(expect_ok("uploading " + jar.filename().string(), transport_.send(request)),
                           parse_uploaded_jar_id);
}

Result<std::string> RestClient::run_jar(const std::string& jar_id, const RunRequest& run,
                                        RunDialect dialect) {
  return then<std::string>(expect_ok("submitting the job", call("POST", "/jars/" + jar_id + "/run",
                                                                run_request_body(run, dialect))),
                           parse_run_job_id);
}

Result<void> RestClient::plan_jar(const std::string& jar_id, const RunRequest& request) {
  auto body =
      expect_ok("planning the job", call("POST", "/jars/" + jar_id + "/plan", plan_request_body(request)));
  if (!body) return std::unexpected(body.error());
  return {};
}

Result<void> RestClient::delete_jar(const std::string& jar_id) {
  auto body = expect_ok("removing jar " + jar_id, call("DELETE", "/jars/" + jar_id));
  if (!body) return std::unexpected(body.error());
  return {};
}

Result<std::string> RestClient::trigger_savepoint(const std::string& job_id,
                                                  const std::optional<std::string>& directory) {
  nlohmann::json body = {{"cancel-job", false}};
  if (directory) body["target-directory"] = *directory;
  return then<std::string>(expect_ok("triggering a savepoint of job " + job_id,
                                     call("POST", "/jobs/" + job_id + "/savepoints", body.dump())),
                           parse_trigger_id);
}

Result<std::string> RestClient::trigger_stop(const std::string& job_id,
                                             const std::optional<std::string>& directory, bool drain) {
  nlohmann::json body = {{"drain", drain}};
  if (directory) body["targetDirectory"] = *directory;
  return then<std::string>(expect_ok("stopping job " + job_id + " with a savepoint",
                                     call("POST", "/jobs/" + job_id + "/stop", body.dump())),
                           parse_trigger_id);
}

Result<OperationStatus> RestClient::savepoint_status(const std::string& job_id,
                                                     const std::string& trigger_id) {
  return then<OperationStatus>(expect_ok("waiting for the savepoint of job " + job_id,
                                         call("GET", "/jobs/" + job_id + "/savepoints/" + trigger_id)),
                               parse_operation_status);
}

Result<void> RestClient::cancel(const std::string& job_id) {
  auto body = expect_ok("cancelling job " + job_id, call("PATCH", "/jobs/" + job_id + "?mode=cancel"));
  if (!body) return std::unexpected(body.error());
  return {};
}

} // namespace sp::flink
