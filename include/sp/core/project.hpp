// A project: a git repository that builds job artifacts (SPEC.md sections 1, 8).
// Pure data plus its canonical JSON form, which is what the database stores
// and what `sp export` prints.
#pragma once

#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sp::core {

struct ProjectAuth {
  std::optional<std::string> token_env; // env var holding an HTTPS token (never stored itself)
  std::optional<std::string> ssh_key;   // path to a private key file
  bool operator==(const ProjectAuth&) const = default;
};

struct ProjectSpec {
  std::string url;
  std::string ref = "main";            // branch, tag or commit
  std::string subdir;                  // where the build runs, relative to the checkout
  std::vector<std::string> build;      // argv; empty means the default Maven command
  std::optional<std::string> artifact; // glob relative to subdir; empty means SPEC 8's rule
  std::chrono::seconds timeout{30 * 60};
  ProjectAuth auth;
  bool operator==(const ProjectSpec&) const = default;
};

// Project names become directory names under SP_HOME, so they are kept to
// `[A-Za-z][A-Za-z0-9._-]*` (at most 100 characters); anything else is a usage error.
Result<void> validate_project_name(const std::string& name);

// The build command when a project names none.
std::vector<std::string> default_build_command();

// The build command that will run: the project's own, else the default.
std::vector<std::string> effective_build_command(const ProjectSpec& spec);

// Checks what to_json's inverse checks (below), for specs built in code.
Result<void> validate(const ProjectSpec& spec);

// The argv of `--build-cmd` values: each value is split into words at
// blanks, with '...' and "..." quoting and backslash escapes, so both
// `--build-cmd mvn package` and `--build-cmd "mvn -B package"` work. No shell
// is involved: no variables, globs or redirections. Unbalanced quotes are a
// usage error.
Result<std::vector<std::string>> split_build_command(const std::vector<std::string>& values);

// Canonical JSON with the YAML field names (url, ref, subdir, build, artifact,
// timeout as seconds, auth {tokenEnv, sshKey}); absent optionals are omitted.
nlohmann::ordered_json to_json(const ProjectSpec& spec);

// The inverse of to_json; wrong types, a missing url, a non-positive timeout
// or a subdir that is absolute or climbs out with `..` are usage errors.
Result<ProjectSpec> project_spec_from_json(const nlohmann::json& json);

} // namespace sp::core
