// What the state storage holds for a run or a job (SPEC 5.2, 5.9): the truth
// that beats sp's records. Flink retains only the newest checkpoint(s) of a
// run and deletes the subsumed ones, so a run's newest checkpoint is read
// from its directory, not from what sp saw last.
#pragma once

#include "sp/core/restore.hpp"
#include "sp/storage/storage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

// A completed checkpoint or savepoint found in storage.
struct StoredPoint {
  core::PointKind kind = core::PointKind::checkpoint;
  std::string path;                              // the chk-N or savepoint directory
  std::optional<std::int64_t> checkpoint_number; // N of chk-N
  std::int64_t completion_ms = 0;                // when its _metadata was written
};

// How many chk-N of one run are looked into, newest first, before giving up:
// a run keeps its newest few; older ones are in progress, aborted or junk.
constexpr std::size_t checkpoints_tried_per_run = 8;
// Entries read from one directory at most (a filesystem that never deletes).
constexpr std::size_t directory_listing_limit = 100'000;

// The newest chk-N with a readable _metadata in a run's checkpoint directory;
// nullopt when it holds none (or does not exist). unreachable: could not ask.
Result<std::optional<StoredPoint>> newest_checkpoint_in(storage::StateStorage& storage,
                                                        const std::string& run_dir);

// Every savepoint-* directory with a _metadata in `directory` (a per-job
// savepoint directory), newest first, at most `limit`.
Result<std::vector<StoredPoint>> savepoints_in(storage::StateStorage& storage, const std::string& directory,
                                               std::size_t limit);

// Sub-directories of `checkpoint_dir` named by sp's ids for the job with
// `key`, newest first (by the submission time in the id).
Result<std::vector<std::string>>
run_directories_of(storage::StateStorage& storage, const std::string& checkpoint_dir, const std::string& key);

} // namespace sp::ops
