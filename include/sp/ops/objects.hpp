// Every write of a declarative object (environments and their variables,
// Flink distributions, projects, clusters, jobs, alert channels), shared by
// `sp apply` and the imperative commands (`add`, `create`, `set`, `remove`,
// ...), so both go through the same checks and record the same events. Each
// function is one transaction; the rules themselves are core's
// (manifest_validation, apply_plan, object_rules).
#pragma once

#include "sp/core/apply_plan.hpp"
#include "sp/core/environment.hpp"
#include "sp/core/lock_rules.hpp"
#include "sp/store/database.hpp"
#include "sp/store/declarative.hpp"
#include "sp/store/upsert.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

// Validates, plans and writes `manifests`, all or nothing.
Result<core::ApplyPlan> apply_objects(store::Database& database, std::vector<core::Manifest> manifests,
                                      const store::Actor& actor);

// One object with the checks of apply; one that exists already is refused
// (exit 4): an imperative `add` never changes an object.
Result<void> create_object(store::Database& database, core::Manifest manifest, const store::Actor& actor,
                           const std::string& doing);

// Removes a Flink distribution, cluster or project, refused while others use
// it (core::check_removal). Its history (runs, builds, events) stays.
Result<void> remove_object(store::Database& database, const core::ObjectKey& key, const store::Actor& actor);

// A project is removed only while no build of it runs: its build lock is
// taken first (refused, exit 4, while one runs). Its workspace goes too;
// artifacts and logs stay, since releases may point at them. Returns a
// warning when the workspace could not be deleted (the project is removed
// all the same: what is left is only disk space), else an empty string.
Result<std::string> remove_project(store::Database& database, const std::string& name,
                                   const std::filesystem::path& workspace, const core::LockHolder& holder,
                                   const core::PidProbe& pid_alive, const store::Actor& actor);

// Creates an environment; false when it existed already (nothing written).
Result<bool> create_environment(store::Database& database, const std::string& name,
                                const store::Actor& actor);
Result<void> delete_environment(store::Database& database, const std::string& name,
                                const store::Actor& actor);

struct VariableWrite {
  core::VariableSpec spec;
  store::UpsertOutcome outcome = store::UpsertOutcome::unchanged;
};
// Sets a variable (once secret, always secret; a missing description keeps the old one).
Result<VariableWrite> set_variable(store::Database& database, const std::string& environment,
                                   const std::string& name, std::string value, bool secret,
                                   const std::optional<std::string>& description, const store::Actor& actor);
Result<void> unset_variable(store::Database& database, const std::string& environment,
                            const std::string& name, const store::Actor& actor);

// A missing variable, naming the nearest ones of the environment.
Error missing_variable(store::Database& database, std::int64_t environment_id, const std::string& name,
                       const std::string& environment, const std::string& doing);

// The event of a new SP_HOME.
void record_home_created(store::Database& database, const std::string& home, const store::Actor& actor);

// A not_found error for a missing object that suggests the nearest of `names`;
// `where` follows the name in the message (" in environment prod").
Error missing_object(const std::string& doing, const std::string& what, const std::string& name,
                     const std::vector<std::string>& names, const std::string& hint_otherwise,
                     const std::string& where = "");

} // namespace sp::ops
