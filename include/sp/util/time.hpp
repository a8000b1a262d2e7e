// Durations as people type them (`30s`, `2m`, `1h30m`) and timestamps as
// scripts read them (ISO 8601, UTC).
#pragma once

#include "sp/util/error.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sp::util {

// Parses a sequence of <number><unit> with units ms, s, m, h, d (`1h30m`,
// `500ms`); a bare number means seconds. Empty, negative, unknown units and
// overflow are usage errors.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest exact spelling parse_duration reads back: `1h30m`, `2s`, `850ms`, `0s`.
std::string format_duration(std::chrono::milliseconds duration);

// Milliseconds since the epoch as `2024-05-01T12:00:00Z` (seconds precision).
std::string format_utc(std::int64_t ms_since_epoch);

} // namespace sp::util
