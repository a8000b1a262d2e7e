#include "sp/core/run_state.hpp"

#include "sp/util/enum_names.hpp"

namespace sp::core {

namespace {

constexpr util::EnumNames<CheckpointHealth, 3> health_names{{
    {CheckpointHealth::ok, "ok"},
    {CheckpointHealth::failing, "failing"},
    {CheckpointHealth::stale, "stale"},
}};

} // namespace

std::string_view to_string(CheckpointHealth health) { return util::name_of(health_names, health); }

std::optional<CheckpointHealth> checkpoint_health_from_string(std::string_view text) {
  return util::value_named(health_names, text);
}

} // namespace sp::core
