#include "project_views.hpp"

#include "sp/util/redact.hpp"
#include "sp/util/time.hpp"

#include <filesystem>

namespace sp::cli {

namespace {

Data optional_time(const std::optional<std::int64_t>& ms) {
  return ms ? Data(util::format_utc(*ms)) : Data(nullptr);
}

} // namespace

Data build_record(const std::string& project, const store::BuildRow& build) {
  Data data = Data::object();
  data["id"] = build.id;
  data["project"] = project;
  data["status"] = std::string(core::to_string(build.status));
  data["ref"] = build.ref;
  data["commit"] = build.commit ? Data(build.commit->sha) : Data(nullptr);
  data["commit_author"] = build.commit ? Data(build.commit->author) : Data(nullptr);
  data["commit_subject"] = build.commit ? Data(build.commit->subject) : Data(nullptr);
  data["started_at"] = util::format_utc(build.started_at);
  data["finished_at"] = optional_time(build.finished_at);
  if (build.finished_at) {
    const auto duration = std::chrono::milliseconds(*build.finished_at - build.started_at);
    data["duration"] = util::format_duration(duration);
    data["duration_ms"] = duration.count();
  } else {
    data["duration"] = nullptr;
    data["duration_ms"] = nullptr;
  }
  data["fetch_ms"] = build.checked_out_at ? Data(*build.checked_out_at - build.started_at) : Data(nullptr);
  data["exit_code"] = build.exit_code ? Data(*build.exit_code) : Data(nullptr);
  data["artifact"] = build.artifact ? Data(build.artifact->path) : Data(nullptr);
  data["artifact_sha256"] = build.artifact ? Data(build.artifact->sha256) : Data(nullptr);
  data["artifact_size"] = build.artifact ? Data(build.artifact->size) : Data(nullptr);
  data["log"] = build.log_path;
  data["error"] = build.error ? Data(*build.error) : Data(nullptr);
  data["command"] = build.command;
  data["host"] = build.host;
  data["pid"] = build.pid;
  return data;
}

Data project_record(const store::ProjectRow& project, const std::optional<store::BuildRow>& latest) {
  const auto& spec = project.spec;
  Data data = Data::object();
  data["name"] = project.name;
  data["url"] = util::redact_urls(spec.url);
  data["ref"] = spec.ref;
  data["subdir"] = spec.subdir;
  data["build_command"] = core::effective_build_command(spec);
  data["artifact_glob"] = spec.artifact ? Data(*spec.artifact) : Data(nullptr);
  data["timeout"] = util::format_duration(spec.timeout);
  data["token_env"] = spec.auth.token_env ? Data(*spec.auth.token_env) : Data(nullptr);
  data["ssh_key"] = spec.auth.ssh_key ? Data(*spec.auth.ssh_key) : Data(nullptr);
  data["created_at"] = util::format_utc(project.created_at);
  data["updated_at"] = util::format_utc(project.updated_at);
  data["last_build"] = latest ? Data(latest->id) : Data(nullptr);
  data["last_status"] = latest ? Data(std::string(core::to_string(latest->status))) : Data(nullptr);
  data["last_commit"] = latest && latest->commit ? Data(latest->commit->sha) : Data(nullptr);
  return data;
}

View builds_view(const std::string& project, const std::vector<store::BuildRow>& builds) {
  Data rows = Data::array();
  for (const auto& build : builds) {
    rows.push_back(build_record(project, build));
  }
  return {std::move(rows),
          {{"id", ""},
           {"status", ""},
           {"ref", ""},
           {"commit", ""},
           {"started_at", "STARTED"},
           {"duration", ""},
           {"artifact", ""}}};
}

} // namespace sp::cli
