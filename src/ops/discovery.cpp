#include "sp/ops/discovery.hpp"

#include "sp/core/run_state.hpp"
#include "sp/core/state_layout.hpp"
#include "sp/ops/observe.hpp"
#include "sp/store/database.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::ops {

namespace {

// A savepoint directory holds few savepoints worth restoring; more are old.
constexpr std::size_t savepoints_considered = 20;

// The JobManager's jobs that are this job's: sp's ids for it, or (jobs sp did
// not start) its pipeline name. Another job's sp id never matches by name:
// dev and prod instances of one job share a name on a shared cluster.
std::vector<flink::JobOverview> jobs_of(const std::vector<flink::JobOverview>& jobs, const JobTarget& job,
                                        const std::string& key, std::vector<bool>& by_name) {
  const auto name = core::pipeline_name_of(job.spec.flink_configuration, job.name);
  std::vector<flink::JobOverview> mine;
  for (const auto& listed : jobs) {
    const bool ours = core::is_job_id_of(listed.id, key);
    const bool named = !ours && !core::submission_time_of(listed.id) && listed.name == name;
    if (!ours && !named) continue;
    mine.push_back(listed);
    by_name.push_back(named);
  }
  return mine;
}

Result<void> refuse_two_named(const std::vector<flink::JobOverview>& jobs, const std::vector<bool>& by_name,
                              const JobTarget& job) {
  std::vector<std::string> alive;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (by_name[i] && is_alive_state(jobs[i].state))
      alive.push_back(fmt::format("{} ({})", jobs[i].id, jobs[i].state));
  }
  if (alive.size() < 2) return {};
  std::string names;
  for (const auto& entry : alive) names += "\n  " + entry;
  return fail(ErrorKind::refused, "looking for job " + job.name + " on its cluster",
              fmt::format("{} running Flink jobs are named {}:{}", alive.size(), job.name, names),
              "stop the one that is not this job, or `sp job adopt " + job.name + " --flink-job-id ID`");
}

void add_jobmanager_points(const OpsContext& context, const JobTarget& job, const std::string& rest_url,
                           const flink::JobOverview& listed, Discovery& discovery) {
  auto jobmanager = JobManager::open(context, job.cluster, rest_url);
  auto stats = jobmanager ? jobmanager->rest().checkpoints(listed.id)
                          : Result<flink::CheckpointStats>(std::unexpected(jobmanager.error()));
  if (!stats) {
    discovery.notes.push_back(
        fmt::format("Flink job {} reports no checkpoints: {}", listed.id, stats.error().why()));
    return;
  }
  for (const auto* entry : {stats->latest_completed ? &*stats->latest_completed : nullptr,
                            stats->latest_savepoint ? &*stats->latest_savepoint : nullptr}) {
    if (entry == nullptr || !entry->external_path || entry->status != "COMPLETED") continue;
    StoredPoint point;
    point.kind = entry->is_savepoint ? core::PointKind::savepoint : core::PointKind::checkpoint;
    point.path = *entry->external_path;
    point.checkpoint_number = entry->id;
    point.completion_ms = entry->completion_time_ms.value_or(entry->trigger_time_ms);
    discovery.points.push_back({point, listed.id, "jobmanager " + rest_url});
  }
}

void ask_jobmanager(const OpsContext& context, const JobTarget& job, const std::string& rest_url,
                    Discovery& discovery, Result<void>& refusal) {
  if (rest_url.empty()) {
    discovery.notes.push_back("an application cluster has no JobManager while the job is not running");
    return;
  }
  auto jobmanager = JobManager::open(context, job.cluster, rest_url);
  if (!jobmanager) {
    refusal = std::unexpected(jobmanager.error()); // the cluster cannot be asked at all
    return;
  }
  auto listed = jobmanager->rest().jobs_overview();
  if (!listed) {
    discovery.unchecked.push_back(fmt::format("the JobManager at {}: {}", rest_url, listed.error().why()));
    return;
  }
  std::vector<bool> by_name;
  const auto mine = jobs_of(*listed, job, core::job_key(job.environment, job.name), by_name);
  refusal = refuse_two_named(mine, by_name, job);
  discovery.notes.push_back(
      fmt::format("the JobManager at {} lists {} Flink job(s) of this job", rest_url, mine.size()));
  const flink::JobOverview* newest_ended = nullptr;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const auto& found = mine[i];
    discovery.runs.push_back({.flink_job_id = found.id,
                              .state = found.state,
                              .started_ms = found.start_time_ms,
                              .ended_ms = found.end_time_ms,
                              .rest_url = rest_url,
                              .by_name = by_name[i]});
    const bool newer = newest_ended == nullptr || found.start_time_ms > newest_ended->start_time_ms;
    if (!is_alive_state(found.state) && newer) newest_ended = &found;
  }
  // The newest ended run's statistics only (SPEC 12: discovery costs about
  // one overview more than a start with full records); older runs' state is
  // what their directories hold.
  if (newest_ended != nullptr) add_jobmanager_points(context, job, rest_url, *newest_ended, discovery);
}

