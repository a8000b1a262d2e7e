#include "completion.hpp"

#include "config_file.hpp"
#include "sp/core/completion.hpp"
#include "sp/store/names.hpp"
#include "sp/store/store.hpp"

#include <ostream>

namespace sp::cli {

namespace {

// A shell waits on every keystroke: never wait long for a writer.
constexpr int completion_busy_ms = 200;

core::CommandNode describe(const CLI::App& app) {
  core::CommandNode node{.name = app.get_name(), .help = app.get_description()};
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      node.positionals.push_back({option->get_name(), option->get_items_expected_max() > 1});
      continue;
    }
    core::CommandOption described{.takes_value = option->get_type_size() > 0,
                                  .help = option->get_description()};
    for (const auto& name : option->get_snames()) described.names.push_back("-" + name);
    for (const auto& name : option->get_lnames()) described.names.push_back("--" + name);
    node.options.push_back(std::move(described));
  }
  for (const CLI::App* child :
       app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); })) {
    node.children.push_back(describe(*child));
  }
  return node;
}

std::vector<std::string> names_from_store(core::NameKind kind, const core::GlobalWords& globals,
                                          const util::EnvLookup& env) {
  try {
    const auto config_path = core::config_file_path(env);
    const core::ConfigFile config = config_path ? load_config_file(*config_path) : core::ConfigFile{};
    const core::FlagValues flags{.home = globals.home, .environment = globals.environment};
    auto settings = core::resolve_settings(flags, env, config, false);
    if (!settings) return {};
    auto database = store::open_store_read_only(store::HomeLayout{settings->home}, completion_busy_ms);
    if (!database) return {};
    return store::object_names(*database, kind, settings->environment);
  } catch (const std::exception&) {
    return {}; // completion stays silent: the command itself will say what is wrong
  }
}

} // namespace

void print_completion(const CLI::App& root, const std::vector<std::string>& words, const util::EnvLookup& env,
                      std::ostream& out) {
  const auto names = [&env](core::NameKind kind, const core::GlobalWords& globals) {
    return names_from_store(kind, globals, env);
  };
  out << core::format_completion(core::complete(describe(root), words, names));
}

void print_command_list(const CLI::App& root, std::ostream& out) {
  for (const auto& line : core::list_commands(describe(root))) out << line << '\n';
}

} // namespace sp::cli
