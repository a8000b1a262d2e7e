#include "common.hpp"

#include "sp/ops/objects.hpp"
#include "sp/util/strings.hpp"
#include "sp/util/system.hpp"

#include <fmt/format.h>

namespace sp::cli {

store::Actor current_actor() { return {util::current_user(), util::host_name(), util::now_ms()}; }

store::EnvironmentRow require_environment(store::Database& database, const std::string& name) {
  if (auto environment = store::find_environment(database, name)) return *environment;
  throw missing_object("using environment " + name, "environment", name, store::environment_names(database),
                       fmt::format("create it with `sp env create {}`", name));
}

core::ObjectSet existing_objects(const Invocation& invocation) {
  if (store::database_exists(invocation.home())) {
    auto database = open_existing_store(invocation);
    return store::snapshot_objects(database);
  }
  core::ObjectSet objects;
  core::Manifest fallback{.kind = core::ObjectKind::environment,
                          .name = std::string(core::default_environment)};
  objects.emplace(core::key_of(fallback), fallback);
  return objects;
}

void create_object(store::Database& database, core::Manifest manifest, const std::string& doing) {
  value_or_throw(ops::create_object(database, std::move(manifest), current_actor(), doing));
}

void print_document(const Invocation& invocation, const Data& data) {
  const auto format = invocation.settings.output == core::OutputFormat::json ? core::OutputFormat::json
                                                                             : core::OutputFormat::yaml;
  render(invocation.out, {data, {}}, {.format = format, .color = false});
}

} // namespace sp::cli
