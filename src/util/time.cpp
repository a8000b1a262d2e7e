#include "sp/util/time.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <ctime>
#include <limits>

namespace sp::util {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Longest suffix first so that "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 5> units{
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

} // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return fail(ErrorKind::usage, "reading duration '" + std::string(text) + "'", why,
                "write it like 90s, 10m, 1h30m or 500ms");
  };
  if (text.empty()) return bad("it is empty");
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const bool first_part = pos == 0;
    if (std::isdigit(static_cast<unsigned char>(text[pos])) == 0) return bad("expected a number");
    std::int64_t number = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (number > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return bad("it is too large");
      number = number * 10 + (text[pos] - '0');
      ++pos;
    }
    std::int64_t scale = 1000; // a bare number is seconds
    if (pos < text.size()) {
      const Unit* found = nullptr;
      for (const auto& unit : units) {
        if (text.substr(pos).starts_with(unit.suffix)) {
          found = &unit;
          break;
        }
      }
      if (found == nullptr) return bad("unknown unit '" + std::string(text.substr(pos)) + "'");
      scale = found->ms;
      pos += found->suffix.size();
    } else if (!first_part) {
      return bad("a unit is missing after the last number");
    }
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / scale) return bad("it is too large");
    total += number * scale;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::int64_t left = duration.count();
  if (left == 0) return "0s";
  std::string out;
  if (left < 0) {
    out = "-";
    left = -left;
  }
  for (auto it = units.rbegin(); it != units.rend(); ++it) {
    if (left >= it->ms) {
      out += fmt::format("{}{}", left / it->ms, it->suffix);
      left %= it->ms;
    }
  }
  return out;
}

std::string format_utc(std::int64_t ms_since_epoch) {
  const std::time_t seconds = static_cast<std::time_t>(ms_since_epoch / 1000);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", parts.tm_year + 1900, parts.tm_mon + 1,
                     parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
}

} // namespace sp::util
