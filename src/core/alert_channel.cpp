#include "sp/core/alert_channel.hpp"

#include "sp/util/enum_names.hpp"

#include <nlohmann/json.hpp>

namespace sp::core {

namespace {

constexpr util::EnumNames<AlertChannelType, 3> type_names{{
    {AlertChannelType::webhook, "webhook"},
    {AlertChannelType::command, "command"},
    {AlertChannelType::email, "email"},
}};

void put(nlohmann::ordered_json& json, const char* key, const std::optional<std::string>& value) {
  if (value) json[key] = *value;
}
} // namespace

std::string_view to_string(AlertChannelType type) { return util::name_of(type_names, type); }

std::optional<AlertChannelType> alert_channel_type_from_string(std::string_view text) {
  return util::value_named(type_names, text);
}

const std::vector<std::string>& alert_kinds() {
  static const std::vector<std::string> kinds{
      "job-failed",       "job-restarting",         "checkpoint-failing",
      "checkpoint-stale", "jobmanager-unreachable", "jobmanager-recovered",
      "auto-restart",     "auto-restart-refused",
  };
  return kinds;
}

nlohmann::ordered_json to_json(const AlertChannelSpec& spec) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["type"] = std::string(to_string(spec.type));
  switch (spec.type) {
  case AlertChannelType::webhook:
    put(json, "url", spec.url);
    put(json, "headerEnv", spec.header_env);
    break;
  case AlertChannelType::command:
    json["argv"] = spec.argv;
    break;
  case AlertChannelType::email:
    put(json, "smtpUrl", spec.smtp_url);
    put(json, "from", spec.from);
    json["to"] = spec.to;
    put(json, "userEnv", spec.user_env);
    put(json, "passwordEnv", spec.password_env);
    break;
  }
  if (!spec.events.empty()) json["events"] = spec.events;
  return json;
}

} // namespace sp::core
