// A build of a project as plain values (SPEC.md sections 1 and 8).
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::core {

enum class BuildStatus { building, success, failed };

std::string_view to_string(BuildStatus status);
// The inverse of to_string; anything else is a failure (a corrupt row).
std::optional<BuildStatus> build_status_from_string(std::string_view text);

// The commit a build checked out.
struct CommitInfo {
  std::string sha;     // 40 hex digits
  std::string author;  // "Name <email>"
  std::string subject; // first line of the message
  bool operator==(const CommitInfo&) const = default;
};

// A build's artifact as copied into SP_HOME/artifacts/<project>/<build>/.
struct ArtifactInfo {
  std::string path; // absolute
  std::string sha256;
  std::uint64_t size = 0;
  bool operator==(const ArtifactInfo&) const = default;
};

// The reason recorded for a build whose process vanished midway.
inline constexpr std::string_view abandoned_build_error =
    "interrupted: the sp process running this build is gone";

} // namespace sp::core
