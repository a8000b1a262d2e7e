// The two answers the watch loop reads from every JobManager each cycle,
// GET /jobs/overview and GET /jobs/:id/checkpoints, parsed with simdjson: at
// 10,000 jobs a cycle reads ~80 MB of checkpoint statistics, and building a
// nlohmann DOM of it costs more than fetching it. simdjson's own document
// (a flat tape, validated in full) is built by the shared library, which
// picks the CPU's best kernel at run time (AVX2, AVX-512); its on-demand API
// would be compiled into sp for the baseline x86-64 target, several times
// slower. One pass over the fields in whatever order Flink writes them.
#include "sp/flink/mapping.hpp"

#include "unusable_answer.hpp"

#include <simdjson.h>

namespace sp::flink {

namespace {

namespace dom = simdjson::dom;

// Thrown for a well-formed body of the wrong shape; caught below with
// simdjson's own errors so both read as "unexpected response shape".
struct ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::optional<std::string> optional_string(dom::element value) {
  if (value.is_null()) return std::nullopt;
  return std::string(std::string_view(value.get_string()));
}

std::optional<std::int64_t> optional_int(dom::element value) {
  if (value.is_null()) return std::nullopt;
  return std::int64_t(value.get_int64());
}

CheckpointEntry read_checkpoint(dom::object entry) {
  CheckpointEntry checkpoint;
  bool has_id = false;
  std::optional<std::int64_t> latest_ack;
  std::optional<std::int64_t> state_size;
  for (auto field : entry) {
    const std::string_view key = field.key;
    dom::element value = field.value;
    if (key == "id") {
      checkpoint.id = value.get_int64();
      has_id = true;
    } else if (key == "status") {
      checkpoint.status = std::string_view(value.get_string());
    } else if (key == "is_savepoint") {
      checkpoint.is_savepoint = value.get_bool();
    } else if (key == "external_path") {
      checkpoint.external_path = optional_string(value);
    } else if (key == "trigger_timestamp") {
      checkpoint.trigger_time_ms = value.get_int64();
    } else if (key == "latest_ack_timestamp") {
      latest_ack = optional_int(value);
    } else if (key == "checkpointed_size") {
      checkpoint.size_bytes = optional_int(value);
    } else if (key == "state_size") {
      state_size = optional_int(value);
    } else if (key == "failure_message") {
      checkpoint.failure_message = optional_string(value);
    }
  }
  if (!has_id) throw ShapeError("a checkpoint without an id");
  if (checkpoint.status == "COMPLETED") checkpoint.completion_time_ms = latest_ack;
  if (!checkpoint.size_bytes) checkpoint.size_bytes = state_size;
  return checkpoint;
}

std::optional<CheckpointEntry> optional_checkpoint(dom::element value) {
  if (value.is_null()) return std::nullopt;
  return read_checkpoint(value.get_object());
}

RestoredCheckpoint read_restored(dom::object entry) {
  RestoredCheckpoint restored;
  bool has_id = false;
  for (auto field : entry) {
    const std::string_view key = field.key;
    dom::element value = field.value;
    if (key == "id") {
      restored.id = value.get_int64();
      has_id = true;
    } else if (key == "restore_timestamp") {
      restored.restore_time_ms = value.get_int64();
    } else if (key == "is_savepoint") {
      restored.is_savepoint = value.get_bool();
    } else if (key == "external_path") {
      restored.external_path = optional_string(value);
    }
  }
  if (!has_id) throw ShapeError("a restored checkpoint without an id");
  return restored;
}

CheckpointCounts read_counts(dom::object object) {
  CheckpointCounts counts;
  for (auto field : object) {
    const std::string_view key = field.key;
    std::int64_t* target = key == "restored"      ? &counts.restored
                           : key == "total"       ? &counts.total
                           : key == "in_progress" ? &counts.in_progress
                           : key == "completed"   ? &counts.completed
                           : key == "failed"      ? &counts.failed
                                                  : nullptr;
    if (target != nullptr) *target = field.value.get_int64();
  }
  return counts;
}

void read_latest(dom::object latest, CheckpointStats& stats) {
  for (auto field : latest) {
    const std::string_view key = field.key;
    dom::element value = field.value;
    if (key == "completed") {
      stats.latest_completed = optional_checkpoint(value);
    } else if (key == "savepoint") {
      stats.latest_savepoint = optional_checkpoint(value);
    } else if (key == "failed") {
      stats.latest_failed = optional_checkpoint(value);
    } else if (key == "restored") {
      if (!value.is_null()) stats.restored = read_restored(value.get_object());
    }
  }
}

JobOverview read_job(dom::object entry) {
  JobOverview job;
  bool has_id = false;
  bool has_state = false;
  for (auto field : entry) {
    const std::string_view key = field.key;
    dom::element value = field.value;
    if (key == "jid") {
      job.id = std::string_view(value.get_string());
      has_id = true;
    } else if (key == "name") {
      job.name = std::string_view(value.get_string());
    } else if (key == "state") {
      job.state = std::string_view(value.get_string());
      has_state = true;
    } else if (key == "start-time") {
      job.start_time_ms = value.get_int64();
    } else if (key == "end-time") {
      const std::int64_t end = value.get_int64();
      if (end >= 0) job.end_time_ms = end; // -1 while running
    } else if (key == "last-modification") {
      job.last_modification_ms = value.get_int64();
    }
  }
  if (!has_id || !has_state) throw ShapeError("a job without jid or state");
  return job;
}

// Runs `read` over the body's top-level object. simdjson needs padding after
// the text, so the body is copied once into a padded buffer.
template <typename T, typename Reader>
Result<T> read_object(std::string_view body, std::string_view what, Reader read) {
  // One parser per thread, reused: its buffers grow to the largest body seen
  // instead of being allocated again for each of the cycle's 10,000 answers.
  thread_local dom::parser parser;
  const simdjson::padded_string padded(body);
  try {
    dom::element document = parser.parse(padded);
    if (document.type() != dom::element_type::OBJECT) return unusable_answer(what, "expected a JSON object");
    return read(document.get_object());
  } catch (const ShapeError& error) {
    return unusable_answer(what, error.what());
  } catch (const simdjson::simdjson_error& error) {
    // simdjson's own words ("The JSON element does not have the requested
    // type.") say nothing of where: say what kind of problem it is.
    if (error.error() == simdjson::INCORRECT_TYPE)
      return unusable_answer(what, "a field has another type than Flink's");
    if (error.error() == simdjson::NUMBER_OUT_OF_RANGE)
      return unusable_answer(what, "a number is out of range");
    return unusable_answer(what, "it is not valid JSON");
  }
}

} // namespace

Result<std::vector<JobOverview>> parse_jobs_overview(std::string_view body) {
  return read_object<std::vector<JobOverview>>(body, "GET /jobs/overview", [](dom::object document) {
    std::vector<JobOverview> jobs;
    bool has_jobs = false;
    for (auto field : document) {
      if (field.key != "jobs") continue;
      has_jobs = true;
      for (dom::element entry : field.value.get_array()) jobs.push_back(read_job(entry.get_object()));
    }
    if (!has_jobs) throw ShapeError("no jobs list");
    return jobs;
  });
}

Result<CheckpointStats> parse_checkpoints(std::string_view body, CheckpointDetail detail) {
  return read_object<CheckpointStats>(body, "GET /jobs/:id/checkpoints", [detail](dom::object document) {
    CheckpointStats stats;
    for (auto field : document) {
      const std::string_view key = field.key;
      dom::element value = field.value;
      if (key == "counts") {
        stats.counts = read_counts(value.get_object());
      } else if (key == "latest") {
        if (value.type() == dom::element_type::OBJECT) read_latest(value.get_object(), stats);
      } else if (key == "history" && detail == CheckpointDetail::with_history) {
        if (value.type() == dom::element_type::ARRAY) {
          for (dom::element entry : value.get_array())
            stats.history.push_back(read_checkpoint(entry.get_object()));
        }
      }
    }
    return stats;
  });
}

} // namespace sp::flink
