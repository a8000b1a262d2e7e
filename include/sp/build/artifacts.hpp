// The file-system side of artifacts: what a build left in its directory, and
// copying the chosen file into SP_HOME with its digest.
#pragma once

#include "sp/core/artifact.hpp"
#include "sp/core/build.hpp"
#include "sp/util/error.hpp"

#include <filesystem>
#include <vector>

namespace sp::build {

// Every regular file below `dir` (not following links, skipping .git), as
// '/'-separated paths relative to `dir`, with sizes, sorted by path.
Result<std::vector<core::FileEntry>> list_files(const std::filesystem::path& dir);

// Copies `source` into `destination_dir` (created private) under its own
// name, hashing while copying; written to a temporary name and renamed, so a
// file under its final name is always complete.
Result<core::ArtifactInfo> store_artifact(const std::filesystem::path& source,
                                          const std::filesystem::path& destination_dir);

} // namespace sp::build
