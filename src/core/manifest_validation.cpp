#include "sp/core/manifest_validation.hpp"

#include "object_reader.hpp"
#include "sp/core/render.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace sp::core {

namespace {

// Names that exist once this apply is done: the database's plus the files'.
struct Known {
  std::set<std::string> environments;
  std::set<std::pair<std::string, std::string>> clusters; // (environment, name)
  std::set<std::string> flinks, projects, alert_channels;

  void add(const Manifest& manifest) {
    switch (manifest.kind) {
    case ObjectKind::environment:
      environments.insert(manifest.name);
      break;
    case ObjectKind::flink:
      flinks.insert(manifest.name);
      break;
    case ObjectKind::project:
      projects.insert(manifest.name);
      break;
    case ObjectKind::alert_channel:
      alert_channels.insert(manifest.name);
      break;
    case ObjectKind::cluster:
      clusters.insert({manifest.environment, manifest.name});
      break;
    case ObjectKind::job:
      break;
    }
  }
};

class Checker {
public:
  Checker(const Manifest& manifest, const Known& known, std::vector<Problem>& problems)
      : manifest_(manifest), known_(known), problems_(problems) {}

  void add(const std::string& field, std::string message, ErrorKind kind = ErrorKind::usage) {
    problems_.push_back({location_of(manifest_, field), field, std::move(message), kind});
  }

  // A reference to another object by name; a miss suggests the nearest name.
  void reference(const std::string& field, const std::string& what, const std::string& name,
                 const std::set<std::string>& names, const std::string& where = "") {
    if (names.contains(name)) return;
    std::string message = fmt::format("{} {} does not exist{}", what, name, where);
    const std::vector<std::string> candidates(names.begin(), names.end());
    if (auto near = util::nearest(name, candidates)) message += fmt::format(" (did you mean {}?)", *near);
    add(field, std::move(message), ErrorKind::not_found);
  }

  template <typename Spec> void templates(const Spec& spec) {
    for_each_template_field(spec, [&](const std::string& field, const std::string& text) {
      if (auto parts = parse_template(text); !parts) add(field, parts.error().why());
    });
  }

  void forbidden(bool present, const std::string& field, const std::string& why) {
    if (present) add(field, why);
  }

