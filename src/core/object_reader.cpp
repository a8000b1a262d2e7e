#include "object_reader.hpp"

#include "sp/util/strings.hpp"
#include "sp/util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace sp::core::detail {

namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key.front())) || key.front() == '_'))
    return false;
  return std::ranges::all_of(key,
                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

} // namespace

std::string join_field(std::string_view path, std::string_view key) {
  if (is_identifier(key)) return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  // A key that is not valid UTF-8 must still name its place in the message:
  // replace the bad bytes instead of letting the JSON quoting throw.
  return fmt::format(
      "{}[{}]", path,
      nlohmann::json(std::string(key)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string unknown_field_message(std::string_view key, const std::vector<std::string>& allowed) {
  if (auto near = util::nearest(key, allowed)) return fmt::format("unknown field (did you mean {}?)", *near);
  if (allowed.empty()) return "unknown field (this mapping takes no fields)";
  return fmt::format("unknown field (known: {})", util::join(allowed, ", "));
}

std::string ObjectReader::field(std::string_view key) const { return join_field(path_, key); }

std::optional<std::chrono::milliseconds> ObjectReader::duration(std::string_view key) {
  auto text = string(key);
  if (!text) return std::nullopt;
  // A bare number means seconds, as parse_duration reads it.
  if (auto parsed = util::parse_duration(*text)) return *parsed;
  report(key, "expected a duration such as 30s, 15m, 1h30m or 7d");
  return std::nullopt;
}

std::optional<int> ObjectReader::bounded_int(std::string_view key, int min, int max) {
  auto value = integer(key);
  if (!value) return std::nullopt;
  if (*value < min || *value > max) {
    report(key, fmt::format("expected an integer from {} to {}", min, max));
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::optional<std::string> ObjectReader::word(std::string_view key, const std::vector<std::string>& allowed,
                                              Need need) {
  auto text = string(key, need);
  if (!text) return std::nullopt;
  if (std::ranges::find(allowed, *text) == allowed.end()) {
    report(key, fmt::format("expected one of {}", util::join(allowed, ", ")));
    return std::nullopt;
  }
  return text;
}

} // namespace sp::core::detail
