// Where a job's state lives and how sp recognises it without its database
// (SPEC.md 5.9). Pure: names and paths in, names and paths out.
//
// Identity. sp chooses every run's Flink job id (32 hex digits, Flink's
// JobID) as
//
//     KKKKKKKKKKKKKKKK 5bf0 TTTTTTTTTTTT
//
// K: the job key, the first 64 bits of SHA-256("sp/v1 <env>/<job>"), the
//    same on every host that has the same declarations;
// 5bf0: the marker of an id sp chose;
// T: the submission time in milliseconds (48 bits), so a job's runs order
//    by their ids alone, even with nothing but a checkpoint directory listing.
//
// Flink writes a run's checkpoints to <checkpoint dir>/<job id>/chk-N, and a
// savepoint to <savepoint dir>/savepoint-<first 6 digits of the job id>-<random>,
// so both carry the identity too.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// 16 hex digits naming the job (environment and name) on every host.
std::string job_key(std::string_view environment, std::string_view job);

// The Flink job id of a run of the job submitted at `now_ms`.
std::string flink_job_id_for(std::string_view environment, std::string_view job, std::int64_t now_ms);

// Whether `flink_job_id` is one sp chose for the job with `key`.
bool is_job_id_of(std::string_view flink_job_id, std::string_view key);

// The submission time an sp-chosen id carries; nullopt for other ids.
std::optional<std::int64_t> submission_time_of(std::string_view flink_job_id);

// A Flink JobID: exactly 32 hex digits.
bool is_flink_job_id(std::string_view text);

// "chk-42" -> 42; nullopt for anything else ("chk-", "chk-4x", "shared").
std::optional<std::int64_t> checkpoint_number(std::string_view entry_name);

// The largest `limit` checkpoint numbers among directory entry names, largest
// first. Listings can hold thousands of chk-N (retention raised, or a
// filesystem that never deletes); only the newest few are ever looked into.
std::vector<std::int64_t> newest_checkpoint_numbers(const std::vector<std::string>& entry_names,
                                                    std::size_t limit);

// "file:/cp/<id>/chk-7" -> {"file:/cp/<id>", 7}: the run's checkpoint
// directory a recorded checkpoint path lies in; nullopt when the path's last
// component is not chk-N.
struct CheckpointLocation {
  std::string run_directory;
  std::int64_t number = 0;
};
std::optional<CheckpointLocation> checkpoint_location_of(std::string_view path);

// `directory` + "/" + `name`, without doubling a slash.
std::string join_path(std::string_view directory, std::string_view name);

// The checkpoint base directory a job's configuration names
// (execution.checkpointing.dir, formerly state.checkpoints.dir).
std::optional<std::string> checkpoint_dir_in(const std::map<std::string, std::string>& configuration);
// The default savepoint directory a configuration names
// (execution.checkpointing.savepoint-dir, formerly state.savepoints.dir).
std::optional<std::string> savepoint_dir_in(const std::map<std::string, std::string>& configuration);

// The keys both Flink lines read for the two directories, old and new names.
// The new names first: where both are set, Flink 1.20 reads the new one.
inline constexpr std::array<std::string_view, 2> checkpoint_dir_keys{"execution.checkpointing.dir",
                                                                     "state.checkpoints.dir"};
inline constexpr std::array<std::string_view, 2> savepoint_dir_keys{"execution.checkpointing.savepoint-dir",
                                                                    "state.savepoints.dir"};

// With a cluster's `state.root`: <root>/<env>/<job>/checkpoints and .../savepoints.
struct StateDirectories {
  std::string checkpoints;
  std::string savepoints;
};
StateDirectories state_directories_under(std::string_view root, std::string_view environment,
                                         std::string_view job);

// Where a job's checkpoints go, by SPEC 5.9's order: the job's configuration,
// the cluster's state.root layout, the cluster's configuration, then the
// JobManager's own configuration (nullopt when not asked or not set).
std::optional<std::string>
resolve_checkpoint_dir(const std::map<std::string, std::string>& job_configuration,
                       const std::optional<std::string>& state_root_dir,
                       const std::map<std::string, std::string>& cluster_configuration,
                       const std::map<std::string, std::string>* jobmanager_configuration);

// The configuration a run is submitted with: the job's, plus what sp sets
// itself where the job does not: the state.root directories (both key
// spellings, so 1.x and 2.x read them) and pipeline.name (the job's name, so
// the JobManager lists it by that name).
std::map<std::string, std::string>
submission_configuration(const std::map<std::string, std::string>& job_configuration,
                         const std::optional<StateDirectories>& state_root_dirs, std::string_view job_name);

// The name the JobManager lists the job by: pipeline.name if set, else the job's name.
std::string pipeline_name_of(const std::map<std::string, std::string>& job_configuration,
                             std::string_view job_name);

} // namespace sp::core
