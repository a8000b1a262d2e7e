#include "sp/flink/mapping.hpp"

#include "unusable_answer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <limits>

namespace sp::flink {

namespace {

using nlohmann::json;

Result<json> parse_body(std::string_view body, std::string_view what) {
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return unusable_answer(what, "it is not valid JSON");
  if (!document.is_object()) return unusable_answer(what, "expected a JSON object");
  return document;
}

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::unexpected<Error> unexpected_shape(std::string_view what, const std::exception& error) {
  std::string_view message = error.what();
  if (message.starts_with("[json.exception.")) {
    if (const auto end = message.find("] "); end != std::string_view::npos) message.remove_prefix(end + 2);
  }
  return unusable_answer(what, std::string(message));
}

template <typename T> std::optional<T> optional_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

std::string first_line(std::string_view text) {
  const auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

} // namespace

Result<FlinkVersion> parse_version(std::string_view text) {
  FlinkVersion version;
  int* parts[] = {&version.major, &version.minor, &version.patch};
  const char* cursor = text.data();
  const char* end = text.data() + text.size();
  for (int index = 0; index < 3 && cursor < end; ++index) {
    auto [next, error] = std::from_chars(cursor, end, *parts[index]);
    if (error != std::errc{}) {
      if (index < 2) break;
      return version; // "1.19-SNAPSHOT": a missing patch is 0
    }
    cursor = next;
    if (cursor < end && *cursor == '.')
      ++cursor;
    else if (index >= 1)
      return version;
  }
  if (version.major == 0 && version.minor == 0) {
    return fail(ErrorKind::failure, "reading the Flink version",
                "'" + std::string(text) + "' is not a version");
  }
  return version;
}

RunDialect dialect_for(const FlinkVersion& version) {
  if (version < FlinkVersion{1, 15, 0}) return RunDialect::no_restore_mode;
  if (version < FlinkVersion{1, 20, 0}) return RunDialect::restore_mode;
  return RunDialect::claim_mode;
}

Result<FlinkVersion> parse_config_version(std::string_view body) {
  auto document = parse_body(body, "GET /config");
  if (!document) return std::unexpected(document.error());
  auto it = document->find("flink-version");
  if (it == document->end() || !it->is_string())
    return unusable_answer("GET /config", "no flink-version in it");
  auto version = parse_version(it->get<std::string>());
  if (!version) return unusable_answer("GET /config", version.error().why());
  return version;
}

Result<CheckpointConfig> parse_checkpoint_config(std::string_view body) {
  auto document = parse_body(body, "GET /jobs/:id/checkpoints/config");
  if (!document) return std::unexpected(document.error());
  try {
    CheckpointConfig config;
    config.enabled = document->contains("interval") && document->value("interval", std::int64_t{0}) > 0 &&
                     document->value("interval", std::int64_t{0}) != std::numeric_limits<std::int64_t>::max();
    if (config.enabled) config.interval_ms = document->at("interval").get<std::int64_t>();
    if (auto externalization = document->find("externalization"); externalization != document->end()) {
      config.retained_on_cancellation =
          externalization->value("enabled", false) && !externalization->value("delete_on_cancellation", true);
    }
    return config;
  } catch (const json::exception& error) {
    return unexpected_shape("GET /jobs/:id/checkpoints/config", error);
  }
}

Result<OperationStatus> parse_operation_status(std::string_view body) {
  constexpr std::string_view what = "GET /jobs/:id/savepoints/:triggerid";
  auto document = parse_body(body, what);
  if (!document) return std::unexpected(document.error());
  try {
    OperationStatus status;
    const auto id = document->at("status").at("id").get<std::string>();
    if (id == "IN_PROGRESS") return status;
    const auto& operation = document->at("operation");
    if (operation.is_object() && operation.contains("failure-cause")) {
      status.state = OperationStatus::State::failed;
      const auto& cause = operation["failure-cause"];
      const std::string trace =
          cause.value("stack-trace", cause.value("class", std::string("unknown cause")));
      status.failure_cause = root_cause_line(trace);
      return status;
    }
    status.state = OperationStatus::State::completed;
    if (operation.is_object()) status.location = optional_field<std::string>(operation, "location");
    return status;
  } catch (const json::exception& error) {
    return unexpected_shape(what, error);
  }
}

Result<std::string> parse_trigger_id(std::string_view body) {
  constexpr std::string_view what = "POST /jobs/:id/savepoints or /stop";
  auto document = parse_body(body, what);
  if (!document) return std::unexpected(document.error());
  auto it = document->find("request-id");
  if (it == document->end() || !it->is_string()) return unusable_answer(what, "no request-id in it");
  return it->get<std::string>();
}

Result<std::string> parse_uploaded_jar_id(std::string_view body) {
  auto document = parse_body(body, "POST /jars/upload");
  if (!document) return std::unexpected(document.error());
  if (document->value("status", "") != "success" || !document->contains("filename")) {
    return fail(ErrorKind::external, "uploading the jar",
                "Flink did not accept the upload: " + error_summary(body));
  }
  // The id /jars/:id/run takes is the stored file's name.
  const auto& filename = document->at("filename");
  if (!filename.is_string()) return unusable_answer("POST /jars/upload", "filename is not a string");
  const auto name = filename.get<std::string>();
  return name.substr(name.find_last_of('/') + 1);
}

Result<std::vector<UploadedJar>> parse_jars(std::string_view body) {
  auto document = parse_body(body, "GET /jars");
  if (!document) return std::unexpected(document.error());
  try {
    std::vector<UploadedJar> jars;
    for (const auto& file : document->at("files")) {
      jars.push_back({file.at("id").get<std::string>(), file.value("name", ""),
                      file.value("uploaded", std::int64_t{0})});
    }
    return jars;
  } catch (const json::exception& error) {
    return unexpected_shape("GET /jars", error);
  }
}

Result<std::string> parse_run_job_id(std::string_view body) {
  auto document = parse_body(body, "POST /jars/:id/run");
  if (!document) return std::unexpected(document.error());
  auto it = document->find("jobid");
  if (it == document->end() || !it->is_string()) {
    return fail(ErrorKind::external, "running the jar",
                "no job id in Flink's answer: " + error_summary(body));
  }
  return it->get<std::string>();
}

Result<std::string> parse_root_cause(std::string_view body) {
  auto document = parse_body(body, "GET /jobs/:id/exceptions");
  if (!document) return std::unexpected(document.error());
  // 2.x dropped root-exception; exceptionHistory exists in both.
  if (auto history = document->find("exceptionHistory"); history != document->end() && history->is_object()) {
    const auto entries = history->find("entries");
    if (entries != history->end() && entries->is_array() && !entries->empty() &&
        entries->front().is_object()) {
      const auto trace = entries->front().find("stacktrace");
      if (trace != entries->front().end() && trace->is_string())
        return root_cause_line(trace->get<std::string>());
    }
  }
  if (auto root = document->find("root-exception"); root != document->end() && root->is_string()) {
    return root_cause_line(root->get<std::string>());
  }
  return std::string("no exception recorded");
}

namespace {

ExceptionEntry exception_entry_of(const json& object) {
  ExceptionEntry entry;
  entry.exception_name = object.value("exceptionName", std::string());
  entry.stacktrace = object.value("stacktrace", std::string());
  entry.cause = entry.stacktrace.empty() ? entry.exception_name : root_cause_line(entry.stacktrace);
  if (auto time = object.find("timestamp"); time != object.end() && time->is_number_integer())
    entry.timestamp_ms = time->get<std::int64_t>();
  entry.task_name = optional_field<std::string>(object, "taskName");
  // `location` is the older spelling of `endpoint` (gone in 2.x).
  entry.endpoint = optional_field<std::string>(object, "endpoint");
  if (!entry.endpoint) entry.endpoint = optional_field<std::string>(object, "location");
  entry.task_manager_id = optional_field<std::string>(object, "taskManagerId");
  if (auto labels = object.find("failureLabels"); labels != object.end() && labels->is_object()) {
    for (const auto& [key, value] : labels->items())
      entry.failure_labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return entry;
}

} // namespace

Result<ExceptionHistory> parse_exception_history(std::string_view body) {
  constexpr std::string_view what = "GET /jobs/:id/exceptions";
  auto document = parse_body(body, what);
  if (!document) return std::unexpected(document.error());
  try {
    ExceptionHistory history;
    const auto found = document->find("exceptionHistory");
    if (found == document->end() || found->is_null()) return history; // no failure yet
    history.truncated = found->value("truncated", false);
    for (const auto& item : found->at("entries")) {
      auto entry = exception_entry_of(item);
      if (auto concurrent = item.find("concurrentExceptions");
          concurrent != item.end() && concurrent->is_array()) {
        for (const auto& other : *concurrent) entry.concurrent.push_back(exception_entry_of(other));
      }
      history.entries.push_back(std::move(entry));
    }
    return history;
  } catch (const json::exception& error) {
    return unexpected_shape(what, error);
  }
}

ExceptionEntry task_failure_of(const ExceptionEntry& entry) {
  if (entry.task_name) return entry;
  for (const auto& other : entry.concurrent) {
    if (other.task_name) return other;
  }
  return entry;
}

Result<std::map<std::string, std::string>> parse_jobmanager_config(std::string_view body) {
  constexpr std::string_view what = "GET /jobmanager/config";
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return unusable_answer(what, "it is not valid JSON");
  if (!document.is_array()) return unusable_answer(what, "expected a JSON array");
  std::map<std::string, std::string> configuration;
  for (const auto& entry : document) {
    if (!entry.is_object()) continue;
    const auto key = entry.find("key");
    const auto value = entry.find("value");
    if (key == entry.end() || value == entry.end() || !key->is_string() || !value->is_string()) continue;
    configuration[key->get<std::string>()] = value->get<std::string>();
  }
  return configuration;
}

std::string run_request_body(const RunRequest& request, RunDialect dialect) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (request.job_id) body["jobId"] = *request.job_id;
  if (request.entry_class) body["entryClass"] = *request.entry_class;
  body["programArgsList"] = request.args;
  if (request.parallelism) body["parallelism"] = *request.parallelism;
  if (request.savepoint_path) {
    body["savepointPath"] = *request.savepoint_path;
    body["allowNonRestoredState"] = request.allow_non_restored_state;
    // NO_CLAIM: the restored snapshot stays owned by its run, never deleted by the new one.
    if (dialect == RunDialect::claim_mode) body["claimMode"] = "NO_CLAIM";
    if (dialect == RunDialect::restore_mode) body["restoreMode"] = "NO_CLAIM";
  }
  // The run request's flinkConfiguration field exists from 1.17 on (FLINK-29543);
  // claim_mode versions have it for sure, older ones are sent nothing they may reject.
  if (!request.flink_configuration.empty() && dialect == RunDialect::claim_mode) {
    body["flinkConfiguration"] = request.flink_configuration;
  }
  return body.dump();
}

std::string root_cause_line(std::string_view stack_trace) {
  constexpr std::string_view marker = "Caused by: ";
  const auto deepest = stack_trace.rfind(marker);
  if (deepest == std::string_view::npos) return first_line(stack_trace);
  return first_line(stack_trace.substr(deepest + marker.size()));
}

std::optional<std::string> sql_runner_error(std::string_view trace) {
  const auto runner = trace.find(sql_runner_marker);
  if (runner == std::string_view::npos) return std::nullopt;
  std::string line = first_line(trace.substr(runner));
  // Flink's messages run over several lines ("Unable to create a sink ...\n\n
  // Table options are: ..."); the deepest cause says what was wrong.
  const auto cause = root_cause_line(trace.substr(runner));
  if (!cause.empty() && line.find(cause) == std::string::npos) line += ": " + cause;
  return line;
}

std::string plan_request_body(const RunRequest& request) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (request.entry_class) body["entryClass"] = *request.entry_class;
  body["programArgsList"] = request.args;
  if (request.parallelism) body["parallelism"] = *request.parallelism;
  return body.dump();
}

std::string error_summary(std::string_view body) {
  json document = json::parse(body, nullptr, false);
  if (document.is_object() && document.contains("errors") && document["errors"].is_array()) {
    std::string summary;
    for (const auto& error : document["errors"]) {
      if (!error.is_string()) continue;
      const auto& trace = error.get<std::string>();
      const auto line = sql_runner_error(trace).value_or(root_cause_line(trace));
      if (!line.empty()) summary += (summary.empty() ? "" : "; ") + line;
    }
    if (!summary.empty()) return summary;
  }
  std::string text = first_line(body);
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text.empty() ? "(empty answer)" : text;
}

bool is_globally_terminal(std::string_view state) {
  return state == "FINISHED" || state == "CANCELED" || state == "FAILED";
}

} // namespace sp::flink
