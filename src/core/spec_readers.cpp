#include "spec_readers.hpp"

#include "sp/core/object_rules.hpp"

#include <chrono>

namespace sp::core::detail {

namespace {

void assign(std::optional<std::string>& target, std::optional<std::string> value) {
  if (value) target = std::move(value);
}

} // namespace

EnvironmentSpec read_environment_spec(ObjectReader& reader) {
  EnvironmentSpec spec;
  if (auto entries = reader.entries("variables")) {
    for (auto& entry : *entries) {
      VariableSpec variable;
      if (entry.scalar) {
        variable.value = *entry.scalar;
      } else if (entry.object) {
        variable.value = entry.object->string("value", Need::required).value_or("");
        variable.secret = entry.object->boolean("secret").value_or(false);
        variable.description = entry.object->string("description").value_or("");
        entry.object->finish();
      }
      spec.variables.emplace(entry.key, std::move(variable));
    }
  }
  reader.finish();
  return spec;
}

FlinkSpec read_flink_spec(ObjectReader& reader) {
  FlinkSpec spec;
  spec.home = reader.string("home", Need::required).value_or("");
  reader.finish();
  return spec;
}

ProjectSpec read_project_spec(ObjectReader& reader) {
  ProjectSpec spec;
  spec.url = reader.string("url", Need::required).value_or("");
  if (auto ref = reader.string("ref")) spec.ref = *ref;
  if (auto subdir = reader.string("subdir")) spec.subdir = *subdir;
  if (auto build = reader.strings("build")) spec.build = *build;
  assign(spec.artifact, reader.string("artifact"));
  if (auto timeout = reader.duration("timeout")) {
    if (auto seconds = build_timeout(*timeout))
      spec.timeout = *seconds;
    else
      reader.report("timeout", seconds.error().why());
  }
  if (auto auth = reader.object("auth")) {
    assign(spec.auth.token_env, auth->string("tokenEnv"));
    assign(spec.auth.ssh_key, auth->string("sshKey"));
    auth->finish();
  }
  reader.finish();
  return spec;
}

AlertChannelSpec read_alert_channel_spec(ObjectReader& reader) {
  AlertChannelSpec spec;
  if (auto type = reader.word("type", {"webhook", "command", "email"}, Need::required)) {
    spec.type = *alert_channel_type_from_string(*type);
  }
  assign(spec.url, reader.string("url"));
  assign(spec.header_env, reader.string("headerEnv"));
  if (auto argv = reader.strings("argv")) spec.argv = *argv;
  assign(spec.smtp_url, reader.string("smtpUrl"));
  assign(spec.from, reader.string("from"));
  if (auto to = reader.strings("to")) spec.to = *to;
  assign(spec.user_env, reader.string("userEnv"));
  assign(spec.password_env, reader.string("passwordEnv"));
  if (auto events = reader.strings("events")) spec.events = *events;
  reader.finish();
  return spec;
}

namespace {

HdfsStorageSettings read_hdfs_settings(ObjectReader& reader) {
  HdfsStorageSettings settings;
  settings.webhdfs = reader.string("webhdfs", Need::required).value_or("");
  assign(settings.user, reader.string("user"));
  reader.finish();
  return settings;
}

S3StorageSettings read_s3_settings(ObjectReader& reader) {
  S3StorageSettings settings;
  settings.endpoint = reader.string("endpoint", Need::required).value_or("");
  if (auto region = reader.string("region")) settings.region = *region;
  settings.path_style = reader.boolean("pathStyle").value_or(false);
  settings.access_key_env = reader.string("accessKeyEnv", Need::required).value_or("");
  settings.secret_key_env = reader.string("secretKeyEnv", Need::required).value_or("");
  assign(settings.session_token_env, reader.string("sessionTokenEnv"));
  reader.finish();
  return settings;
}

} // namespace

ClusterSpec read_cluster_spec(ObjectReader& reader) {
  ClusterSpec spec;
  if (auto type = reader.word("type", cluster_type_names(), Need::required)) {
    spec.type = *cluster_type_from_string(*type);
  }
  assign(spec.url, reader.string("url"));
  assign(spec.flink, reader.string("flink"));
  if (auto submit = reader.word("submit", {"rest", "cli"})) spec.submit = submit_driver_from_string(*submit);
  assign(spec.savepoint_dir, reader.string("savepointDir"));
  if (auto state = reader.object("state")) {
    assign(spec.state_root, state->string("root"));
    state->finish();
  }
  if (auto configuration = reader.string_map("flinkConfiguration")) spec.flink_configuration = *configuration;
  if (auto yarn = reader.object("yarn")) {
    assign(spec.yarn.resource_manager, yarn->string("resourceManager"));
    assign(spec.yarn.application_id, yarn->string("applicationId"));
    assign(spec.yarn.queue, yarn->string("queue"));
    yarn->finish();
  }
  if (auto kubernetes = reader.object("kubernetes")) {
    assign(spec.kubernetes.name_space, kubernetes->string("namespace"));
    assign(spec.kubernetes.cluster_id, kubernetes->string("clusterId"));
    assign(spec.kubernetes.rest_address, kubernetes->string("restAddress"));
    kubernetes->finish();
  }
  if (auto auth = reader.object("auth")) {
    assign(spec.auth.header_env, auth->string("headerEnv"));
    auth->finish();
  }
  if (auto tls = reader.object("tls")) {
    assign(spec.tls.ca_file, tls->string("caFile"));
    spec.tls.insecure = tls->boolean("insecure").value_or(false);
    tls->finish();
  }
  if (auto storage = reader.object("storage")) {
    if (auto hdfs = storage->object("hdfs")) spec.storage.hdfs = read_hdfs_settings(*hdfs);
    if (auto s3 = storage->object("s3")) spec.storage.s3 = read_s3_settings(*s3);
    storage->finish();
  }
  reader.finish();
  return spec;
}

JobSpec read_job_spec(ObjectReader& reader) {
  JobSpec spec;
  spec.cluster = reader.string("cluster", Need::required).value_or("");
  // Which of artifact and sql a job needs is a validation rule (check_job), so
  // a job with neither or both gets the same message from every reader.
  if (auto artifact = reader.object("artifact")) {
    assign(spec.artifact.project, artifact->string("project"));
    if (auto build = artifact->string("build")) spec.artifact.build = *build;
    assign(spec.artifact.jar, artifact->string("jar"));
    artifact->finish();
  }
  if (auto sql = reader.object("sql")) {
    JobSql& script = spec.sql.emplace();
    assign(script.file, sql->string("file"));
    assign(script.inline_text, sql->string("inline"));
    assign(script.project, sql->string("project"));
    if (auto build = sql->string("build")) script.build = *build;
    assign(script.path, sql->string("path"));
    if (auto plan = sql->word("plan", {"fresh", "pinned"})) script.plan = *sql_plan_mode_from_string(*plan);
    sql->finish();
  }
  assign(spec.entry_class, reader.string("entryClass"));
  if (auto args = reader.strings("args")) spec.args = *args;
  spec.parallelism = reader.bounded_int("parallelism", 1, 1'000'000);
  if (auto configuration = reader.string_map("flinkConfiguration")) spec.flink_configuration = *configuration;
  if (auto state = reader.object("state")) {
    if (auto restore = state->word("restore", {"latest", "none"})) {
      spec.state.restore = *restore_policy_from_string(*restore);
    }
    spec.state.allow_non_restored_state = state->boolean("allowNonRestoredState").value_or(false);
    if (auto max_age = state->duration("maxAge")) spec.state.max_age = *max_age;
    assign(spec.state.savepoint_dir, state->string("savepointDir"));
    state->finish();
  }
  if (auto stop = reader.word("stop", {"savepoint", "drain", "cancel"}))
    spec.stop = *stop_mode_from_string(*stop);
  if (auto restart = reader.object("restart")) {
    spec.restart.on_failure = restart->boolean("onFailure").value_or(false);
    if (auto max = restart->bounded_int("maxRestarts", 0, 1'000'000)) spec.restart.max_restarts = *max;
    if (auto window = restart->duration("window")) spec.restart.window = *window;
    restart->finish();
  }
  if (auto alerts = reader.strings("alerts")) spec.alerts = *alerts;
  reader.finish();
  return spec;
}

JobMetadata read_job_metadata(ObjectReader& reader) {
  JobMetadata metadata;
  assign(metadata.owner, reader.string("owner"));
  if (auto labels = reader.string_map("labels")) metadata.labels = *labels;
  return metadata;
}

} // namespace sp::core::detail
