#include "sp/core/build.hpp"

#include "sp/util/enum_names.hpp"

namespace sp::core {

namespace {

constexpr util::EnumNames<BuildStatus, 3> status_names{{
    {BuildStatus::building, "building"},
    {BuildStatus::success, "success"},
    {BuildStatus::failed, "failed"},
}};

} // namespace

std::string_view to_string(BuildStatus status) { return util::name_of(status_names, status); }

std::optional<BuildStatus> build_status_from_string(std::string_view text) {
  return util::value_named(status_names, text);
}

} // namespace sp::core
