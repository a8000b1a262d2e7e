// Durations as operators write them: "30s", "7d", "1h30m", "500ms".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sp::util {

// Parses one or more <integer><unit> groups (units ms, s, m, h, d), largest
// unit first, e.g. "1h30m". Returns nullopt for anything else (empty text,
// a missing unit, an overflow, units out of order).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest spelling that parse_duration reads back to the same value:
// 604800000 ms is "7d", 5400000 ms is "1h30m", 0 is "0s".
std::string format_duration(std::chrono::milliseconds duration);

} // namespace sp::util
