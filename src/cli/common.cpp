#include "common.hpp"

#include "sp/core/apply_plan.hpp"
#include "sp/util/strings.hpp"
#include "sp/util/system.hpp"

#include <fmt/format.h>

namespace sp::cli {

store::Actor current_actor() { return {util::current_user(), util::host_name(), util::now_ms()}; }

Error missing_object(const std::string& doing, const std::string& what, const std::string& name,
                     const std::vector<std::string>& names, const std::string& hint_otherwise,
                     const std::string& where) {
  auto near = util::nearest(name, names);
  return Error(ErrorKind::not_found, doing, fmt::format("there is no {} {}{}", what, name, where),
               near ? fmt::format("did you mean {}?", *near) : hint_otherwise);
}

store::EnvironmentRow require_environment(store::Database& database, const std::string& name) {
  if (auto environment = store::find_environment(database, name)) return *environment;
  throw missing_object("using environment " + name, "environment", name, store::environment_names(database),
                       fmt::format("create it with `sp env create {}`", name));
}

core::ObjectSet existing_objects(const Invocation& invocation) {
  if (store::database_exists(invocation.home())) {
    auto database = open_existing_store(invocation);
    store::Transaction snapshot(database, store::Transaction::Kind::deferred); // one consistent read
    return store::load_objects(database);
  }
  core::ObjectSet objects;
  core::Manifest fallback{.kind = core::ObjectKind::environment, .name = std::string(core::default_environment)};
  objects.emplace(core::key_of(fallback), fallback);
  return objects;
}

void create_object(store::Database& database, core::Manifest manifest, const std::string& doing) {
  store::Transaction transaction(database);
  const auto current = store::load_objects(database);
  const auto key = core::key_of(manifest);
  if (current.contains(key)) {
    throw Error(ErrorKind::refused, doing, key.to_string() + " exists already",
                "change it with sp apply, or remove it first");
  }
  std::vector<core::Manifest> manifests{std::move(manifest)};
  value_or_throw(core::validate_manifests(manifests, current));
  const auto plan = value_or_throw(core::plan_apply(std::move(manifests), current));
  store::write_plan(database, plan, current_actor());
  transaction.commit();
}

void print_document(const Invocation& invocation, const Data& data) {
  const auto format = invocation.settings.output == core::OutputFormat::json ? core::OutputFormat::json
                                                                              : core::OutputFormat::yaml;
  render(invocation.out, {data, {}}, {.format = format, .color = false});
}

} // namespace sp::cli
