// The filesystem side of restore validation (SPEC 5.4): a file: checkpoint or
// savepoint must exist with a readable _metadata; other schemes are accepted
// as unverified.
#pragma once

#include "sp/core/restore.hpp"

namespace sp::flink {

core::PathCheck check_restore_path(const std::string& path);

} // namespace sp::flink
