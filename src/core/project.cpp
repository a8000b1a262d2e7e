#include "sp/core/project.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

namespace sp::core {

namespace {

// The build directory must stay inside the checkout.
bool subdir_escapes(const std::string& subdir) {
  if (subdir.starts_with('/')) return true;
  std::size_t start = 0;
  while (start <= subdir.size()) {
    const std::size_t end = std::min(subdir.find('/', start), subdir.size());
    if (subdir.compare(start, end - start, "..") == 0) return true;
    start = end + 1;
  }
  return false;
}

} // namespace

Result<void> validate_project_name(const std::string& name) {
  const auto bad = [&](const std::string& why) {
    return fail(ErrorKind::usage, "checking project name '" + name + "'", why,
                "use letters, digits, '.', '_' and '-', starting with a letter");
  };
  if (name.empty()) return bad("it is empty");
  if (name.size() > 100) return bad("it is longer than 100 characters");
  if (std::isalpha(static_cast<unsigned char>(name.front())) == 0) return bad("it must start with a letter");
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '_' && c != '-') {
      return bad(std::string("it contains '") + c + "'");
    }
  }
  return {};
}

std::vector<std::string> default_build_command() { return {"mvn", "-B", "clean", "package", "-DskipTests"}; }

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

Result<void> validate(const ProjectSpec& spec) {
  const std::string doing = "checking the project spec";
  if (spec.url.empty()) return fail(ErrorKind::usage, doing, "url must not be empty");
  if (spec.ref.empty()) return fail(ErrorKind::usage, doing, "ref must not be empty");
  if (spec.timeout.count() <= 0) return fail(ErrorKind::usage, doing, "timeout must be positive");
  if (subdir_escapes(spec.subdir)) {
    return fail(ErrorKind::usage, doing,
                "subdir '" + spec.subdir + "' must be relative and stay inside the repository");
  }
  if (!spec.build.empty() && spec.build.front().empty()) {
    return fail(ErrorKind::usage, doing, "the build command's program name must not be empty");
  }
  return {};
}

Result<std::vector<std::string>> split_build_command(const std::vector<std::string>& values) {
  std::vector<std::string> words;
  for (const auto& value : values) {
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < value.size()) {
          word += value[++i];
        } else {
          word += c;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        in_word = true;
      } else if (c == '\\' && i + 1 < value.size()) {
        word += value[++i];
        in_word = true;
      } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        if (in_word) words.push_back(std::move(word));
        word.clear();
        in_word = false;
      } else {
        word += c;
        in_word = true;
      }
    }
    if (quote != 0) {
      return fail(ErrorKind::usage, "reading the build command", "unbalanced quote in '" + value + "'");
    }
    if (in_word) words.push_back(std::move(word));
  }
  return words;
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
  if (auto valid = validate(spec); !valid) return std::unexpected(valid.error());
  return spec;
}

} // namespace sp::core
