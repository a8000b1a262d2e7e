#include "sp/ops/state_scan.hpp"

#include "sp/core/state_layout.hpp"

#include <algorithm>

namespace sp::ops {

namespace {

// The point at `directory` if its _metadata is there and readable.
Result<std::optional<StoredPoint>> point_at(storage::StateStorage& storage, const std::string& directory,
                                            core::PointKind kind) {
  auto metadata = storage.stat(core::join_path(directory, "_metadata"));
  if (!metadata) return std::unexpected(metadata.error());
  if (!*metadata || (*metadata)->directory || !(*metadata)->readable) return std::optional<StoredPoint>();
  StoredPoint point;
  point.kind = kind;
  point.path = directory;
  point.completion_ms = (*metadata)->modified_ms.value_or(0);
  return std::optional<StoredPoint>(point);
}

} // namespace

Result<std::optional<StoredPoint>> newest_checkpoint_in(storage::StateStorage& storage,
                                                        const std::string& run_dir) {
  auto listing = storage.list(run_dir, directory_listing_limit);
  if (!listing) return std::unexpected(listing.error());
  std::vector<std::string> names;
  for (const auto& entry : listing->entries) {
    if (entry.directory) names.push_back(entry.name);
  }
  // chk-N without _metadata is in progress or was aborted: skipped.
  for (const auto number : core::newest_checkpoint_numbers(names, checkpoints_tried_per_run)) {
    auto point = point_at(storage, core::join_path(run_dir, "chk-" + std::to_string(number)),
                          core::PointKind::checkpoint);
    if (!point) return std::unexpected(point.error());
    if (*point) {
      (*point)->checkpoint_number = number;
      return point;
    }
  }
  return std::optional<StoredPoint>();
}

Result<std::vector<StoredPoint>> savepoints_in(storage::StateStorage& storage, const std::string& directory,
                                               std::size_t limit) {
  auto listing = storage.list(directory, directory_listing_limit);
  if (!listing) return std::unexpected(listing.error());
  std::vector<StoredPoint> points;
  for (const auto& entry : listing->entries) {
    if (!entry.directory || !entry.name.starts_with("savepoint-")) continue;
    auto point = point_at(storage, core::join_path(directory, entry.name), core::PointKind::savepoint);
    if (!point) return std::unexpected(point.error());
    if (*point) points.push_back(std::move(**point));
  }
  std::ranges::sort(
      points, [](const StoredPoint& a, const StoredPoint& b) { return a.completion_ms > b.completion_ms; });
  if (points.size() > limit) points.resize(limit);
  return points;
}

Result<std::vector<std::string>> run_directories_of(storage::StateStorage& storage,
                                                    const std::string& checkpoint_dir,
                                                    const std::string& key) {
  auto listing = storage.list(checkpoint_dir, directory_listing_limit);
  if (!listing) return std::unexpected(listing.error());
  std::vector<std::string> ids;
  for (const auto& entry : listing->entries) {
    if (entry.directory && core::is_job_id_of(entry.name, key)) ids.push_back(entry.name);
  }
  // The id carries the submission time in fixed-width hex: newest sorts last.
  std::ranges::sort(ids, std::greater<>());
  std::vector<std::string> directories;
  directories.reserve(ids.size());
  for (const auto& id : ids) directories.push_back(core::join_path(checkpoint_dir, id));
  return directories;
}

} // namespace sp::ops
