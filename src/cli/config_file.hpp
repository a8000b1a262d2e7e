// Reads the user's config file ($XDG_CONFIG_HOME/sp/config.yaml).
#pragma once

#include "sp/core/settings.hpp"

#include <filesystem>

namespace sp::cli {

// A missing file is an empty config; a malformed one is an error naming file:line:column.
core::ConfigFile load_config_file(const std::filesystem::path& path);

} // namespace sp::cli
