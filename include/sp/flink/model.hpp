// What sp reads from and sends to a JobManager, as plain values. The JSON
// mapping (flink/mapping.hpp) is pure and tested against responses recorded
// from real Flink 1.20 and 2.x clusters (tests/fixtures/flink-*).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sp::flink {

struct FlinkVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const FlinkVersion&) const = default;
};

// How a version spells the restore options of POST /jars/:id/run (SPEC 9).
enum class RunDialect {
  no_restore_mode, // before 1.15: neither restoreMode nor claimMode
  restore_mode,    // 1.15-1.19: restoreMode
  claim_mode,      // 1.20 and later: claimMode
};

struct JobOverview {
  std::string id;
  std::string name;
  std::string state; // Flink's JobStatus: RUNNING, FAILED, ...
  std::int64_t start_time_ms = 0;
  std::optional<std::int64_t> end_time_ms; // absent while running (-1 in Flink)
  std::int64_t last_modification_ms = 0;
};

struct CheckpointEntry {
  std::int64_t id = 0; // restarts at 1 in every run
  std::string status;  // COMPLETED, FAILED, IN_PROGRESS
  bool is_savepoint = false;
  std::optional<std::string> external_path;
  std::int64_t trigger_time_ms = 0;
  std::optional<std::int64_t> completion_time_ms; // latest_ack_timestamp of a completed checkpoint
  std::optional<std::int64_t> size_bytes;
  std::optional<std::string> failure_message;
};

struct RestoredCheckpoint {
  std::int64_t id = 0;
  std::int64_t restore_time_ms = 0;
  bool is_savepoint = false;
  std::optional<std::string> external_path;
};

struct CheckpointCounts {
  std::int64_t restored = 0;
  std::int64_t total = 0;
  std::int64_t in_progress = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
};

// GET /jobs/:id/checkpoints, reduced to what sp records.
struct CheckpointStats {
  CheckpointCounts counts;
  std::optional<CheckpointEntry> latest_completed;
  std::optional<CheckpointEntry> latest_savepoint;
  std::optional<CheckpointEntry> latest_failed;
  std::optional<RestoredCheckpoint> restored;
  std::vector<CheckpointEntry> history; // newest first, as Flink lists it
};

// GET /jobs/:id/checkpoints/config, the part that matters for restores.
struct CheckpointConfig {
  bool enabled = false;
  std::optional<std::int64_t> interval_ms;
  // Externalized checkpoints: kept on cancellation? (a cancel then leaves a restore point)
  bool retained_on_cancellation = false;
};

// One failure in GET /jobs/:id/exceptions' exceptionHistory (both lines'
// shape; 2.x dropped the older root-exception/all-exceptions fields).
struct ExceptionEntry {
  std::string exception_name;
  std::string cause;      // the first line of the deepest "Caused by:" (the root cause)
  std::string stacktrace; // as Flink gives it
  std::int64_t timestamp_ms = 0;
  // Where it happened; absent for a global failure (the JobManager's own).
  std::optional<std::string> task_name;
  std::optional<std::string> endpoint; // the TaskManager's host:port
  std::optional<std::string> task_manager_id;
  std::map<std::string, std::string> failure_labels;
  // Failures of other tasks that Flink grouped with this one (one restart).
  std::vector<ExceptionEntry> concurrent;
};

struct ExceptionHistory {
  std::vector<ExceptionEntry> entries; // newest first, as Flink lists them
  bool truncated = false;              // Flink holds more than it sent (maxExceptions)
};

// The state of an asynchronous operation (savepoint, stop-with-savepoint).
struct OperationStatus {
  enum class State { in_progress, completed, failed } state = State::in_progress;
  std::optional<std::string> location;      // the savepoint path, when completed
  std::optional<std::string> failure_cause; // one line, when failed
};

struct UploadedJar {
  std::string id; // what /jars/:id/run takes
  std::string name;
  std::int64_t uploaded_ms = 0;
};

// What sp asks Flink to run.
struct RunRequest {
  std::optional<std::string> job_id; // the Flink job id sp chose (SPEC 5.9)
  std::optional<std::string> entry_class;
  std::vector<std::string> args;
  std::optional<int> parallelism;
  std::optional<std::string> savepoint_path;
  bool allow_non_restored_state = false;
  std::map<std::string, std::string> flink_configuration; // sent where the version accepts it
};

} // namespace sp::flink
