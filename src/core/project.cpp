#include "sp/core/project.hpp"

namespace sp::core {

std::vector<std::string> default_build_command() {
  return {"mvn", "-B", "clean", "package", "-DskipTests"};
}

std::vector<std::string> effective_build_command(const ProjectSpec& spec) {
  return spec.build.empty() ? default_build_command() : spec.build;
}

nlohmann::ordered_json to_json(const ProjectSpec& spec) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["url"] = spec.url;
  json["ref"] = spec.ref;
  if (!spec.subdir.empty()) json["subdir"] = spec.subdir;
  if (!spec.build.empty()) json["build"] = spec.build;
  if (spec.artifact) json["artifact"] = *spec.artifact;
  json["timeout"] = spec.timeout.count();
  nlohmann::ordered_json auth = nlohmann::ordered_json::object();
  if (spec.auth.token_env) auth["tokenEnv"] = *spec.auth.token_env;
  if (spec.auth.ssh_key) auth["sshKey"] = *spec.auth.ssh_key;
  if (!auth.empty()) json["auth"] = std::move(auth);
  return json;
}

Result<ProjectSpec> project_spec_from_json(const nlohmann::json& json) {
  const std::string doing = "reading a project spec";
  if (!json.is_object()) return fail(ErrorKind::usage, doing, "expected an object");
  ProjectSpec spec;
  try {
    if (!json.contains("url")) return fail(ErrorKind::usage, doing, "missing required field url");
    spec.url = json.at("url").get<std::string>();
    if (json.contains("ref")) spec.ref = json["ref"].get<std::string>();
    if (json.contains("subdir")) spec.subdir = json["subdir"].get<std::string>();
    if (json.contains("build")) spec.build = json["build"].get<std::vector<std::string>>();
    if (json.contains("artifact")) spec.artifact = json["artifact"].get<std::string>();
    if (json.contains("timeout")) spec.timeout = std::chrono::seconds(json["timeout"].get<std::int64_t>());
    if (json.contains("auth")) {
      const auto& auth = json["auth"];
      if (auth.contains("tokenEnv")) spec.auth.token_env = auth["tokenEnv"].get<std::string>();
      if (auth.contains("sshKey")) spec.auth.ssh_key = auth["sshKey"].get<std::string>();
    }
  } catch (const nlohmann::json::exception& error) {
    return fail(ErrorKind::usage, doing, error.what());
  }
  if (spec.url.empty()) return fail(ErrorKind::usage, doing, "url must not be empty");
  if (spec.ref.empty()) return fail(ErrorKind::usage, doing, "ref must not be empty");
  return spec;
}

} // namespace sp::core
