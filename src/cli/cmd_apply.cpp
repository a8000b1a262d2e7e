// sp apply -f PATH... [--dry-run] and sp diff -f PATH...: the same loading,
// validation and plan; apply writes it in one transaction, diff shows it.
#include "commands.hpp"
#include "common.hpp"
#include "manifest_files.hpp"

#include "sp/ops/objects.hpp"

#include <iostream>
#include <memory>

namespace sp::cli {

namespace {

struct FileOptions {
  std::vector<std::string> paths;
  bool dry_run = false;
};

std::vector<core::Manifest> load(const Invocation& invocation, const FileOptions& options) {
  auto manifests = load_manifest_files(options.paths, std::cin);
  core::default_environments(manifests, invocation.settings.environment);
  return manifests;
}

Data object_record(const core::PlannedObject& object) {
  Data record = Data::object();
  record["kind"] = std::string(core::to_string(object.desired.kind));
  record["name"] = object.desired.name;
  record["environment"] = object.desired.environment.empty() ? Data() : Data(object.desired.environment);
  record["result"] = std::string(core::to_string(object.outcome));
  return record;
}

void warn_about_undefined_variables(const Invocation& invocation,
                                    const std::vector<core::Manifest>& manifests,
                                    const core::ObjectSet& current) {
  for (const auto& warning : core::undefined_variable_warnings(manifests, current)) {
    invocation.note("warning: " + warning + " (render and release refuse until it is set)");
  }
}

int run_apply(Invocation& invocation, const FileOptions& options) {
  const auto manifests = load(invocation, options);
  core::ApplyPlan plan;
  if (options.dry_run) {
    const auto current = existing_objects(invocation);
    value_or_throw(core::validate_manifests(manifests, current));
    plan = value_or_throw(core::plan_apply(manifests, current));
    warn_about_undefined_variables(invocation, manifests, current);
  } else {
    auto database = open_store_for_writing(invocation);
    plan = value_or_throw(ops::apply_objects(database, manifests, current_actor())); // everything or nothing
    warn_about_undefined_variables(invocation, manifests, existing_objects(invocation));
  }
  Data rows = Data::array();
  for (const auto& object : plan.objects) {
    auto record = object_record(object);
    if (options.dry_run) record["result"] = record["result"].get<std::string>() + " (dry run)";
    rows.push_back(std::move(record));
  }
  invocation.print({std::move(rows), {{"kind", {}}, {"name", {}}, {"environment", {}}, {"result", {}}}});
  return 0;
}

// diff's exit codes: 0 no changes, 1 changes, >1 error (as kubectl diff and diff(1)).
int run_diff(Invocation& invocation, const FileOptions& options) {
  const auto manifests = load(invocation, options);
  const auto current = existing_objects(invocation);
  value_or_throw(core::validate_manifests(manifests, current));
  const auto plan = value_or_throw(core::plan_apply(manifests, current));
  Data data = Data::array();
  const bool table = invocation.settings.output == core::OutputFormat::table;
  for (const auto& object : plan.objects) {
    if (object.outcome == core::ApplyOutcome::unchanged) continue;
    const auto record = object_record(object);
    if (table) {
      // A table has one row per changed field; a new object is one row.
      if (object.changes.empty()) {
        auto row = record;
        row["field"] = Data();
        data.push_back(std::move(row));
      }
      for (const auto& change : object.changes) {
        auto row = record;
        row["field"] = change.field;
        row["before"] = change.before.value_or(Data());
        row["after"] = change.after.value_or(Data());
        data.push_back(std::move(row));
      }
      continue;
    }
    auto full = record;
    full["changes"] = Data::array();
    for (const auto& change : object.changes) {
      full["changes"].push_back({{"field", change.field},
                                 {"before", change.before.value_or(Data())},
                                 {"after", change.after.value_or(Data())}});
    }
    data.push_back(std::move(full));
  }
  invocation.print({data,
                    {{"kind", {}},
                     {"name", {}},
                     {"environment", {}},
                     {"result", {}},
                     {"field", {}},
                     {"before", {}},
                     {"after", {}}}});
  return plan.has_changes() ? 1 : 0;
}

CLI::App* add_files_command(CLI::App& root, const char* name, const char* description, FileOptions& options) {
  auto* command = root.add_subcommand(name, description);
  command->add_option("-f,--filename", options.paths, "a YAML file, a directory of them, or - for stdin")
      ->required()
      ->type_name("PATH");
  return command;
}

} // namespace

void add_apply_command(CLI::App& root, Action& chosen) {
  auto options = std::make_shared<FileOptions>();
  auto* command =
      add_files_command(root, "apply", "create or update declared objects (all or nothing)", *options);
  command->add_flag("--dry-run", options->dry_run, "check and show what would change, write nothing");
  command->callback([&chosen, options] {
    chosen = [options](Invocation& invocation) { return run_apply(invocation, *options); };
  });
}

void add_diff_command(CLI::App& root, Action& chosen) {
  auto options = std::make_shared<FileOptions>();
  auto* command =
      add_files_command(root, "diff", "what apply would change; exit 0 none, 1 changes, >1 error", *options);
  command->callback([&chosen, options] {
    chosen = [options](Invocation& invocation) { return run_diff(invocation, *options); };
  });
}

} // namespace sp::cli
