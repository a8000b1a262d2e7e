// sp flink add NAME PATH | list | remove NAME: registered Flink distributions
// (SPEC 1), several versions side by side. `sp apply` of `kind: Flink` writes
// the same rows with the same checks.
#include "commands.hpp"
#include "common.hpp"

#include "sp/core/object_rules.hpp"
#include "sp/flink/distribution.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/events.hpp"
#include "sp/store/flinks.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

namespace sp::cli {

namespace {

struct AddOptions {
  std::string name;
  std::string home;
};

// "env/cluster" of every cluster naming the distribution.
std::vector<std::string> clusters_using(store::Database& database, const std::string& flink) {
  std::vector<std::string> names;
  for (const auto& cluster : store::list_clusters(database)) {
    if (cluster.spec.flink == flink) names.push_back(cluster.environment + "/" + cluster.name);
  }
  return names;
}

Data flink_record(const store::FlinkRow& flink, const std::vector<std::string>& clusters) {
  return Data{{"name", flink.name},
              {"version", flink.spec.version},
              {"home", flink.spec.home},
              {"clusters", clusters}};
}

int run_add(Invocation& invocation, const AddOptions& options) {
  const std::string doing = "adding Flink " + options.name;
  const auto home = core::absolute_local_path(options.home, std::filesystem::current_path().string());
  const auto version = value_or_throw(flink::detect_flink_version(home));
  auto database = open_store_for_writing(invocation);
  create_object(
      database,
      {.kind = core::ObjectKind::flink, .name = options.name, .spec = core::FlinkSpec{home, version}}, doing);
  invocation.print({flink_record(*store::find_flink(database, options.name), {}), {}});
  return 0;
}

int run_list(Invocation& invocation) {
  Data rows = Data::array();
  if (store::database_exists(invocation.home())) {
    auto database = open_existing_store(invocation);
    for (const auto& flink : store::list_flinks(database)) {
      rows.push_back(flink_record(flink, clusters_using(database, flink.name)));
    }
  }
  invocation.print({std::move(rows), {{"name", ""}, {"version", ""}, {"home", ""}, {"clusters", ""}}});
  return 0;
}

int run_remove(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  value_or_throw(
      ops::remove_object(database, {.kind = core::ObjectKind::flink, .name = name}, current_actor()));
  invocation.print({Data{{"name", name}, {"result", "removed"}}, {}});
  return 0;
}

} // namespace

void add_flink_command(CLI::App& root, Action& chosen) {
  auto* flink = root.add_subcommand(
      "flink", "registered Flink distributions (FLINK_HOME and version): add, list, remove");
  flink->require_subcommand(1);

  auto options = std::make_shared<AddOptions>();
  auto* add =
      flink->add_subcommand("add", "register a FLINK_HOME; its version is read from lib/flink-dist*.jar");
  add->add_option("name", options->name, "the distribution's name, as clusters' spec.flink refer to it")
      ->required();
  add->add_option("path", options->home, "the FLINK_HOME (the folder holding bin/ and lib/)")
      ->required()
      ->type_name("PATH");
  add->callback([&chosen, options] { chosen = [options](Invocation& i) { return run_add(i, *options); }; });

  auto* list =
      flink->add_subcommand("list", "registered distributions, their versions and the clusters using them");
  list->callback([&chosen] { chosen = run_list; });

  auto target = std::make_shared<std::string>();
  auto* remove = flink->add_subcommand("remove", "forget a distribution no cluster uses (its files stay)");
  remove->add_option("name", *target, "the distribution's name")->required();
  remove->callback(
      [&chosen, target] { chosen = [target](Invocation& i) { return run_remove(i, *target); }; });
}

} // namespace sp::cli
