#include "commands.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace sp::cli {

namespace {

using AddCommand = void (*)(CLI::App&, Action&);

// Every top-level command group, in the order `sp --help` lists them.
// `apply` and `diff` are separate words with separate functions.
constexpr std::array<std::pair<std::string_view, AddCommand>, 15> command_groups{{
    {"init", add_init_command},
    {"version", add_version_command},
    {"apply", add_apply_command},
    {"diff", add_diff_command},
    {"export", add_export_command},
    {"env", add_env_command},
    {"var", add_var_command},
    {"render", add_render_command},
    {"flink", add_flink_command},
    {"project", add_project_command},
    {"cluster", add_cluster_command},
    {"job", add_job_command},
    {"watch", add_watch_command},
    {"check", add_check_command},
    {"alert", add_alert_command},
}};

} // namespace

void add_all_commands(CLI::App& root, Action& chosen) {
  for (const auto& [name, add] : command_groups) add(root, chosen);
}

bool add_command_group(CLI::App& root, Action& chosen, std::string_view name) {
  for (const auto& [group, add] : command_groups) {
    if (group != name) continue;
    add(root, chosen);
    return true;
  }
  return false;
}

} // namespace sp::cli
