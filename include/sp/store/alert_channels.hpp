// Alert channels in the database. Global (not per environment).
#pragma once

#include "sp/core/alert_channel.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct AlertChannelRow {
  std::int64_t id = 0;
  std::string name;
  core::AlertChannelSpec spec;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

UpsertOutcome upsert_alert_channel(Database& database, const std::string& name,
                                   const core::AlertChannelSpec& spec, std::int64_t now_ms);
std::optional<AlertChannelRow> find_alert_channel(Database& database, const std::string& name);
std::vector<AlertChannelRow> list_alert_channels(Database& database);

} // namespace sp::store
