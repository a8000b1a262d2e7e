#include "sp/util/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace sp::util {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t milliseconds;
};

// Largest first: parsing requires this order and formatting relies on it.
constexpr std::array<Unit, 5> units{{{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};

// Index of the unit that `text` starts with; "ms" must win over "m".
std::optional<std::size_t> unit_at(std::string_view text) {
  if (text.starts_with("ms")) return 4;
  for (std::size_t i = 0; i < 4; ++i) {
    if (text.starts_with(units[i].suffix)) return i;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t previous_unit = 0;
  bool first = true;
  while (!text.empty()) {
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end == text.data() || count < 0) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    const auto unit = unit_at(text);
    if (!unit || (!first && *unit <= previous_unit)) return std::nullopt;
    text.remove_prefix(units[*unit].suffix.size());
    const std::int64_t scale = units[*unit].milliseconds;
    if (count > (std::numeric_limits<std::int64_t>::max() - total) / scale) return std::nullopt;
    total += count * scale;
    previous_unit = *unit;
    first = false;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::int64_t rest = duration.count();
  if (rest <= 0) return "0s";
  std::string text;
  for (const auto& unit : units) {
    if (rest >= unit.milliseconds) {
      text += std::to_string(rest / unit.milliseconds);
      text += unit.suffix;
      rest %= unit.milliseconds;
    }
  }
  return text;
}

} // namespace sp::util
