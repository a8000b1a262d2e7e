// Just the names of objects, for shell completion: one small query each,
// nothing parsed, so completing stays quick on a large database.
#pragma once

#include "sp/core/completion.hpp"
#include "sp/store/database.hpp"

#include <string>
#include <vector>

namespace sp::store {

// Names of `kind`, sorted; jobs, clusters and variables are those of `environment`.
std::vector<std::string> object_names(Database& database, core::NameKind kind, const std::string& environment);

} // namespace sp::store
