#include "config_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

namespace sp::cli {

namespace {

Error config_error(const std::filesystem::path& path, const YAML::Mark& mark, const std::string& why) {
  // yaml-cpp counts lines and columns from 0; editors count from 1.
  return Error(ErrorKind::usage, fmt::format("reading {}:{}:{}", path.string(), mark.line + 1, mark.column + 1),
               why);
}

} // namespace

core::ConfigFile load_config_file(const std::filesystem::path& path) {
  core::ConfigFile config;
  if (!std::filesystem::exists(path)) return config;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::Exception& error) {
    throw config_error(path, error.mark, error.msg);
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw config_error(path, root.Mark(), "expected a mapping of settings");
  for (const auto& entry : root) {
    const auto key = entry.first.as<std::string>();
    try {
      if (key == "environment") config.environment = entry.second.as<std::string>();
      else if (key == "output") config.output = entry.second.as<std::string>();
      else if (key == "color") config.color = entry.second.as<bool>();
      else throw config_error(path, entry.first.Mark(), "unknown setting '" + key + "' (known: environment, output, color)");
    } catch (const YAML::Exception& error) {
      throw config_error(path, entry.second.Mark(), "wrong type for '" + key + "': " + error.msg);
    }
  }
  return config;
}

} // namespace sp::cli