  const Manifest& manifest_;
  const Known& known_;
  std::vector<Problem>& problems_;
};

void check_environment(Checker& check, const EnvironmentSpec& spec) {
  for (const auto& [name, variable] : spec.variables) {
    const std::string shown_field = detail::join_field("spec.variables", name);
    if (!is_valid_variable_name(name)) {
      check.add(shown_field,
                "a variable name starts with a letter and continues with letters, digits, '.', '_' or '-'");
    } else if (is_reserved_variable_name(name)) {
      check.add(shown_field, "names starting with sp. are reserved for built-ins");
    }
  }
}

void check_storage(Checker& check, const ClusterStorage& storage) {
  // ${...} in an address is checked by templates() and filled in at render time.
  const auto check_address = [&](const std::string& field, const std::string& address) {
    if (address.find("${") == std::string::npos && !address.starts_with("http://") &&
        !address.starts_with("https://")) {
      check.add(field, "must be an http:// or https:// address");
    }
  };
  if (storage.hdfs) check_address("spec.storage.hdfs.webhdfs", storage.hdfs->webhdfs);
  if (storage.s3) check_address("spec.storage.s3.endpoint", storage.s3->endpoint);
}

void check_cluster(Checker& check, const ClusterSpec& spec) {
  const auto type = std::string(to_string(spec.type));
  const bool yarn = spec.type == ClusterType::yarn_session || spec.type == ClusterType::yarn_application;
  const bool kubernetes =
      spec.type == ClusterType::kubernetes_session || spec.type == ClusterType::kubernetes_application;
  if (spec.type == ClusterType::remote && !spec.url)
    check.add("spec.url", "a remote cluster needs the JobManager REST url");
  if (is_application_mode(spec.type)) {
    check.forbidden(spec.url.has_value(), "spec.url",
                    fmt::format("{} clusters have no fixed url: each job gets its own JobManager", type));
    if (!spec.flink)
      check.add("spec.flink", fmt::format("{} clusters need a Flink distribution to run bin/flink", type));
  }
  const bool cli = submit_driver_of(spec) == SubmitDriver::cli;
  // Application modes already require a flink above, in their own words.
  if (cli && !is_application_mode(spec.type) && !spec.flink) {
    check.add("spec.flink", "submit: cli runs bin/flink of a registered Flink distribution; name it here");
  }
  check.forbidden(
      cli && spec.type == ClusterType::remote && spec.auth.header_env.has_value(), "spec.auth",
      "bin/flink cannot send an Authorization header; a JobManager behind auth needs submit: rest");
  check.forbidden(
      is_application_mode(spec.type) && spec.submit == SubmitDriver::rest, "spec.submit",
      fmt::format("{} clusters are created by bin/flink, so their jobs are submitted with submit: cli",
                  type));
  if (spec.type == ClusterType::yarn_session && !spec.url && !spec.yarn.application_id) {
    check.add("spec.yarn", "a yarn-session cluster needs url or yarn.applicationId");
  }
  // The JobManager of a YARN application is found through the ResourceManager (SPEC 9).
  if (yarn && !spec.yarn.resource_manager &&
      (spec.type == ClusterType::yarn_application || spec.yarn.application_id)) {
    check.add("spec.yarn",
              "yarn.resourceManager (its REST URL) is needed to find the JobManager of the application");
  }
  // ${...} in it is checked by templates() and filled in at render time.
  if (const auto& pattern = spec.kubernetes.rest_address;
      pattern && pattern->find("${") == std::string::npos) {
    if (auto address = kubernetes_rest_address(spec.kubernetes, "id"); !address) {
      check.add("spec.kubernetes", address.error().why() + " in restAddress; " + address.error().hint());
    }
  }
  if (spec.type == ClusterType::kubernetes_session && !spec.url && !spec.kubernetes.cluster_id) {
    check.add("spec.kubernetes", "a kubernetes-session cluster needs url or kubernetes.clusterId");
  }
  check.forbidden(!yarn && spec.yarn != YarnSettings{}, "spec.yarn",
                  fmt::format("yarn settings do not apply to {} clusters", type));
  check.forbidden(!kubernetes && spec.kubernetes != KubernetesSettings{}, "spec.kubernetes",
                  fmt::format("kubernetes settings do not apply to {} clusters", type));
  if (spec.flink) check.reference("spec.flink", "Flink", *spec.flink, check.known_.flinks);
  check_storage(check, spec.storage);
  check.templates(spec);
}

void check_alert_channel(Checker& check, const AlertChannelSpec& spec) {
  const auto type = std::string(to_string(spec.type));
  auto only_for = [&](bool present, const char* field, const char* owner) {
    if (present && type != owner)
      check.add(field, fmt::format("is a {} field; this channel is {}", owner, type));
  };
  only_for(spec.url.has_value(), "spec.url", "webhook");
  only_for(spec.header_env.has_value(), "spec.headerEnv", "webhook");
  only_for(!spec.argv.empty(), "spec.argv", "command");
  only_for(spec.smtp_url.has_value(), "spec.smtpUrl", "email");
  only_for(spec.from.has_value(), "spec.from", "email");
  only_for(!spec.to.empty(), "spec.to", "email");
  only_for(spec.user_env.has_value(), "spec.userEnv", "email");
  only_for(spec.password_env.has_value(), "spec.passwordEnv", "email");
  switch (spec.type) {
  case AlertChannelType::webhook:
    if (!spec.url) check.add("spec.url", "a webhook channel needs a url");
    break;
  case AlertChannelType::command:
    if (spec.argv.empty() || spec.argv.front().empty())
      check.add("spec.argv", "a command channel needs argv");
    break;
  case AlertChannelType::email:
    if (!spec.smtp_url) check.add("spec.smtpUrl", "an email channel needs smtpUrl");
    if (!spec.from) check.add("spec.from", "an email channel needs from");
    if (spec.to.empty()) check.add("spec.to", "an email channel needs at least one address in to");
    break;
  }
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    if (std::ranges::find(alert_kinds(), spec.events[i]) == alert_kinds().end()) {
      check.add(fmt::format("spec.events[{}]", i),
                fmt::format("unknown alert kind (known: {})", util::join(alert_kinds(), ", ")));
    }
  }
}

