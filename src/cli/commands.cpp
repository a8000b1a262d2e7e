#include "commands.hpp"

namespace sp::cli {

void add_all_commands(CLI::App& root, Action& chosen) {
  add_init_command(root, chosen);
  add_version_command(root, chosen);
  add_apply_command(root, chosen);
  add_diff_command(root, chosen);
  add_export_command(root, chosen);
  add_env_command(root, chosen);
  add_var_command(root, chosen);
  add_render_command(root, chosen);
  add_flink_command(root, chosen);
  add_project_command(root, chosen);
  add_cluster_command(root, chosen);
  add_job_command(root, chosen);
  add_watch_command(root, chosen);
  add_check_command(root, chosen);
  add_alert_command(root, chosen);
}

} // namespace sp::cli
