#include "sp/core/job.hpp"

#include "sp/util/enum_names.hpp"
#include "sp/util/time.hpp"

#include <nlohmann/json.hpp>

namespace sp::core {

namespace {

constexpr util::EnumNames<RestorePolicy, 2> restore_names{{
    {RestorePolicy::latest, "latest"},
    {RestorePolicy::none, "none"},
}};

constexpr util::EnumNames<SqlPlanMode, 2> plan_mode_names{{
    {SqlPlanMode::fresh, "fresh"},
    {SqlPlanMode::pinned, "pinned"},
}};

constexpr util::EnumNames<StopMode, 3> stop_names{{
    {StopMode::savepoint, "savepoint"},
    {StopMode::drain, "drain"},
    {StopMode::cancel, "cancel"},
}};

nlohmann::ordered_json sql_json(const JobSql& sql) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  if (sql.file) json["file"] = *sql.file;
  if (sql.inline_text) json["inline"] = *sql.inline_text;
  if (sql.project) {
    json["project"] = *sql.project;
    json["build"] = sql.build;
  }
  if (sql.path) json["path"] = *sql.path;
  json["plan"] = std::string(util::name_of(plan_mode_names, sql.plan));
  return json;
}

} // namespace

std::string_view to_string(RestorePolicy policy) { return util::name_of(restore_names, policy); }

std::optional<RestorePolicy> restore_policy_from_string(std::string_view text) {
  return util::value_named(restore_names, text);
}

std::string_view to_string(SqlPlanMode mode) { return util::name_of(plan_mode_names, mode); }

std::optional<SqlPlanMode> sql_plan_mode_from_string(std::string_view text) {
  return util::value_named(plan_mode_names, text);
}

std::string_view to_string(StopMode mode) { return util::name_of(stop_names, mode); }

std::optional<StopMode> stop_mode_from_string(std::string_view text) {
  return util::value_named(stop_names, text);
}

nlohmann::ordered_json to_json(const JobSpec& spec) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["cluster"] = spec.cluster;
  if (spec.sql) {
    json["sql"] = sql_json(*spec.sql);
  } else {
    nlohmann::ordered_json artifact = nlohmann::ordered_json::object();
    if (spec.artifact.project) {
      artifact["project"] = *spec.artifact.project;
      artifact["build"] = spec.artifact.build;
    }
    if (spec.artifact.jar) artifact["jar"] = *spec.artifact.jar;
    json["artifact"] = std::move(artifact);
  }
  if (spec.entry_class) json["entryClass"] = *spec.entry_class;
  json["args"] = spec.args;
  if (spec.parallelism) json["parallelism"] = *spec.parallelism;
  json["flinkConfiguration"] = spec.flink_configuration;

  nlohmann::ordered_json state = nlohmann::ordered_json::object();
  state["restore"] = std::string(to_string(spec.state.restore));
  state["allowNonRestoredState"] = spec.state.allow_non_restored_state;
  if (spec.state.max_age) state["maxAge"] = util::format_duration(*spec.state.max_age);
  if (spec.state.savepoint_dir) state["savepointDir"] = *spec.state.savepoint_dir;
  json["state"] = std::move(state);

  json["stop"] = std::string(to_string(spec.stop));
  nlohmann::ordered_json restart = nlohmann::ordered_json::object();
  restart["onFailure"] = spec.restart.on_failure;
  restart["maxRestarts"] = spec.restart.max_restarts;
  restart["window"] = util::format_duration(spec.restart.window);
  json["restart"] = std::move(restart);
  json["alerts"] = spec.alerts;
  return json;
}

nlohmann::ordered_json to_json(const JobMetadata& metadata) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  if (metadata.owner) json["owner"] = *metadata.owner;
  if (!metadata.labels.empty()) json["labels"] = metadata.labels;
  return json;
}

} // namespace sp::core
