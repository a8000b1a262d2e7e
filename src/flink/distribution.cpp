#include "sp/flink/distribution.hpp"

#include "sp/core/flink.hpp"

#include <algorithm>
#include <vector>

namespace sp::flink {

Result<std::string> detect_flink_version(const std::filesystem::path& home) {
  const std::string doing = "reading the Flink distribution at " + home.string();
  std::error_code error;
  if (!std::filesystem::is_directory(home, error)) {
    return fail(ErrorKind::usage, doing, "it is not a directory",
                "give the FLINK_HOME of an unpacked Flink release");
  }
  const auto lib = home / "lib";
  std::vector<std::string> versions;
  for (std::filesystem::directory_iterator it(lib, error), end; !error && it != end; it.increment(error)) {
    if (auto version = core::flink_version_from_dist_jar(it->path().filename().string()))
      versions.push_back(*version);
  }
  if (versions.empty()) {
    return fail(ErrorKind::usage, doing, "it is not a Flink distribution: there is no lib/flink-dist*.jar",
                "give the FLINK_HOME of an unpacked Flink release (the folder holding bin/ and lib/)");
  }
  std::ranges::sort(versions);
  if (versions.size() > 1 && versions.front() != versions.back()) {
    return fail(ErrorKind::usage, doing, "lib/ holds flink-dist jars of several versions",
                "keep one flink-dist jar per distribution");
  }
  return versions.front();
}

} // namespace sp::flink
