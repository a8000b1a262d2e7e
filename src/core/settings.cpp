#include "sp/core/settings.hpp"

#include "sp/util/enum_names.hpp"
#include "sp/util/strings.hpp"

namespace sp::core {

namespace {

constexpr util::EnumNames<OutputFormat, 3> format_names{{
    {OutputFormat::table, "table"},
    {OutputFormat::json, "json"},
    {OutputFormat::yaml, "yaml"},
}};
std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (value && value->empty()) return std::nullopt;
  return value;
}
} // namespace

Result<std::filesystem::path> resolve_home(const std::optional<std::string>& flag,
                                           const util::EnvLookup& env) {
  if (flag) {
    if (flag->empty()) return fail(ErrorKind::usage, "resolving SP_HOME", "--home must not be empty");
    return std::filesystem::path(*flag);
  }
  if (auto home = non_empty(env("SP_HOME"))) return std::filesystem::path(*home);
  if (auto xdg = non_empty(env("XDG_DATA_HOME"))) {
    std::filesystem::path data(*xdg);
    if (data.is_absolute()) return data / "sp";
  }
  if (auto user_home = non_empty(env("HOME"))) {
    return std::filesystem::path(*user_home) / ".local" / "share" / "sp";
  }
  return fail(ErrorKind::usage, "resolving SP_HOME", "neither SP_HOME, XDG_DATA_HOME nor HOME is set",
              "pass --home DIR or set SP_HOME");
}

std::optional<std::filesystem::path> config_file_path(const util::EnvLookup& env) {
  if (auto xdg = non_empty(env("XDG_CONFIG_HOME"))) {
    std::filesystem::path config(*xdg);
    if (config.is_absolute()) return config / "sp" / "config.yaml";
  }
  if (auto user_home = non_empty(env("HOME"))) {
    return std::filesystem::path(*user_home) / ".config" / "sp" / "config.yaml";
  }
  return std::nullopt;
}

std::string_view to_string(OutputFormat format) { return util::name_of(format_names, format); }

std::optional<OutputFormat> output_format_from_string(std::string_view text) {
  return util::value_named(format_names, text);
}

Result<Settings> resolve_settings(const FlagValues& flags, const util::EnvLookup& env,
                                  const ConfigFile& config, bool stdout_is_terminal) {
  Settings settings;
  auto home = resolve_home(flags.home, env);
  if (!home) return std::unexpected(home.error());
  settings.home = *home;

  settings.environment =
      flags.environment.value_or(non_empty(env("SP_ENV")).value_or(config.environment.value_or("default")));

  const std::string output =
      flags.output.value_or(non_empty(env("SP_OUTPUT")).value_or(config.output.value_or("table")));
  const auto format = output_format_from_string(output);
  if (!format) {
    return fail(ErrorKind::usage, "reading the output format", "unknown format '" + output + "'",
                "use one of: " + util::join(util::names_in(format_names), ", "));
  }
  settings.output = *format;

  settings.color =
      stdout_is_terminal && !flags.no_color && !env("NO_COLOR").has_value() && config.color.value_or(true);
  return settings;
}

} // namespace sp::core
