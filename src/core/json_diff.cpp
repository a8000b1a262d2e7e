#include "sp/core/json_diff.hpp"

#include "object_reader.hpp"
#include "sp/core/substitution.hpp"

#include <fmt/format.h>

namespace sp::core {

namespace {

using Json = nlohmann::ordered_json;

// The value at the same place in a document of the same shape; a masked
// document always has that shape, so a miss is a bug caught by tests.
const Json* shown_at(const Json& shown, const std::string& key) {
  if (shown.is_object()) {
    auto it = shown.find(key);
    return it == shown.end() ? nullptr : &*it;
  }
  return nullptr;
}

const Json* shown_at(const Json& shown, std::size_t index) {
  return shown.is_array() && index < shown.size() ? &shown[index] : nullptr;
}

std::optional<Json> copy(const Json* value) { return value ? std::optional<Json>(*value) : std::nullopt; }

void diff_into(std::vector<FieldChange>& changes, const Json* before, const Json* after,
               const Json* shown_before, const Json* shown_after, const std::string& path) {
  if (before != nullptr && after != nullptr && *before == *after) return;
  static const Json nothing;
  if (before != nullptr && after != nullptr && before->is_object() && after->is_object()) {
    for (const auto& [key, value] : before->items()) {
      auto other = after->find(key);
      diff_into(changes, &value, other == after->end() ? nullptr : &*other,
                shown_at(shown_before ? *shown_before : nothing, key),
                shown_at(shown_after ? *shown_after : nothing, key), detail::join_field(path, key));
    }
    for (const auto& [key, value] : after->items()) {
      if (before->contains(key)) continue;
      diff_into(changes, nullptr, &value, nullptr, shown_at(shown_after ? *shown_after : nothing, key),
                detail::join_field(path, key));
    }
    return;
  }
  if (before != nullptr && after != nullptr && before->is_array() && after->is_array()) {
    const std::size_t count = std::max(before->size(), after->size());
    for (std::size_t i = 0; i < count; ++i) {
      diff_into(changes, i < before->size() ? &(*before)[i] : nullptr,
                i < after->size() ? &(*after)[i] : nullptr,
                shown_at(shown_before ? *shown_before : nothing, i),
                shown_at(shown_after ? *shown_after : nothing, i), fmt::format("{}[{}]", path, i));
    }
    return;
  }
  // Never fall back to the real value: where the shown document has nothing, show the mask.
  static const Json mask(secret_mask);
  changes.push_back({path, before ? copy(shown_before ? shown_before : &mask) : std::nullopt,
                     after ? copy(shown_after ? shown_after : &mask) : std::nullopt});
}

} // namespace

std::vector<FieldChange> diff_json(const Json& before, const Json& after, const Json& shown_before,
                                   const Json& shown_after, const std::string& path) {
  std::vector<FieldChange> changes;
  diff_into(changes, &before, &after, &shown_before, &shown_after, path);
  return changes;
}

std::vector<FieldChange> diff_json(const Json& before, const Json& after, const std::string& path) {
  return diff_json(before, after, before, after, path);
}

} // namespace sp::core
