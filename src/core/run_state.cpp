#include "sp/core/run_state.hpp"

#include <array>
#include <utility>

namespace sp::core {

namespace {

constexpr std::array<std::pair<CheckpointHealth, std::string_view>, 3> health_names{{
    {CheckpointHealth::ok, "ok"},
    {CheckpointHealth::failing, "failing"},
    {CheckpointHealth::stale, "stale"},
}};

} // namespace

std::string_view to_string(CheckpointHealth health) {
  for (const auto& [known, name] : health_names) {
    if (known == health) return name;
  }
  return "ok";
}

std::optional<CheckpointHealth> checkpoint_health_from_string(std::string_view text) {
  for (const auto& [health, name] : health_names) {
    if (name == text) return health;
  }
  return std::nullopt;
}

} // namespace sp::core
