// One alert and the forms channels receive it in (SPEC.md section 7). Pure:
// the watch loop decides when to alert, ops/alert_delivery carries it out.
#pragma once

#include "sp/core/alert_channel.hpp"
#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// The kind of the sample alert `sp alert test` sends. Not one of
// alert_kinds(): a receiver can tell a test from a real incident, and a
// channel's `events` filter does not apply to it.
inline constexpr std::string_view test_alert_kind = "test";

struct Alert {
  std::string kind; // one of alert_kinds(), or test_alert_kind
  std::int64_t time_ms = 0;
  std::string environment; // empty for JobManager-level alerts
  std::string job;         // empty for JobManager-level alerts
  std::string owner;       // the job's metadata.owner, may be empty
  std::string cluster;
  std::string jobmanager;                   // REST URL, without credentials
  std::string state;                        // Flink state, or UNREACHABLE / RECOVERED
  std::optional<std::string> cause;         // first line of Flink's root exception
  std::optional<std::string> restore_point; // the path `sp job start` would restore from now
  std::vector<std::string> jobs;            // JobManager-level alerts: the affected jobs, "env/name"
  std::string summary; // one human line: "prod/orders FAILED: java.lang.RuntimeException: boom"
  // Who sent it; filled by the caller (the host sp runs on, sp's version).
  std::string host;
  std::string sp_version;
  bool operator==(const Alert&) const = default;
};

// The stable JSON document every channel gets (webhook body, command stdin,
// end of the email body). snake_case keys in a fixed order; a string field
// that does not apply (empty) is null; absent `cause` and `restore_point`
// are left out. `schema` names this shape: "sp/alert/v1".
nlohmann::ordered_json alert_document(const Alert& alert);

// The inverse of alert_document, so an alert can wait in a table as JSON
// and be delivered again later. A usage error names the field that is wrong.
Result<Alert> alert_from_document(const nlohmann::json& document);

// "[sp] <summary>": one line, control characters replaced, at most 200 bytes.
std::string alert_subject(const Alert& alert);

// The plain-text email body: the summary, one "field: value" line per field
// that applies, then the JSON document. Lines end with \n.
std::string alert_text(const Alert& alert);

// A Message-ID (without angle brackets) that is the same for the same alert,
// so a retried delivery can be recognised as a duplicate by mail systems.
std::string alert_message_id(const Alert& alert);

// Whether a channel takes this kind: its `events`, empty meaning all. The
// test kind goes to every channel.
bool channel_takes(const AlertChannelSpec& channel, std::string_view kind);

// The sample alert `sp alert test` sends, at `now_ms`.
Alert test_alert(std::int64_t now_ms, std::string host, std::string sp_version);

} // namespace sp::core