bool is_build_selector(const std::string& build) {
  if (build == "latest") return true;
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(build.data(), build.data() + build.size(), id);
  return !build.empty() && error == std::errc() && end == build.data() + build.size() && id > 0;
}

// SPEC 14: a SQL job's script replaces the jar and its entry class; the
// runner sp ships is the jar, and it takes no program arguments of the job's.
void check_job_sql(Checker& check, const JobSpec& spec) {
  const auto& sql = *spec.sql;
  if (spec.artifact.project || spec.artifact.jar || spec.artifact.build != "latest") {
    check.add("spec", "give artifact (a jar job) or sql (a SQL job), not both");
  }
  if (spec.entry_class) check.add("spec.entryClass", "a SQL job has no entry class: sp runs its own runner");
  if (!spec.args.empty())
    check.add("spec.args", "a SQL job takes no program arguments; use SET in the script");
  const int forms =
      int(sql.file.has_value()) + int(sql.inline_text.has_value()) + int(sql.project.has_value());
  if (forms != 1) {
    check.add("spec.sql", "give exactly one of file, inline, or project with path");
  } else if (sql.project) {
    check.reference("spec.sql.project", "project", *sql.project, check.known_.projects);
    if (!sql.path || sql.path->empty())
      check.add("spec.sql.path", "project needs the path of the script in it");
    if (!is_build_selector(sql.build)) check.add("spec.sql.build", "expected latest or a build id");
  } else {
    if (sql.path) check.add("spec.sql.path", "path goes with project");
    if (sql.build != "latest") check.add("spec.sql.build", "build goes with project");
    if (sql.inline_text && sql.inline_text->find_first_not_of(" \t\r\n") == std::string::npos) {
      check.add("spec.sql.inline", "the script is empty");
    }
  }
}

void check_job(Checker& check, const JobSpec& spec) {
  const auto& environment = check.manifest_.environment;
  std::set<std::string> clusters_here;
  for (const auto& [env, name] : check.known_.clusters) {
    if (env == environment) clusters_here.insert(name);
  }
  if (spec.cluster.empty()) {
    check.add("spec.cluster", "must name a cluster");
  } else {
    check.reference("spec.cluster", "cluster", spec.cluster, clusters_here, " in environment " + environment);
  }
  const auto& artifact = spec.artifact;
  if (spec.sql) {
    check_job_sql(check, spec);
  } else if (artifact.project.has_value() == artifact.jar.has_value()) {
    check.add(artifact.project ? "spec.artifact" : "spec",
              artifact.project ? "give either project (with an optional build) or jar"
                               : "give artifact (a jar job) or sql (a SQL job)");
  } else if (artifact.project) {
    check.reference("spec.artifact.project", "project", *artifact.project, check.known_.projects);
    if (!is_build_selector(artifact.build)) check.add("spec.artifact.build", "expected latest or a build id");
  } else if (artifact.build != "latest") {
    check.add("spec.artifact.build", "build goes with project, not with jar");
  }
  for (std::size_t i = 0; i < spec.alerts.size(); ++i) {
    check.reference(fmt::format("spec.alerts[{}]", i), "alert channel", spec.alerts[i],
                    check.known_.alert_channels);
  }
  check.templates(spec);
}

void check_manifest(Checker& check) {
  const Manifest& manifest = check.manifest_;
  if (!is_valid_object_name(manifest.name)) {
    check.add("metadata.name",
              "a name starts with a letter or digit and continues with letters, digits, '.', '_' "
              "or '-' (at most 128)");
  }
  if (is_namespaced(manifest.kind)) {
    check.reference("metadata.environment", "environment", manifest.environment, check.known_.environments,
                    "; create it with `sp env create` or an Environment document");
  }
  std::visit(
      [&](const auto& spec) {
        using Spec = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<Spec, EnvironmentSpec>)
          check_environment(check, spec);
        else if constexpr (std::is_same_v<Spec, ClusterSpec>)
          check_cluster(check, spec);
        else if constexpr (std::is_same_v<Spec, AlertChannelSpec>)
          check_alert_channel(check, spec);
        else if constexpr (std::is_same_v<Spec, JobSpec>)
          check_job(check, spec);
        else if constexpr (std::is_same_v<Spec, ProjectSpec>) {
          if (spec.url.empty()) check.add("spec.url", "must not be empty");
          if (spec.ref.empty()) check.add("spec.ref", "must not be empty");
          check.templates(spec);
        } else if constexpr (std::is_same_v<Spec, FlinkSpec>) {
          if (spec.home.empty()) check.add("spec.home", "must not be empty");
        }
      },
      manifest.spec);
}

} // namespace

