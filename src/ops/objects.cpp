#include "sp/ops/objects.hpp"

#include "sp/core/manifest_validation.hpp"
#include "sp/core/object_rules.hpp"
#include "sp/core/substitution.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/flinks.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

void record(store::Database& database, const store::Actor& actor, const std::string& subject_kind,
            const std::string& subject, const std::string& kind, const std::string& message) {
  store::record_event(database, {.time_ms = actor.now_ms,
                                 .subject_kind = subject_kind,
                                 .subject = subject,
                                 .kind = kind,
                                 .actor = actor.user,
                                 .host = actor.host,
                                 .message = message});
}

std::vector<std::string> names_of(const core::ObjectSet& objects, const core::ObjectKey& like) {
  std::vector<std::string> names;
  for (const auto& [key, manifest] : objects) {
    if (key.kind == like.kind && key.environment == like.environment) names.push_back(key.name);
  }
  return names;
}

Error missing(const core::ObjectKey& key, const core::ObjectSet& objects, const std::string& doing) {
  const std::string noun(core::kind_noun(key.kind));
  const std::string where = key.environment.empty() ? "" : " in environment " + key.environment;
  return missing_object(doing, noun == "flink" ? "Flink" : noun, key.name, names_of(objects, key),
                        fmt::format("see `sp {} list`", noun), where);
}

void remove_row(store::Database& database, const core::ObjectKey& key) {
  switch (key.kind) {
  case core::ObjectKind::flink:
    store::remove_flink(database, key.name);
    break;
  case core::ObjectKind::cluster:
    store::remove_cluster(database, key.environment, key.name);
    break;
  case core::ObjectKind::project:
    store::remove_project(database, key.name);
    break;
  default:
    throw Error(ErrorKind::failure, "removing " + key.to_string(), "this kind is not removed this way");
  }
}

Result<std::int64_t> environment_id(store::Database& database, const std::string& environment,
                                    const std::string& doing) {
  if (auto row = store::find_environment(database, environment)) return row->id;
  return std::unexpected(missing_object(doing, "environment", environment, store::environment_names(database),
                                        fmt::format("create it with `sp env create {}`", environment)));
}

// SPEC 1: names of variables; sp.* is the built-ins'.
Result<void> check_variable_name(const std::string& name, const std::string& doing) {
  if (!core::is_valid_variable_name(name)) {
    return fail(ErrorKind::usage, doing,
                "a variable name starts with a letter and continues with letters, digits, '.', '_' or '-'");
  }
  if (core::is_reserved_variable_name(name)) {
    return fail(ErrorKind::usage, doing, "names starting with sp. are reserved for built-ins");
  }
  return {};
}

} // namespace

Error missing_object(const std::string& doing, const std::string& what, const std::string& name,
                     const std::vector<std::string>& names, const std::string& hint_otherwise,
                     const std::string& where) {
  auto near = util::nearest(name, names);
  return Error(ErrorKind::not_found, doing, fmt::format("there is no {} {}{}", what, name, where),
               near ? fmt::format("did you mean {}?", *near) : hint_otherwise);
}

Error missing_variable(store::Database& database, std::int64_t environment, const std::string& name,
                       const std::string& environment_name, const std::string& doing) {
  std::vector<std::string> names;
  for (const auto& row : store::list_variables(database, environment)) names.push_back(row.name);
  return missing_object(doing, "variable", name, names,
                        "see `sp var list` (variables belong to an environment: --env)",
                        " in environment " + environment_name);
}

Result<core::ApplyPlan> apply_objects(store::Database& database, std::vector<core::Manifest> manifests,
                                      const store::Actor& actor) {
  store::Transaction transaction(database);
  const auto current = store::load_objects(database);
  if (auto valid = core::validate_manifests(manifests, current); !valid)
    return std::unexpected(valid.error());
  auto plan = core::plan_apply(std::move(manifests), current);
  if (!plan) return plan;
  store::write_plan(database, *plan, actor);
  transaction.commit();
  return plan;
}

Result<void> create_object(store::Database& database, core::Manifest manifest, const store::Actor& actor,
                           const std::string& doing) {
  store::Transaction transaction(database);
  const auto current = store::load_objects(database);
  const auto key = core::key_of(manifest);
  if (current.contains(key)) {
    return fail(ErrorKind::refused, doing, key.to_string() + " exists already",
                "change it with sp apply, or remove it first");
  }
  std::vector<core::Manifest> manifests{std::move(manifest)};
  if (auto valid = core::validate_manifests(manifests, current); !valid)
    return std::unexpected(valid.error());
  auto plan = core::plan_apply(std::move(manifests), current);
  if (!plan) return std::unexpected(plan.error());
  store::write_plan(database, *plan, actor);
  transaction.commit();
  return {};
}

