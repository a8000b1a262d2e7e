// Where alerts go (SPEC.md sections 1, 7). Global, not per environment.
#pragma once

#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

enum class AlertChannelType { webhook, command, email };

std::string_view to_string(AlertChannelType type);
std::optional<AlertChannelType> alert_channel_type_from_string(std::string_view text);

// The alert kinds a channel can take (`events`); the watch loop raises exactly these.
const std::vector<std::string>& alert_kinds();

struct AlertChannelSpec {
  AlertChannelType type = AlertChannelType::webhook;
  // webhook
  std::optional<std::string> url;
  std::optional<std::string> header_env;
  // command: argv, run without a shell, the alert as JSON on stdin
  std::vector<std::string> argv;
  // email
  std::optional<std::string> smtp_url;
  std::optional<std::string> from;
  std::vector<std::string> to;
  std::optional<std::string> user_env;
  std::optional<std::string> password_env;
  // which alert kinds it takes; empty means all
  std::vector<std::string> events;
  bool operator==(const AlertChannelSpec&) const = default;
};

// Canonical JSON with the YAML field names; only the fields of the channel's type appear.
nlohmann::ordered_json to_json(const AlertChannelSpec& spec);

// The inverse of to_json, as strict as reading a file.
Result<AlertChannelSpec> alert_channel_spec_from_json(const nlohmann::json& json);

} // namespace sp::core
