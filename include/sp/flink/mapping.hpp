// Pure JSON mapping between Flink's REST API and flink/model.hpp. Every parse
// function takes the raw body and returns a Result: a malformed or unexpected
// body is an error naming what was expected, never a crash.
#pragma once

#include "sp/flink/model.hpp"
#include "sp/util/error.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sp::flink {

// "1.20.5", "2.2.1", "1.19-SNAPSHOT" → {1,20,5}, {2,2,1}, {1,19,0}.
Result<FlinkVersion> parse_version(std::string_view text);
RunDialect dialect_for(const FlinkVersion& version);

Result<FlinkVersion> parse_config_version(std::string_view body); // GET /config
Result<std::vector<JobOverview>> parse_jobs_overview(std::string_view body);
// GET /jobmanager/config: the cluster configuration, key -> value.
Result<std::map<std::string, std::string>> parse_jobmanager_config(std::string_view body);
// The watch loop needs only the counts and the latest entries: skipping the
// history (ten entries per job) saves most of the parsing and the memory of
// holding 10,000 answers until the cycle writes.
enum class CheckpointDetail { with_history, latest_only };
Result<CheckpointStats> parse_checkpoints(std::string_view body,
                                          CheckpointDetail detail = CheckpointDetail::with_history);
Result<CheckpointConfig> parse_checkpoint_config(std::string_view body);
Result<OperationStatus> parse_operation_status(std::string_view body);
Result<std::string> parse_trigger_id(std::string_view body);      // {"request-id": ...}
Result<std::string> parse_uploaded_jar_id(std::string_view body); // POST /jars/upload
Result<std::vector<UploadedJar>> parse_jars(std::string_view body);
Result<std::string> parse_run_job_id(std::string_view body); // {"jobid": ...}
// The first line of the deepest cause of a job's latest failure (GET /jobs/:id/exceptions).
Result<std::string> parse_root_cause(std::string_view body);
// The exception history of GET /jobs/:id/exceptions, newest first.
Result<ExceptionHistory> parse_exception_history(std::string_view body);
// The entry naming the task that failed: the entry itself, else the first
// of its concurrent failures that names one (a global failure such as
// "Recovery is suppressed" wraps the task's), else the entry.
ExceptionEntry task_failure_of(const ExceptionEntry& entry);

// The body of POST /jars/:id/run in the version's dialect: programArgsList
// always, claimMode or restoreMode NO_CLAIM when restoring, and nothing an
// older version would reject.
std::string run_request_body(const RunRequest& request, RunDialect dialect);

// POST /jars/:id/plan: the program and its arguments, nothing a run adds.
std::string plan_request_body(const RunRequest& request);

// How the SQL runner's messages begin (runner/sql/README.md).
inline constexpr std::string_view sql_runner_marker = "sp-sql-runner: ";

// The SQL runner's message in a Java stack trace (it names the statement),
// with the deepest cause's message when the first line lacks it; nullopt
// when the trace holds no runner message.
std::optional<std::string> sql_runner_error(std::string_view trace);

// The most useful line of an error body ({"errors": [...]}): the SQL
// runner's message where there is one, else the deepest "Caused by:"
// message of a Java stack trace, else the first line. Used for every
// non-2xx answer.
std::string error_summary(std::string_view body);

// The deepest "Caused by:" message of a stack trace, else its first line.
std::string root_cause_line(std::string_view stack_trace);

// Flink job states that mean the job is gone for good.
bool is_globally_terminal(std::string_view state);

} // namespace sp::flink
