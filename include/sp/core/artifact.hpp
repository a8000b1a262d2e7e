// Which file a build produced (SPEC.md section 8), decided over a plain list
// of files so the rule is testable without a file system.
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sp::core {

struct FileEntry {
  std::string path; // relative to the build directory, '/'-separated
  std::uint64_t size = 0;
  bool operator==(const FileEntry&) const = default;
};

// Jars Maven writes beside the real one: shade's `original-*`, and the
// sources, javadoc and tests classifiers.
bool is_secondary_jar(std::string_view file_name);

// With a glob: the largest file matching it. Without: the largest
// `target/*.jar` that is not a secondary jar. Ties go to the first path in
// byte order, so the choice never depends on directory listing order.
// Nothing matching is an external error (the build did not produce what it
// should), with the candidates it saw in the message.
Result<FileEntry> choose_artifact(std::span<const FileEntry> files, const std::optional<std::string>& glob);

} // namespace sp::core
