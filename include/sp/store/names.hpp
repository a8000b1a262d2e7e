// Just the names of objects, for shell completion: one small query each,
// nothing parsed, so completing stays quick on a large database.
#pragma once

#include "sp/core/completion.hpp"
#include "sp/store/database.hpp"
#include "sp/store/store.hpp"

#include <string>
#include <vector>

namespace sp::store {

// Opens an existing sp.db for a quick look (shell completion): creates
// nothing, migrates nothing, refuses every write, waits at most `busy_ms` for
// a writer. A missing, foreign or newer database is an error. (Defined in
// store.cpp, beside the compatibility checks it shares with open_store.)
Result<Database> open_store_read_only(const HomeLayout& home, int busy_ms);

// Names of `kind`, sorted; jobs, clusters and variables are those of `environment`.
std::vector<std::string> object_names(Database& database, core::NameKind kind,
                                      const std::string& environment);

} // namespace sp::store
