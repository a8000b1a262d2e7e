#include "sp/core/build.hpp"

namespace sp::core {

std::string_view to_string(BuildStatus status) {
  switch (status) {
  case BuildStatus::building:
    return "building";
  case BuildStatus::success:
    return "success";
  case BuildStatus::failed:
    return "failed";
  }
  return "failed";
}

Result<BuildStatus> parse_build_status(std::string_view text) {
  if (text == "building") return BuildStatus::building;
  if (text == "success") return BuildStatus::success;
  if (text == "failed") return BuildStatus::failed;
  return fail(ErrorKind::failure, "reading a build status", "unknown status '" + std::string(text) + "'");
}

} // namespace sp::core
