#include "manifest_files.hpp"

#include "sp/core/object_rules.hpp"

#include "sp/flink/distribution.hpp"
#include "sp/util/strings.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sp::cli {

namespace {

bool is_yaml_file(const std::filesystem::path& path) {
  const auto extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::not_found, "reading " + path.string(), "the file cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Local paths in a file are relative to the file (core::absolute_local_path,
// the rule `flink add` and `project add` use against the working directory).
void resolve_local_paths(std::vector<core::Manifest>& manifests, const std::filesystem::path& base) {
  const std::string base_dir = std::filesystem::absolute(base).string();
  for (auto& manifest : manifests) {
    if (auto* flink = std::get_if<core::FlinkSpec>(&manifest.spec); flink && !flink->home.empty()) {
      flink->home = core::absolute_local_path(flink->home, base_dir);
    }
    if (auto* project = std::get_if<core::ProjectSpec>(&manifest.spec); project && project->auth.ssh_key) {
      project->auth.ssh_key = core::absolute_local_path(*project->auth.ssh_key, base_dir);
    }
    if (auto* job = std::get_if<core::JobSpec>(&manifest.spec); job && job->sql && job->sql->file) {
      job->sql->file = core::absolute_local_path(*job->sql->file, base_dir);
    }
  }
}

// Fills in each Flink distribution's version; problems point at spec.home.
void resolve_paths_and_versions(std::vector<core::Manifest>& manifests, const std::filesystem::path& base,
                                const std::string& file) {
  resolve_local_paths(manifests, base);
  std::vector<core::Problem> problems;
  for (auto& manifest : manifests) {
    if (manifest.kind != core::ObjectKind::flink) continue;
    auto& spec = std::get<core::FlinkSpec>(manifest.spec);
    if (spec.home.empty()) continue; // validation reports it
    auto version = flink::detect_flink_version(spec.home);
    if (version) {
      spec.version = *version;
    } else {
      problems.push_back({core::location_of(manifest, "spec.home"), "spec.home",
                          spec.home + ": " + version.error().why(), ErrorKind::usage});
    }
  }
  if (auto error = core::problems_error(problems, problems.size() == 1 ? "checking" : "checking " + file))
    throw *error;
}

} // namespace

std::vector<std::filesystem::path> expand_manifest_paths(const std::vector<std::string>& arguments) {
  std::vector<std::filesystem::path> files;
  for (const auto& argument : arguments) {
    if (argument == "-") {
      files.emplace_back("-");
      continue;
    }
    const std::filesystem::path path(argument);
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      for (std::filesystem::recursive_directory_iterator it(path, error), end; !error && it != end;
           it.increment(error)) {
        if (it->is_regular_file(error) && is_yaml_file(it->path())) found.push_back(it->path());
      }
      if (error) throw Error(ErrorKind::failure, "reading directory " + argument, error.message());
      if (found.empty())
        throw Error(ErrorKind::usage, "reading directory " + argument, "it holds no .yaml or .yml file");
      std::ranges::sort(found);
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, error)) {
      files.push_back(path);
    } else {
      throw Error(ErrorKind::not_found, "reading " + argument, "no such file or directory");
    }
  }
  return files;
}

std::vector<core::Manifest> load_manifest_files(const std::vector<std::string>& arguments,
                                                std::istream& standard_input) {
  std::vector<core::Manifest> all;
  for (const auto& path : expand_manifest_paths(arguments)) {
    const bool from_stdin = path == "-";
    std::string text;
    if (from_stdin) {
      std::ostringstream input;
      input << standard_input.rdbuf();
      text = input.str();
    } else {
      text = read_text(path);
    }
    auto manifests = value_or_throw(core::parse_manifests(text, from_stdin ? "<stdin>" : path.string()));
    resolve_paths_and_versions(manifests, from_stdin ? std::filesystem::current_path() : path.parent_path(),
                               from_stdin ? "<stdin>" : path.string());
    std::ranges::move(manifests, std::back_inserter(all));
  }
  if (all.empty()) {
    throw Error(ErrorKind::usage, "reading " + util::join(arguments, ", "), "no objects found",
                "a file holds documents with apiVersion: sp/v1, kind, metadata and spec");
  }
  return all;
}

} // namespace sp::cli