Result<void> remove_object(store::Database& database, const core::ObjectKey& key, const store::Actor& actor) {
  const std::string doing = fmt::format("removing {} {}", core::kind_noun(key.kind), key.name);
  store::Transaction transaction(database);
  const auto objects = store::load_objects(database);
  if (!objects.contains(key)) return std::unexpected(missing(key, objects, doing));
  if (auto allowed = core::check_removal(key, objects); !allowed)
    return std::unexpected(allowed.error().within(doing));
  remove_row(database, key);
  const std::string subject = key.environment.empty() ? key.name : key.environment + "/" + key.name;
  const std::string message = key.kind == core::ObjectKind::flink
                                  ? "Flink distribution removed (its files are untouched)"
                                  : std::string(core::kind_noun(key.kind)) + " removed";
  record(database, actor, std::string(core::kind_noun(key.kind)), subject, "removed", message);
  transaction.commit();
  return {};
}

Result<std::string> remove_project(store::Database& database, const std::string& name,
                                   const std::filesystem::path& workspace, const core::LockHolder& holder,
                                   const core::PidProbe& pid_alive, const store::Actor& actor) {
  const std::string doing = "removing project " + name;
  auto lock = store::ScopedLock::acquire(database, store::project_lock_name(name), holder,
                                         {actor.now_ms, actor.now_ms + 60'000}, pid_alive);
  if (!lock) return std::unexpected(lock.error().within(doing));
  if (auto removed = remove_object(database, {.kind = core::ObjectKind::project, .name = name}, actor);
      !removed) {
    return std::unexpected(removed.error());
  }
  std::error_code error;
  std::filesystem::remove_all(workspace, error);
  if (!error) return std::string();
  return fmt::format("project {} is removed, but its workspace {} is not: {}; delete it by hand", name,
                     workspace.string(), error.message());
}

Result<bool> create_environment(store::Database& database, const std::string& name,
                                const store::Actor& actor) {
  if (!core::is_valid_object_name(name)) {
    return fail(
        ErrorKind::usage, "creating environment " + name,
        "an environment name starts with a letter or digit and continues with letters, digits, '.', '_' "
        "or '-' (at most 128)");
  }
  store::Transaction transaction(database);
  const auto [id, created] = store::ensure_environment(database, name, actor.now_ms);
  if (created) record(database, actor, "environment", name, "created", "environment created");
  transaction.commit();
  return created;
}

Result<void> delete_environment(store::Database& database, const std::string& name,
                                const store::Actor& actor) {
  store::Transaction transaction(database);
  const auto existing = store::find_environment(database, name);
  if (auto deleted = store::delete_environment(database, name); !deleted) return deleted;
  const auto variables = existing ? existing->variables : 0;
  record(database, actor, "environment", name, "deleted",
         fmt::format("environment deleted with {} variable(s)", variables));
  transaction.commit();
  return {};
}

Result<VariableWrite> set_variable(store::Database& database, const std::string& environment,
                                   const std::string& name, std::string value, bool secret,
                                   const std::optional<std::string>& description, const store::Actor& actor) {
  const std::string doing = fmt::format("setting variable {} in environment {}", name, environment);
  if (auto valid = check_variable_name(name, doing); !valid) return std::unexpected(valid.error());
  if (util::invalid_utf8_offset(value)) return fail(ErrorKind::usage, doing, "the value is not valid UTF-8");
  store::Transaction transaction(database);
  auto id = environment_id(database, environment, doing);
  if (!id) return std::unexpected(id.error());
  const auto existing = store::find_variable(database, *id, name);
  VariableWrite write;
  write.spec = core::updated_variable(existing ? std::optional(existing->spec) : std::nullopt,
                                      std::move(value), secret, description);
  write.outcome = store::set_variable(database, *id, name, write.spec, actor.now_ms);
  if (write.outcome != store::UpsertOutcome::unchanged) {
    const bool created = write.outcome == store::UpsertOutcome::created;
    record(database, actor, "variable", environment + "/" + name, created ? "created" : "configured",
           write.spec.secret ? "secret variable set" : "variable set");
  }
  transaction.commit();
  return write;
}

Result<void> unset_variable(store::Database& database, const std::string& environment,
                            const std::string& name, const store::Actor& actor) {
  const std::string doing = "unsetting variable " + name;
  store::Transaction transaction(database);
  auto id = environment_id(database, environment, doing);
  if (!id) return std::unexpected(id.error());
  if (!store::unset_variable(database, *id, name)) {
    return std::unexpected(missing_variable(database, *id, name, environment, doing));
  }
  record(database, actor, "variable", environment + "/" + name, "removed", "variable removed");
  transaction.commit();
  return {};
}

void record_home_created(store::Database& database, const std::string& home, const store::Actor& actor) {
  record(database, actor, "home", home, "initialized", "created SP_HOME and its database");
}

} // namespace sp::ops
