#include "sp/flink/restore_paths.hpp"

#include <unistd.h>

#include <filesystem>

namespace sp::flink {

core::PathCheck check_restore_path(const std::string& path) {
  using core::PathStatus;
  const auto local = core::local_path_of(path);
  if (!local) {
    return {PathStatus::unverified, "scheme " + path.substr(0, path.find(':')) + " is not checked by sp"};
  }
  std::error_code error;
  const std::filesystem::path location(*local);
  const auto status = std::filesystem::status(location, error);
  if (!std::filesystem::exists(status)) return {PathStatus::invalid, *local + " does not exist"};
  // A savepoint may be given as its _metadata file or as its directory.
  const auto metadata = std::filesystem::is_directory(status) ? location / "_metadata" : location;
  if (!std::filesystem::exists(metadata, error)) return {PathStatus::invalid, metadata.string() + " is missing"};
  if (::access(metadata.c_str(), R_OK) != 0) return {PathStatus::invalid, metadata.string() + " is not readable"};
  return {PathStatus::valid, "_metadata present and readable"};
}

} // namespace sp::flink