// The newest run directory with a valid checkpoint wins; older runs are
// looked into only while the newer ones hold nothing (SPEC 5.4).
void scan_run_directories(storage::StateStorage& storage, const JobTarget& job, const std::string& base,
                          Discovery& discovery) {
  auto directories = run_directories_of(storage, base, core::job_key(job.environment, job.name));
  if (!directories) {
    discovery.unchecked.push_back(
        fmt::format("checkpoint directory {}: {}", base, directories.error().why()));
    return;
  }
  for (auto& run : discovery.runs) {
    if (run.by_name) directories->push_back(core::join_path(base, run.flink_job_id));
  }
  discovery.notes.push_back(
      fmt::format("{} holds {} run directory(ies) of this job", base, directories->size()));
  bool found = false;
  for (const auto& directory : *directories) {
    const std::string id = directory.substr(directory.rfind('/') + 1);
    auto known = std::ranges::find(discovery.runs, id, &DiscoveredRun::flink_job_id);
    if (known == discovery.runs.end()) {
      discovery.runs.push_back({.flink_job_id = id,
                                .state = std::string(core::run_state::lost),
                                .started_ms = core::submission_time_of(id).value_or(0)});
      known = discovery.runs.end() - 1;
    }
    known->checkpoint_dir = directory;
    if (found) continue;
    auto newest = newest_checkpoint_in(storage, directory);
    if (!newest) {
      discovery.unchecked.push_back(fmt::format("run directory {}: {}", directory, newest.error().why()));
      return;
    }
    if (*newest) discovery.points.push_back({**newest, id, "storage " + directory});
    found = newest->has_value();
  }
}

void scan_savepoints(storage::StateStorage& storage, const std::string& directory, Discovery& discovery) {
  auto savepoints = savepoints_in(storage, directory, savepoints_considered);
  if (!savepoints) {
    discovery.unchecked.push_back(
        fmt::format("savepoint directory {}: {}", directory, savepoints.error().why()));
    return;
  }
  for (auto& point : *savepoints) discovery.points.push_back({std::move(point), "", "storage " + directory});
}

void ask_storage(const OpsContext& context, const JobTarget& job, const std::string& rest_url,
                 storage::StateStorage& storage, Discovery& discovery) {
  std::string unchecked;
  discovery.checkpoint_dir = checkpoint_base_dir(context, job, rest_url, &unchecked);
  if (!unchecked.empty()) discovery.unchecked.push_back(unchecked);
  if (discovery.checkpoint_dir && !storage.can_read(*discovery.checkpoint_dir)) {
    discovery.unchecked.push_back(fmt::format("checkpoint directory {}: sp cannot read {} storage",
                                              *discovery.checkpoint_dir,
                                              storage::scheme_of(*discovery.checkpoint_dir)));
  } else if (discovery.checkpoint_dir) {
    scan_run_directories(storage, job, *discovery.checkpoint_dir, discovery);
  } else if (unchecked.empty()) {
    discovery.notes.push_back(
        "no checkpoint directory is configured for the job, its cluster or its JobManager");
  }
  // Only a per-job savepoint directory is searched: in a shared one, a
  // savepoint's name tells too little to be sure whose it is.
  if (auto root = state_root_directories(job); root && storage.can_read(root->savepoints)) {
    scan_savepoints(storage, root->savepoints, discovery);
  } else if (root) {
    discovery.unchecked.push_back(fmt::format("savepoint directory {}: sp cannot read {} storage",
                                              root->savepoints, storage::scheme_of(root->savepoints)));
  }
}

} // namespace