void default_environments(std::vector<Manifest>& manifests, const std::string& current) {
  for (auto& manifest : manifests) {
    if (is_namespaced(manifest.kind) && manifest.environment.empty()) manifest.environment = current;
  }
}

Result<void> validate_manifests(const std::vector<Manifest>& manifests, const ObjectSet& existing) {
  Known known;
  for (const auto& [key, manifest] : existing) known.add(manifest);
  for (const auto& manifest : manifests) known.add(manifest);

  std::vector<Problem> problems;
  std::map<ObjectKey, const Manifest*> seen;
  for (const auto& manifest : manifests) {
    const auto key = key_of(manifest);
    if (auto [it, inserted] = seen.emplace(key, &manifest); !inserted) {
      const auto first = it->second->location ? " (first at " + it->second->location->to_string() + ")" : "";
      problems.push_back(
          {manifest.location, "", fmt::format("{} is declared twice{}", key.to_string(), first)});
      continue;
    }
    Checker check(manifest, known, problems);
    check_manifest(check);
  }
  // "checking a.yaml: 2 problems" when they are all in one file.
  std::string doing = "checking";
  if (problems.size() > 1) {
    const auto& first = problems.front().location;
    const bool one_file = first && std::ranges::all_of(problems, [&](const Problem& problem) {
                            return problem.location && problem.location->file == first->file;
                          });
    doing = one_file ? "checking " + first->file : "checking the declared objects";
  }
  if (auto error = problems_error(problems, doing)) return std::unexpected(*error);
  return {};
}

std::vector<std::string> undefined_variable_warnings(const std::vector<Manifest>& manifests,
                                                     const ObjectSet& existing) {
  // Variables per environment as they will be after the apply.
  std::map<std::string, VariableSet> variables;
  for (const auto& [key, manifest] : existing) {
    if (manifest.kind == ObjectKind::environment)
      variables[manifest.name] = variable_set(std::get<EnvironmentSpec>(manifest.spec));
  }
  for (const auto& manifest : manifests) {
    if (manifest.kind == ObjectKind::environment)
      variables[manifest.name] = variable_set(std::get<EnvironmentSpec>(manifest.spec));
  }
  std::vector<std::string> warnings;
  for (const auto& manifest : manifests) {
    if (!is_namespaced(manifest.kind)) continue;
    SubstitutionContext context{manifest.environment, variables[manifest.environment], {}, {}};
    std::string why; // every problem's lines
    if (manifest.kind == ObjectKind::job) {
      const auto& spec = std::get<JobSpec>(manifest.spec);
      context.builtins = job_builtins(manifest.name, manifest.environment, spec.cluster, std::nullopt);
      if (auto rendered = render_job(manifest.name, spec, context); !rendered) why = rendered.error().why();
      // An inline script is rendered where it is read, so it is checked here on its own.
      if (spec.sql && spec.sql->inline_text) {
        if (auto sql = render_sql(manifest.name, "spec.sql.inline", *spec.sql->inline_text, context); !sql) {
          why += "\n" + sql.error().why();
        }
      }
    } else {
      context.builtins = cluster_builtins(manifest.name, manifest.environment);
      if (auto rendered = render_cluster(manifest.name, std::get<ClusterSpec>(manifest.spec), context);
          !rendered) {
        why = rendered.error().why();
      }
    }
    // Keep the undefined-variable lines; ${env:...} is only known at render time.
    std::size_t start = 0;
    while (start < why.size()) {
      const auto end = std::min(why.find('\n', start), why.size());
      std::string line = why.substr(start, end - start);
      if (line.find("undefined variable") != std::string::npos) {
        const auto trimmed = line.find_first_not_of(' ');
        warnings.push_back(line.substr(trimmed == std::string::npos ? 0 : trimmed));
      }
      start = end + 1;
    }
  }
  return warnings;
}

} // namespace sp::core
