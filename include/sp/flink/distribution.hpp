// Recognising a Flink distribution on disk (a FLINK_HOME), for the `Flink`
// kind of `sp apply` and for `sp flink add`.
#pragma once

#include "sp/util/error.hpp"

#include <filesystem>
#include <string>

namespace sp::flink {

// The version of the distribution at `home`, from the name of its
// lib/flink-dist*.jar. A path that is not a directory, or has no such jar, is
// a usage error saying which.
Result<std::string> detect_flink_version(const std::filesystem::path& home);

} // namespace sp::flink