const DiscoveredRun* Discovery::live_run() const {
  for (const auto& run : runs) {
    if (!run.rest_url.empty() && is_alive_state(run.state)) return &run;
  }
  return nullptr;
}

std::optional<core::StateDirectories> state_root_directories(const JobTarget& job) {
  if (!job.cluster.state_root) return std::nullopt;
  return core::state_directories_under(*job.cluster.state_root, job.environment, job.name);
}

std::optional<std::string> checkpoint_base_dir(const OpsContext& context, const JobTarget& job,
                                               const std::string& rest_url, std::string* unchecked) {
  const auto root = state_root_directories(job);
  const std::optional<std::string> root_dir = root ? std::optional(root->checkpoints) : std::nullopt;
  if (auto dir = core::resolve_checkpoint_dir(job.spec.flink_configuration, root_dir,
                                              job.cluster.flink_configuration, nullptr)) {
    return core::canonical_location(*dir);
  }
  if (rest_url.empty()) return std::nullopt;
  auto jobmanager = JobManager::open(context, job.cluster, rest_url);
  auto configuration = jobmanager
                           ? jobmanager->rest().jobmanager_config()
                           : Result<std::map<std::string, std::string>>(std::unexpected(jobmanager.error()));
  if (!configuration) {
    if (unchecked) {
      *unchecked = fmt::format("where checkpoints go: the JobManager at {} did not say: {}", rest_url,
                               configuration.error().why());
    }
    return std::nullopt;
  }
  auto dir = core::checkpoint_dir_in(*configuration);
  return dir ? std::optional(core::canonical_location(*dir)) : std::nullopt;
}

Result<Discovery> discover_job_state(const OpsContext& context, const JobTarget& job,
                                     const std::string& rest_url, storage::StateStorage& storage) {
  Discovery discovery;
  Result<void> refusal;
  ask_jobmanager(context, job, rest_url, discovery, refusal);
  if (!refusal) return std::unexpected(refusal.error());
  ask_storage(context, job, rest_url, storage, discovery);
  std::ranges::sort(discovery.runs, std::greater<>(), &DiscoveredRun::started_ms);
  return discovery;
}

RecordedDiscovery record_discovery(const OpsContext& context, const JobTarget& job,
                                   const Discovery& discovery, bool include_live) {
  RecordedDiscovery recorded;
  store::Transaction transaction(context.database);
  const auto now = context.clock.now_ms();
  // Oldest first, so run ids grow with time as they do for runs sp started.
  for (auto it = discovery.runs.rbegin(); it != discovery.runs.rend(); ++it) {
    const auto& run = *it;
    const bool live = is_alive_state(run.state) && !run.rest_url.empty();
    if ((live && !include_live) ||
        store::find_run_by_flink_id(context.database, job.job_id, run.flink_job_id))
      continue;
    const auto id = store::insert_run(context.database, {.job_id = job.job_id,
                                                         .flink_job_id = run.flink_job_id,
                                                         .rest_url = run.rest_url,
                                                         .state = run.state,
                                                         .adopted = run.by_name,
                                                         .started_at = run.started_ms,
                                                         .checkpoint_dir = run.checkpoint_dir});
    if (!live) store::end_run(context.database, id, run.state, run.ended_ms.value_or(run.started_ms));
    ++recorded.runs;
  }
  for (const auto& found : discovery.points) {
    std::optional<std::int64_t> run_id;
    if (!found.flink_job_id.empty()) {
      if (auto run = store::find_run_by_flink_id(context.database, job.job_id, found.flink_job_id))
        run_id = run->id;
    }
    const auto& point = found.point;
    recorded.points +=
        store::record_restore_point(context.database, {.job_id = job.job_id,
                                                       .run_id = run_id,
                                                       .kind = point.kind,
                                                       .flink_checkpoint_id = point.checkpoint_number,
                                                       .path = point.path,
                                                       .completion_time = point.completion_ms,
                                                       .recorded_at = now,
                                                       .source = found.source})
            .created;
  }
  if (recorded.runs + recorded.points > 0) {
    record_job_event(context, job, "state-discovered",
                     fmt::format("found {} run(s) and {} restore point(s) sp had not recorded", recorded.runs,
                                 recorded.points));
  }
  transaction.commit();
  return recorded;
}

} // namespace sp::ops
