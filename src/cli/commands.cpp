#include "commands.hpp"

namespace sp::cli {

void add_all_commands(CLI::App& root, Action& chosen) {
  add_init_command(root, chosen);
  add_version_command(root, chosen);
  add_project_command(root, chosen);
}

} // namespace sp::cli
