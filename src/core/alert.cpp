#include "sp/core/alert.hpp"

#include "sp/util/sha256.hpp"
#include "sp/util/strings.hpp"
#include "sp/util/time.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace sp::core {

namespace {

constexpr std::string_view schema = "sp/alert/v1";
constexpr std::size_t max_subject_bytes = 200;

nlohmann::ordered_json or_null(const std::string& value) {
  return value.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(value);
}

// One line of text: a cause or summary can carry newlines or control
// characters from Flink's messages, which must not split a header.
std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

// Cut at a UTF-8 character boundary, never inside a multi-byte character.
std::string truncated(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

std::string where(const Alert& alert) {
  if (!alert.job.empty()) return alert.environment.empty() ? alert.job : alert.environment + "/" + alert.job;
  if (!alert.cluster.empty()) return "cluster " + alert.cluster;
  return alert.jobmanager;
}

class Reader {
public:
  explicit Reader(const nlohmann::json& document) : document_(document) {}

  // A string field, null or absent meaning empty.
  Result<std::string> text(const char* key) const {
    const auto found = document_.find(key);
    if (found == document_.end() || found->is_null()) return std::string();
    if (!found->is_string()) return wrong(key, "a string or null");
    return found->get<std::string>();
  }
  Result<std::optional<std::string>> optional_text(const char* key) const {
    const auto found = document_.find(key);
    if (found == document_.end() || found->is_null()) return std::nullopt;
    if (!found->is_string()) return wrong(key, "a string");
    return found->get<std::string>();
  }

  static std::unexpected<Error> wrong(const char* key, const char* expected) {
    return fail(ErrorKind::usage, "reading an alert document", fmt::format("{} must be {}", key, expected));
  }

private:
  const nlohmann::json& document_;
};

} // namespace

nlohmann::ordered_json alert_document(const Alert& alert) {
  nlohmann::ordered_json document = nlohmann::ordered_json::object();
  document["schema"] = std::string(schema);
  document["kind"] = alert.kind;
  document["summary"] = alert.summary;
  document["time"] = util::format_utc(alert.time_ms);
  document["time_ms"] = alert.time_ms;
  document["environment"] = or_null(alert.environment);
  document["job"] = or_null(alert.job);
  document["owner"] = or_null(alert.owner);
  document["cluster"] = or_null(alert.cluster);
  document["jobmanager"] = or_null(alert.jobmanager);
  document["state"] = or_null(alert.state);
  if (alert.cause) document["cause"] = *alert.cause;
  if (alert.restore_point) document["restore_point"] = *alert.restore_point;
  document["jobs"] = alert.jobs;
  document["host"] = or_null(alert.host);
  document["sp_version"] = or_null(alert.sp_version);
  return document;
}

Result<Alert> alert_from_document(const nlohmann::json& document) {
  if (!document.is_object()) return Reader::wrong("the document", "an object");
  const auto named = document.find("schema");
  if (named == document.end() || !named->is_string() || named->get<std::string>() != schema) {
    return Reader::wrong("schema", "\"sp/alert/v1\"");
  }
  const Reader read(document);
  Alert alert;
  const auto time_ms = document.find("time_ms");
  if (time_ms == document.end() || !time_ms->is_number_integer())
    return Reader::wrong("time_ms", "an integer");
  alert.time_ms = time_ms->get<std::int64_t>();
  const auto jobs = document.find("jobs");
  if (jobs != document.end()) {
    if (!jobs->is_array() || !std::ranges::all_of(*jobs, [](const auto& job) { return job.is_string(); })) {
      return Reader::wrong("jobs", "a list of strings");
    }
    alert.jobs = jobs->get<std::vector<std::string>>();
  }
  const std::pair<const char*, std::string*> texts[] = {{"kind", &alert.kind},
                                                        {"summary", &alert.summary},
                                                        {"environment", &alert.environment},
                                                        {"job", &alert.job},
                                                        {"owner", &alert.owner},
                                                        {"cluster", &alert.cluster},
                                                        {"jobmanager", &alert.jobmanager},
                                                        {"state", &alert.state},
                                                        {"host", &alert.host},
                                                        {"sp_version", &alert.sp_version}};
  for (const auto& [key, target] : texts) {
    auto value = read.text(key);
    if (!value) return std::unexpected(value.error());
    *target = std::move(*value);
  }
  if (alert.kind.empty()) return Reader::wrong("kind", "a non-empty string");
  for (const auto& [key, target] :
       {std::pair{"cause", &alert.cause}, std::pair{"restore_point", &alert.restore_point}}) {
    auto value = read.optional_text(key);
    if (!value) return std::unexpected(value.error());
    *target = std::move(*value);
  }
  return alert;
}

std::string alert_subject(const Alert& alert) {
  const std::string what = alert.summary.empty() ? alert.kind + " " + where(alert) : alert.summary;
  return truncated(one_line("[sp] " + what), max_subject_bytes);
}

std::string alert_text(const Alert& alert) {
  std::string text =
      one_line(alert.summary.empty() ? alert.kind + " " + where(alert) : alert.summary) + "\n\n";
  auto line = [&text](std::string_view label, const std::string& value) {
    if (!value.empty()) text += fmt::format("{:<15}{}\n", std::string(label) + ":", one_line(value));
  };
  line("kind", alert.kind);
  line("time", util::format_utc(alert.time_ms));
  line("environment", alert.environment);
  line("job", alert.job);
  line("owner", alert.owner);
  line("cluster", alert.cluster);
  line("jobmanager", alert.jobmanager);
  line("state", alert.state);
  line("cause", alert.cause.value_or(""));
  line("restore point", alert.restore_point.value_or(""));
  line("affected jobs", util::join(alert.jobs, ", "));
  if (!alert.host.empty()) line("sent by", fmt::format("sp {} on {}", alert.sp_version, alert.host));
  text += "\nThe same alert as JSON:\n" + alert_document(alert).dump(2) + "\n";
  return text;
}

std::string alert_message_id(const Alert& alert) {
  // A host name that is not a plain domain (empty, or odd characters) would
  // make the header invalid; "localhost" keeps it well formed.
  const bool plain_host = !alert.host.empty() && std::ranges::all_of(alert.host, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
  });
  const std::string digest = util::sha256_hex(alert_document(alert).dump()).substr(0, 32);
  return fmt::format("sp.{}.{}@{}", alert.time_ms, digest, plain_host ? alert.host : "localhost");
}

bool channel_takes(const AlertChannelSpec& channel, std::string_view kind) {
  if (kind == test_alert_kind || channel.events.empty()) return true;
  return std::ranges::find(channel.events, kind) != channel.events.end();
}

Alert test_alert(std::int64_t now_ms, std::string host, std::string sp_version) {
  Alert alert;
  alert.kind = std::string(test_alert_kind);
  alert.time_ms = now_ms;
  alert.summary = "test alert from sp: this channel works";
  alert.host = std::move(host);
  alert.sp_version = std::move(sp_version);
  return alert;
}

} // namespace sp::core
