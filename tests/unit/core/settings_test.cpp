#include "sp/core/settings.hpp"

#include <catch2/catch.hpp>

using namespace sp::core;
using sp::util::fixed_env;

TEST_CASE("SP_HOME: flag, then SP_HOME, then XDG_DATA_HOME, then HOME", "[core][settings]") {
  const auto all = fixed_env({{"SP_HOME", "/env/sp"}, {"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/u"}});
  CHECK(resolve_home(std::string("/flag"), all).value() == "/flag");
  CHECK(resolve_home(std::nullopt, all).value() == "/env/sp");
  CHECK(resolve_home(std::nullopt, fixed_env({{"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/u"}})).value() ==
        "/xdg/sp");
  CHECK(resolve_home(std::nullopt, fixed_env({{"HOME", "/home/u"}})).value() == "/home/u/.local/share/sp");
}

TEST_CASE("SP_HOME ignores empty values and a relative XDG_DATA_HOME", "[core][settings]") {
  CHECK(resolve_home(std::nullopt, fixed_env({{"SP_HOME", ""}, {"HOME", "/h"}})).value() ==
        "/h/.local/share/sp");
  CHECK(resolve_home(std::nullopt, fixed_env({{"XDG_DATA_HOME", "rel"}, {"HOME", "/h"}})).value() ==
        "/h/.local/share/sp");
}

TEST_CASE("SP_HOME without any source is a usage error with a hint", "[core][settings]") {
  auto home = resolve_home(std::nullopt, fixed_env({}));
  REQUIRE_FALSE(home.has_value());
  CHECK(home.error().kind() == sp::ErrorKind::usage);
  CHECK_FALSE(home.error().hint().empty());
  CHECK_FALSE(resolve_home(std::string(""), fixed_env({{"HOME", "/h"}})).has_value());
}

TEST_CASE("settings precedence: flags beat env vars beat the config file", "[core][settings]") {
  const ConfigFile config{.environment = "test", .output = "yaml", .color = true};
  const auto env = fixed_env({{"HOME", "/h"}, {"SP_ENV", "prod"}, {"SP_OUTPUT", "json"}});

  auto from_flags = resolve_settings({.environment = "dev", .output = "table"}, env, config, true).value();
  CHECK(from_flags.environment == "dev");
  CHECK(from_flags.output == OutputFormat::table);

  auto from_env = resolve_settings({}, env, config, true).value();
  CHECK(from_env.environment == "prod");
  CHECK(from_env.output == OutputFormat::json);

  auto from_config = resolve_settings({}, fixed_env({{"HOME", "/h"}}), config, true).value();
  CHECK(from_config.environment == "test");
  CHECK(from_config.output == OutputFormat::yaml);

  auto defaults = resolve_settings({}, fixed_env({{"HOME", "/h"}}), {}, false).value();
  CHECK(defaults.environment == "default");
  CHECK(defaults.output == OutputFormat::table);
}

TEST_CASE("colour only on a terminal and never with --no-color, NO_COLOR or color: false",
          "[core][settings]") {
  const auto env = fixed_env({{"HOME", "/h"}});
  CHECK(resolve_settings({}, env, {}, true).value().color);
  CHECK_FALSE(resolve_settings({}, env, {}, false).value().color);
  CHECK_FALSE(resolve_settings({.no_color = true}, env, {}, true).value().color);
  CHECK_FALSE(resolve_settings({}, fixed_env({{"HOME", "/h"}, {"NO_COLOR", ""}}), {}, true).value().color);
  CHECK_FALSE(resolve_settings({}, env, {.color = false}, true).value().color);
}

TEST_CASE("an unknown output format is a usage error", "[core][settings]") {
  auto settings = resolve_settings({.output = "xml"}, fixed_env({{"HOME", "/h"}}), {}, false);
  REQUIRE_FALSE(settings.has_value());
  CHECK(settings.error().kind() == sp::ErrorKind::usage);
}
