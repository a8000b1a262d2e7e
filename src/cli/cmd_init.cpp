// sp init: create SP_HOME and the database; running it again changes nothing.
#include "commands.hpp"
#include "common.hpp"

#include "sp/ops/objects.hpp"

#include "sp/store/migrations.hpp"
#include "sp/util/system.hpp"

namespace sp::cli {

namespace {

int run_init(Invocation& invocation) {
  const auto home = invocation.home();
  value_or_throw(store::ensure_home(home));
  const bool existed = store::database_exists(home);
  auto database = open_store_for_writing(invocation);
  if (!existed) {
    ops::record_home_created(database, home.root.string(), current_actor());
  }
  Data data = Data::object();
  data["home"] = home.root.string();
  data["database"] = home.database().string();
  data["schema_version"] = database.pragma_int("user_version");
  data["created"] = !existed;
  invocation.print({std::move(data), {}});
  return 0;
}

} // namespace

void add_init_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("init", "create SP_HOME and the database (idempotent)");
  command->callback([&chosen] { chosen = run_init; });
}

} // namespace sp::cli
