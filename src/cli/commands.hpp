// The explicit list of command groups. Each add_* function creates its
// subcommand(s) on the root app, binds flags to an options struct, and sets
// `chosen` to the action to run when that subcommand is parsed.
#pragma once

#include "sp/cli/invocation.hpp"

#include <CLI/CLI.hpp>

#include <string_view>

namespace sp::cli {

void add_init_command(CLI::App& root, Action& chosen);
void add_version_command(CLI::App& root, Action& chosen);
void add_apply_command(CLI::App& root, Action& chosen);
void add_diff_command(CLI::App& root, Action& chosen);
void add_export_command(CLI::App& root, Action& chosen);
void add_env_command(CLI::App& root, Action& chosen);
void add_var_command(CLI::App& root, Action& chosen);
void add_render_command(CLI::App& root, Action& chosen);
void add_flink_command(CLI::App& root, Action& chosen);
void add_cluster_command(CLI::App& root, Action& chosen);
void add_job_command(CLI::App& root, Action& chosen);
// Parts of `sp job`, defined in cmd_job.cpp and cmd_job_views.cpp.
void add_job_lifecycle_commands(CLI::App& job, Action& chosen);
void add_job_recover_command(CLI::App& job, Action& chosen);
void add_job_view_commands(CLI::App& job, Action& chosen);
void add_project_command(CLI::App& root, Action& chosen);
// `project build | builds | log`, added by add_project_command (cmd_project_build.cpp).
void add_project_build_commands(CLI::App& project, Action& chosen);
void add_alert_command(CLI::App& root, Action& chosen);

void add_watch_command(CLI::App& root, Action& chosen);
void add_check_command(CLI::App& root, Action& chosen);
// Adds every command group above, in the order `sp --help` lists them.
void add_all_commands(CLI::App& root, Action& chosen);
// Adds only the group of this top-level word ("job", "version"): building
// the whole tree is most of a quick command's start-up. False for any other word.
bool add_command_group(CLI::App& root, Action& chosen, std::string_view name);

} // namespace sp::cli
