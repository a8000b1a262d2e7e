// Where sp keeps its state and how it talks to the user, decided from flags,
// the process environment and the user's config file, in that order of
// precedence (SPEC.md section 2). Pure: the caller reads the config file and
// supplies the environment.
#pragma once

#include "sp/util/env.hpp"
#include "sp/util/error.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace sp::core {

enum class OutputFormat { table, json, yaml };

// Values given on the command line; empty optionals were not given.
struct FlagValues {
  std::optional<std::string> home;
  std::optional<std::string> environment;
  std::optional<std::string> output;
  bool no_color = false;
};

// The user's config file ($XDG_CONFIG_HOME/sp/config.yaml), already parsed.
struct ConfigFile {
  std::optional<std::string> environment; // key `environment`
  std::optional<std::string> output;      // key `output`
  std::optional<bool> color;              // key `color`
};

struct Settings {
  std::filesystem::path home;
  std::string environment;
  OutputFormat output = OutputFormat::table;
  bool color = false;
};

// SP_HOME: --home, else $SP_HOME, else $XDG_DATA_HOME/sp (absolute only, as the
// XDG spec says), else $HOME/.local/share/sp.
Result<std::filesystem::path> resolve_home(const std::optional<std::string>& flag,
                                           const util::EnvLookup& env);

// Path of the user config file, or nullopt when neither XDG_CONFIG_HOME nor HOME is set.
std::optional<std::filesystem::path> config_file_path(const util::EnvLookup& env);

std::string_view to_string(OutputFormat format);
std::optional<OutputFormat> output_format_from_string(std::string_view text);

// Colour is on only on a terminal, and off with --no-color, NO_COLOR (any
// value, see no-color.org) or `color: false` in the config file.
Result<Settings> resolve_settings(const FlagValues& flags, const util::EnvLookup& env,
                                  const ConfigFile& config, bool stdout_is_terminal);

} // namespace sp::core
