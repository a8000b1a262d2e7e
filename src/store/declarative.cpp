#include "sp/store/declarative.hpp"

#include "sp/store/alert_channels.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/flinks.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

namespace sp::store {

namespace {

void add(core::ObjectSet& objects, core::Manifest manifest) {
  auto key = core::key_of(manifest);
  objects.emplace(std::move(key), std::move(manifest));
}

std::string event_message(const core::PlannedObject& object) {
  if (object.outcome == core::ApplyOutcome::created) return "created by apply";
  std::vector<std::string> fields;
  fields.reserve(object.changes.size());
  for (const auto& change : object.changes) fields.push_back(change.field);
  return fmt::format("configured by apply: {}", util::join(fields, ", "));
}

} // namespace

core::ObjectSet load_objects(Database& database) {
  using core::Manifest;
  using core::ObjectKind;
  core::ObjectSet objects;
  for (const auto& environment : list_environments(database)) {
    add(objects, Manifest{.kind = ObjectKind::environment,
                          .name = environment.name,
                          .spec = environment_spec(database, environment.id)});
  }
  for (auto& flink : list_flinks(database)) {
    add(objects, Manifest{.kind = ObjectKind::flink, .name = flink.name, .spec = std::move(flink.spec)});
  }
  for (auto& project : list_projects(database)) {
    add(objects,
        Manifest{.kind = ObjectKind::project, .name = project.name, .spec = std::move(project.spec)});
  }
  for (auto& channel : list_alert_channels(database)) {
    add(objects,
        Manifest{.kind = ObjectKind::alert_channel, .name = channel.name, .spec = std::move(channel.spec)});
  }
  for (auto& cluster : list_clusters(database)) {
    add(objects, Manifest{.kind = ObjectKind::cluster,
                          .name = cluster.name,
                          .environment = cluster.environment,
                          .spec = std::move(cluster.spec)});
  }
  for (auto& job : list_jobs(database)) {
    add(objects, Manifest{.kind = ObjectKind::job,
                          .name = job.name,
                          .environment = job.environment,
                          .job_metadata = std::move(job.metadata),
                          .spec = std::move(job.spec)});
  }
  return objects;
}

core::ObjectSet snapshot_objects(Database& database) {
  Transaction snapshot(database, Transaction::Kind::deferred);
  return load_objects(database);
}

void write_plan(Database& database, const core::ApplyPlan& plan, const Actor& actor) {
  using core::ObjectKind;
  for (const auto& object : plan.objects) {
    if (object.outcome == core::ApplyOutcome::unchanged) continue;
    const auto& manifest = object.desired;
    std::optional<std::int64_t> job_id;
    switch (manifest.kind) {
    case ObjectKind::environment: {
      const auto id = ensure_environment(database, manifest.name, actor.now_ms).first;
      replace_variables(database, id, std::get<core::EnvironmentSpec>(manifest.spec), actor.now_ms);
      break;
    }
    case ObjectKind::flink:
      upsert_flink(database, manifest.name, std::get<core::FlinkSpec>(manifest.spec), actor.now_ms);
      break;
    case ObjectKind::project:
      upsert_project(database, manifest.name, std::get<core::ProjectSpec>(manifest.spec), actor.now_ms);
      break;
    case ObjectKind::alert_channel:
      upsert_alert_channel(database, manifest.name, std::get<core::AlertChannelSpec>(manifest.spec),
                           actor.now_ms);
      break;
    case ObjectKind::cluster: {
      const auto environment = ensure_environment(database, manifest.environment, actor.now_ms).first;
      upsert_cluster(database, environment, manifest.name, std::get<core::ClusterSpec>(manifest.spec),
                     actor.now_ms);
      break;
    }
    case ObjectKind::job: {
      const auto environment = ensure_environment(database, manifest.environment, actor.now_ms).first;
      job_id = upsert_job(database, environment, manifest.name, manifest.job_metadata,
                          std::get<core::JobSpec>(manifest.spec), actor.now_ms)
                   .second;
      break;
    }
    }
    const std::string subject = manifest.environment.empty()
                                    ? manifest.name
                                    : fmt::format("{}/{}", manifest.environment, manifest.name);
    record_event(database, {.time_ms = actor.now_ms,
                            .job_id = job_id,
                            .subject_kind = std::string(core::kind_noun(manifest.kind)),
                            .subject = subject,
                            .kind = std::string(core::to_string(object.outcome)),
                            .actor = actor.user,
                            .host = actor.host,
                            .message = event_message(object)});
  }
}

} // namespace sp::store
