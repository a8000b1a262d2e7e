#include "config_file.hpp"

#include "sp/util/file.hpp"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sp::cli {

namespace {

Error config_error(const std::filesystem::path& path, const YAML::Mark& mark, const std::string& why) {
  // yaml-cpp counts lines and columns from 0; editors count from 1.
  return Error(ErrorKind::usage,
               fmt::format("reading {}:{}:{}", path.string(), mark.line + 1, mark.column + 1), why);
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
      if (key == "environment")
        config.environment = entry.second.as<std::string>();
      else if (key == "output")
        config.output = entry.second.as<std::string>();
      else if (key == "color")
        config.color = entry.second.as<bool>();
      else
        throw config_error(path, entry.first.Mark(),
                           "unknown setting '" + key + "' (known: environment, output, color)");
    } catch (const YAML::Exception& error) {
      throw config_error(path, entry.second.Mark(), "wrong type for '" + key + "': " + error.msg);
    }
  }
  return config;
}

namespace {

bool sets_value(const std::string& text, const std::string& key, const std::string& value,
                std::size_t key_count) {
  try {
    const YAML::Node root = YAML::Load(text);
    return root.IsMap() && root.size() == key_count && root[key] && root[key].IsScalar() &&
           root[key].Scalar() == value;
  } catch (const YAML::Exception&) {
    return false;
  }
}

} // namespace

std::string with_config_value(const std::string& text, const std::string& key, const std::string& value) {
  std::size_t keys_before = 0;
  YAML::Node original;
  try {
    original = YAML::Load(text);
  } catch (const YAML::Exception&) {
    original = YAML::Node();
  }
  if (original.IsMap()) keys_before = original.size();
  const std::size_t keys_after = keys_before + (original.IsMap() && original[key] ? 0 : 1);
  const std::string line = key + ": " + value;
  // Replace `key:` at the start of a line, else append.
  std::string edited;
  bool replaced = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string current = text.substr(start, end - start);
    if (!replaced && current.starts_with(key) &&
        current.substr(key.size()).find_first_not_of(' ') != std::string::npos &&
        current[current.find_first_not_of(' ', key.size())] == ':') {
      edited += line;
      replaced = true;
    } else {
      edited += current;
    }
    if (end < text.size()) edited += '\n';
    start = end + 1;
  }
  if (!replaced) {
    if (!edited.empty() && !edited.ends_with('\n')) edited += '\n';
    edited += line + '\n';
  }
  if (sets_value(edited, key, value, keys_after)) return edited;
  // Not plain block YAML (flow style, odd layout): rewrite the mapping.
  YAML::Node rewritten = original.IsMap() ? original : YAML::Node(YAML::NodeType::Map);
  rewritten[key] = value;
  YAML::Emitter out;
  out << rewritten;
  return std::string(out.c_str()) + '\n';
}

void write_config_environment(const std::filesystem::path& path, const std::string& environment) {
  const std::string doing = "writing " + path.string();
  std::string text;
  if (std::filesystem::exists(path)) {
    load_config_file(path); // refuse to edit a file we cannot read
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
  }
  std::error_code error;
  if (!std::filesystem::exists(path.parent_path())) {
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) throw Error(ErrorKind::failure, doing, error.message());
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all, error);
  }
  // 0600: the config file may name a database URL with credentials in it.
  value_or_throw(
      util::write_file_atomically(path, with_config_value(text, "environment", environment), 0600));
}

} // namespace sp::cli
