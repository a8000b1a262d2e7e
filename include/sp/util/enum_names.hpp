// Enum <-> text in one style. Each enum that is spelled as text (in YAML, in
// the database, on the command line) has one constexpr table of its values
// and their names; its `to_string(E)` and `<e>_from_string(text)` are
// lookups in that table, so a name cannot be spelt two ways and adding a
// value means adding one row.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sp::util {

template <typename Enum, std::size_t N> using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

// Every value must have a row; each enum's unit test round-trips the table,
// and a value left out reads as the table's first name.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const EnumNames<Enum, N>& names, Enum value) {
  for (const auto& [known, name] : names) {
    if (known == value) return name;
  }
  return names.front().second;
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const EnumNames<Enum, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// The names in table order, for "use one of: ..." hints and completion.
template <typename Enum, std::size_t N> std::vector<std::string> names_in(const EnumNames<Enum, N>& names) {
  std::vector<std::string> all;
  all.reserve(N);
  for (const auto& entry : names) all.emplace_back(entry.second);
  return all;
}

} // namespace sp::util
