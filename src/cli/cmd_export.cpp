// sp export [KIND [NAME]]: current objects as YAML documents that `sp apply`
// reads back unchanged. Secrets are masked unless --show-secrets; a masked
// secret applied again keeps its current value.
#include "commands.hpp"
#include "common.hpp"

#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <memory>

namespace sp::cli {

namespace {

struct ExportOptions {
  std::string kind;
  std::string name;
  bool show_secrets = false;
  bool all_environments = false;
};

int run_export(Invocation& invocation, const ExportOptions& options) {
  std::optional<core::ObjectKind> kind;
  if (!options.kind.empty()) {
    kind = core::kind_from_argument(options.kind);
    if (!kind) {
      throw Error(ErrorKind::usage, "exporting", fmt::format("unknown kind '{}'", options.kind),
                  fmt::format("use one of: {}", util::join(core::kind_names(), ", ")));
    }
  }
  const std::string& environment = invocation.settings.environment;
  std::vector<const core::Manifest*> selected;
  std::vector<std::string> names_of_kind;
  const auto objects = existing_objects(invocation);
  for (const auto& [key, manifest] : objects) {
    if (kind && key.kind != *kind) continue;
    // Environments work like namespaces: the current one with its clusters
    // and jobs, unless every environment is asked for (or one is named).
    bool in_scope = true;
    if (options.all_environments) {
      in_scope = true;
    } else if (key.kind == core::ObjectKind::environment) {
      in_scope = key.name == environment || !options.name.empty();
    } else if (core::is_namespaced(key.kind)) {
      in_scope = key.environment == environment;
    }
    if (!in_scope) continue;
    names_of_kind.push_back(key.name);
    if (!options.name.empty() && key.name != options.name) continue;
    selected.push_back(&manifest);
  }
  if (!options.name.empty() && selected.empty()) {
    const std::string what(core::kind_noun(*kind));
    throw missing_object(fmt::format("exporting {} {}", what, options.name), what, options.name,
                         names_of_kind,
                         core::is_namespaced(*kind) ? "it may live in another environment (--env)" : "");
  }
  if (invocation.settings.output == core::OutputFormat::json) {
    Data documents = Data::array();
    for (const auto* manifest : selected)
      documents.push_back(core::to_manifest_json(*manifest, !options.show_secrets));
    invocation.print({std::move(documents), {}});
    return 0;
  }
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (i != 0) invocation.out << "---\n";
    print_document(invocation, core::to_manifest_json(*selected[i], !options.show_secrets));
  }
  return 0;
}

} // namespace

void add_export_command(CLI::App& root, Action& chosen) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = root.add_subcommand("export", "current objects as YAML documents (secrets masked)");
  command
      ->add_option("kind", options->kind,
                   "only this kind: Environment, Flink, Project, AlertChannel, Cluster, Job")
      ->type_name("KIND");
  command->add_option("name", options->name, "only the object of this name")->type_name("NAME");
  command->add_flag("--show-secrets", options->show_secrets, "print secret values instead of ******");
  command->add_flag("-A,--all-environments", options->all_environments,
                    "every environment's objects, not only the current one's");
  command->callback([&chosen, options] {
    chosen = [options](Invocation& invocation) { return run_export(invocation, *options); };
  });
}

} // namespace sp::cli
