// Reads the user's config file ($XDG_CONFIG_HOME/sp/config.yaml).
#pragma once

#include "sp/core/settings.hpp"

#include <filesystem>

namespace sp::cli {

// A missing file is an empty config; a malformed one is an error naming file:line:column.
core::ConfigFile load_config_file(const std::filesystem::path& path);

// The config text with a top-level `key: value` set: the existing line is
// replaced (comments and other keys stay as they are), else one is appended.
// Falls back to rewriting the mapping when the text is not simple block YAML.
std::string with_config_value(const std::string& text, const std::string& key, const std::string& value);

// Sets `environment:` in the config file, creating it (0600, folder 0700) if
// needed; written to a temporary file and renamed, so it is never half-written.
void write_config_environment(const std::filesystem::path& path, const std::string& environment);

} // namespace sp::cli
