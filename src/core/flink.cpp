#include "sp/core/flink.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace sp::core {

nlohmann::ordered_json to_json(const FlinkSpec& spec) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["home"] = spec.home;
  json["version"] = spec.version;
  return json;
}

std::optional<std::string> flink_version_from_dist_jar(std::string_view name) {
  constexpr std::string_view prefix = "flink-dist";
  constexpr std::string_view suffix = ".jar";
  if (!name.starts_with(prefix) || !name.ends_with(suffix) || name.size() <= prefix.size() + suffix.size()) {
    return std::nullopt;
  }
  name.remove_prefix(prefix.size());
  name.remove_suffix(suffix.size());
  // Releases before 1.15 carry the Scala version: flink-dist_2.12-1.14.6.jar.
  if (name.starts_with("_")) {
    const auto dash = name.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    name.remove_prefix(dash);
  }
  if (!name.starts_with("-")) return std::nullopt;
  name.remove_prefix(1);
  // A version is digits and dots, starting and ending with a digit, with an
  // optional qualifier (-SNAPSHOT, -rc1).
  const auto qualifier = name.find('-');
  const std::string_view numbers = name.substr(0, qualifier);
  const bool numeric =
      !numbers.empty() && std::isdigit(static_cast<unsigned char>(numbers.front())) &&
      std::isdigit(static_cast<unsigned char>(numbers.back())) &&
      numbers.find("..") == std::string_view::npos &&
      std::ranges::all_of(numbers,
                          [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); }) &&
      numbers.find('.') != std::string_view::npos;
  if (!numeric) return std::nullopt;
  if (qualifier != std::string_view::npos) {
    const std::string_view rest = name.substr(qualifier + 1);
    const bool word = !rest.empty() && std::ranges::all_of(rest, [](char c) {
      return std::isalnum(static_cast<unsigned char>(c));
    });
    if (!word) return std::nullopt;
  }
  return std::string(name);
}

} // namespace sp::core
