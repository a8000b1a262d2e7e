// How projects and builds look in output (table, JSON, YAML): one place, so
// `project show`, `project builds` and `project build` agree on field names.
#pragma once

#include "sp/cli/output.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/projects.hpp"

#include <optional>
#include <vector>

namespace sp::cli {

// A project with its URL redacted, and its latest build when there is one.
Data project_record(const store::ProjectRow& project, const std::optional<store::BuildRow>& latest);

Data build_record(const std::string& project, const store::BuildRow& build);

// `sp project builds`: newest first.
View builds_view(const std::string& project, const std::vector<store::BuildRow>& builds);

} // namespace sp::cli
