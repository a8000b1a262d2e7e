#include "sp/watch/cycle.hpp"

#include "sp/core/run_state.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/job_loader.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/watch/alerting.hpp"
#include "sp/watch/restarts.hpp"

#include <fmt/format.h>

#include <set>

namespace sp::watch {

namespace {

// The body of a 2xx answer, else why there is none.
Result<std::string> answer_body(Result<net::HttpResponse> response) {
  if (!response) return std::unexpected(response.error());
  if (response->status < 200 || response->status >= 300) {
    return fail(ErrorKind::external, "polling the JobManager",
                fmt::format("HTTP {}: {}", response->status, flink::error_summary(response->body)));
  }
  return std::move(response->body);
}

std::string subject_of(const store::WatchedRun& run) { return run.environment + "/" + run.job; }

} // namespace

Watcher::Watcher(const ops::OpsContext& context, net::ConcurrentHttp& http, WatchSettings settings,
                 Relocator relocate)
    : context_(context), http_(http), settings_(std::move(settings)), relocate_(std::move(relocate)) {}

const Watcher::ClusterAccess& Watcher::access_for(const store::WatchedRun& run) {
  const std::string key = run.environment + "/" + run.cluster;
  if (auto found = clusters_.find(key); found != clusters_.end()) return found->second;
  ClusterAccess access;
  auto cluster = ops::load_cluster(context_.database, run.environment, run.cluster, context_.env);
  if (!cluster) {
    access.error = cluster.error().what();
  } else {
    access.type = cluster->type;
    access.tls = ops::transport_settings_of(*cluster).tls;
    auto authorization = ops::cluster_authorization(context_, *cluster);
    if (authorization)
      access.authorization = std::move(*authorization);
    else
      access.error = authorization.error().what();
  }
  return clusters_.emplace(key, std::move(access)).first->second;
}

// One cycle, step by step (ARCHITECTURE.md, Watch): read, fetch, judge,
// write, act. Each step leaves what the next one needs in the members below,
// indexed like `runs_`. Nested in Watcher so it can use the watcher's
// cluster cache and the restore point ids it keeps between cycles.
class Watcher::Cycle {
public:
  explicit Cycle(Watcher& watcher)
      : watcher_(watcher), context_(watcher.context_), database_(watcher.context_.database),
        settings_(watcher.settings_) {}

  CycleReport run() {
    read();
    fetch();
    judge();
    write();
    act();
    return std::move(report_);
  }

private:
  void read();
  void fetch();
  void ask_overview(const std::string& url, const std::vector<std::size_t>& members);
  void ask_checkpoints(std::size_t index, const std::string& base, const ClusterAccess& access);
  void ask_checkpoint_config(std::size_t index, const std::string& base, const ClusterAccess& access);
  void judge();
  void ask_causes();
  void relocate();
  void write();
  void write_run(store::CycleWriter& writer, std::size_t index);
  void record_points(store::CycleWriter& writer, std::size_t index);
  void note(const store::WatchedRun& run, const std::string& kind, const std::string& message);
  void raise_job_alert(std::size_t index, const std::string& kind, std::optional<std::string> cause,
                       const std::string& summary);
  void raise_jobmanager_alerts(const std::string& url, const std::vector<std::size_t>& members);
  void write_status(std::int64_t write_start);
  void act();
  net::HttpRequest request_to(const std::string& url, const ClusterAccess& access);

  Watcher& watcher_;
  const ops::OpsContext& context_;
  store::Database& database_;
  const WatchSettings& settings_;

  CycleReport report_;
  std::int64_t start_ = 0;
  std::vector<store::WatchedRun> runs_;
  std::vector<RunSighting> sightings_;
  std::vector<bool> watched_; // false: nothing to ask Flink yet (no job id)
  std::map<std::string, std::vector<std::size_t>> by_jobmanager_;
  std::vector<RunVerdict> verdicts_;
  std::map<std::size_t, std::string> causes_; // run index → first line of the root exception
  std::map<std::string, std::string> moved_;  // JobManager URL → where it answers now
  std::vector<std::size_t> failed_runs_;
};

CycleReport Watcher::run_cycle() { return Cycle(*this).run(); }

// Read: the live runs with what the last cycle left of them, grouped by the
// JobManager they are polled on.
void Watcher::Cycle::read() {
  report_.cycle = ++watcher_.cycles_;
  start_ = context_.clock.now_ms();
  report_.started_at = start_;
  watcher_.clusters_.clear(); // cluster settings may have changed since the last cycle

  runs_ = store::watched_runs(database_, start_ - settings_.policy.restart_alert_window.count());
  if (!watcher_.recorded_) watcher_.recorded_ = store::recorded_point_ids(database_);
  report_.runs = static_cast<int>(runs_.size());

  sightings_.resize(runs_.size());
  watched_.assign(runs_.size(), false);
  for (std::size_t index = 0; index < runs_.size(); ++index) {
    if (!runs_[index].flink_job_id) continue;
    watched_[index] = true;
    by_jobmanager_[runs_[index].rest_url].push_back(index);
  }
  report_.jobmanagers = static_cast<int>(by_jobmanager_.size());
}

net::HttpRequest Watcher::Cycle::request_to(const std::string& url, const ClusterAccess& access) {
  ++report_.requests;
  net::HttpRequest request;
  request.url = url;
  request.authorization = access.authorization;
  request.timeouts = net::Timeouts{settings_.connect_timeout, settings_.request_timeout};
  return request;
}

// Fetch: one overview per JobManager; as soon as it arrives, the checkpoint
// statistics of its running jobs that are due (checkpoints_due) are asked
// for on the same connections.
void Watcher::Cycle::fetch() {
  for (const auto& [url, members] : by_jobmanager_) ask_overview(url, members);
  watcher_.http_.run();
}

void Watcher::Cycle::ask_overview(const std::string& url, const std::vector<std::size_t>& members) {
  const ClusterAccess& access = watcher_.access_for(runs_[members.front()]);
  if (!access.error.empty()) {
    for (auto index : members) sightings_[index].jobmanager_error = access.error;
    ++report_.errors;
    return;
  }
  const std::vector<std::size_t>* group = &members; // by_jobmanager_ outlives the transfers
  const ClusterAccess* cluster = &access;           // clusters_ is a std::map: the entry stays put
  watcher_.http_.add(request_to(url + "/jobs/overview", access), access.tls,
                     [this, group, base = url, cluster](Result<net::HttpResponse> answer) {
                       auto body = answer_body(std::move(answer));
                       auto jobs =
                           body ? flink::parse_jobs_overview(*body)
                                : Result<std::vector<flink::JobOverview>>(std::unexpected(body.error()));
                       if (!jobs) {
                         ++report_.errors;
                         for (auto index : *group) sightings_[index].jobmanager_error = jobs.error().why();
                         return;
                       }
                       std::unordered_map<std::string_view, const flink::JobOverview*> listed;
                       for (const auto& job : *jobs) listed.emplace(job.id, &job);
                       for (auto index : *group) {
                         auto& sighting = sightings_[index];
                         sighting.jobmanager_answered = true;
                         auto found = listed.find(*runs_[index].flink_job_id);
                         if (found == listed.end()) continue;
                         sighting.job = *found->second;
                         if (found->second->state != core::run_state::running) continue;
                         const auto& memory = runs_[index].memory;
                         if (!memory.checkpoint_interval_ms) ask_checkpoint_config(index, base, *cluster);
                         if (checkpoints_due(memory, start_)) ask_checkpoints(index, base, *cluster);
                       }
                     });
}

void Watcher::Cycle::ask_checkpoints(std::size_t index, const std::string& base,
                                     const ClusterAccess& access) {
  watcher_.http_.add(
      request_to(base + "/jobs/" + *runs_[index].flink_job_id + "/checkpoints", access), access.tls,
      [this, index](Result<net::HttpResponse> answer) {
        auto body = answer_body(std::move(answer));
        auto stats = body ? flink::parse_checkpoints(*body, flink::CheckpointDetail::latest_only)
                          : Result<flink::CheckpointStats>(std::unexpected(body.error()));
        if (!stats) {
          ++report_.errors; // the job's state is known; only its checkpoints are not, this time
          return;
        }
        sightings_[index].checkpoints = std::move(*stats);
      });
}

// Once per run: the interval that paces its checkpoint statistics. Unread
// (an error), it is asked again next cycle and the statistics meanwhile
// every cycle, as if the job checkpointed faster than the watch polls.
void Watcher::Cycle::ask_checkpoint_config(std::size_t index, const std::string& base,
                                           const ClusterAccess& access) {
  watcher_.http_.add(request_to(base + "/jobs/" + *runs_[index].flink_job_id + "/checkpoints/config", access),
                     access.tls, [this, index](Result<net::HttpResponse> answer) {
                       // Flink answers 404 for a job without a checkpoint coordinator
                       // ("Checkpointing is not enabled for this job"): nothing to pace.
                       if (answer && answer->status == 404) {
                         sightings_[index].checkpoint_config = flink::CheckpointConfig{};
                         return;
                       }
                       auto body = answer_body(std::move(answer));
                       auto config = body ? flink::parse_checkpoint_config(*body)
                                          : Result<flink::CheckpointConfig>(std::unexpected(body.error()));
                       if (!config) {
                         ++report_.errors;
                         return;
                       }
                       sightings_[index].checkpoint_config = *config;
                     });
}

// Judge: a verdict per watched run, then what the alerts and the write need
// to know beyond the polls. fetch_ms covers everything before the write.
void Watcher::Cycle::judge() {
  verdicts_.resize(runs_.size());
  for (std::size_t index = 0; index < runs_.size(); ++index) {
    if (watched_[index])
      verdicts_[index] = judge_run(runs_[index].memory, sightings_[index], settings_.policy, start_);
  }
  ask_causes();
  relocate();
  report_.fetch_ms = context_.clock.now_ms() - start_;
}

// Why a job failed, for its alert: one small request per newly failed job.
void Watcher::Cycle::ask_causes() {
  for (std::size_t index = 0; index < runs_.size(); ++index) {
    if (!verdicts_[index].failed || verdicts_[index].memory.state != core::run_state::failed) continue;
    const ClusterAccess& access = watcher_.access_for(runs_[index]);
    if (!access.error.empty()) continue;
    watcher_.http_.add(
        request_to(runs_[index].rest_url + "/jobs/" + *runs_[index].flink_job_id + "/exceptions", access),
        access.tls, [this, index](Result<net::HttpResponse> answer) {
          auto body = answer_body(std::move(answer));
          if (!body) return;
          if (auto cause = flink::parse_root_cause(*body)) causes_[index] = *cause;
        });
  }
  watcher_.http_.run();
}

// A JobManager that stopped answering may have moved (YARN failover): ask
// where it is now, before writing. Its YARN application may have ended
// instead (killed, or ended outside sp): its runs end with it now, rather
// than sitting UNREACHABLE at an address that will never answer again.
void Watcher::Cycle::relocate() {
  if (!watcher_.relocate_) return;
  for (const auto& [url, members] : by_jobmanager_) {
    const auto& first = runs_[members.front()];
    if (sightings_[members.front()].jobmanager_answered) continue;
    auto whereabouts = watcher_.relocate_(first);
    if (whereabouts.ended) {
      for (auto index : members)
        verdicts_[index] = judge_application_end(runs_[index].memory, *whereabouts.ended);
    } else if (whereabouts.rest_url && *whereabouts.rest_url != url) {
      moved_[url] = *whereabouts.rest_url;
    }
  }
}

// Write: everything the cycle decided, in one transaction.
void Watcher::Cycle::write() {
  const std::int64_t write_start = context_.clock.now_ms();
  store::Transaction transaction(database_);
  store::CycleWriter writer(database_);
  for (std::size_t index = 0; index < runs_.size(); ++index) {
    if (watched_[index]) write_run(writer, index);
  }
  // JobManager-level transitions: one alert per JobManager, naming its jobs.
  for (const auto& [url, members] : by_jobmanager_) raise_jobmanager_alerts(url, members);
  for (const auto& [from, to] : moved_) {
    store::relocate_live_runs(database_, from, to);
    report_.notes.push_back({from, "relocated", "the JobManager is now at " + to});
    // In each job's history too: a failover is when its address changed.
    for (const auto index : by_jobmanager_[from]) {
      note(runs_[index], "jobmanager-moved", fmt::format("the JobManager moved from {} to {}", from, to));
    }
  }
  write_status(write_start);
  transaction.commit();
}

void Watcher::Cycle::write_run(store::CycleWriter& writer, std::size_t index) {
  const auto& run = runs_[index];
  const auto& verdict = verdicts_[index];
  record_points(writer, index);
  if (verdict.changed) writer.update_run(run.run_id, verdict.memory);
  for (const auto& event : verdict.events) note(run, event.kind, event.message);
  if (verdict.end_state) store::end_run(database_, run.run_id, *verdict.end_state, start_);
  for (const auto& kind : verdict.alerts) {
    std::optional<std::string> cause;
    if (auto found = causes_.find(index); found != causes_.end()) cause = found->second;
    const std::string summary = verdict.events.empty()
                                    ? fmt::format("{} {}", subject_of(run), kind)
                                    : fmt::format("{} {}: {}", subject_of(run), verdict.memory.state,
                                                  cause ? *cause : verdict.events.back().message);
    raise_job_alert(index, kind, cause, summary);
  }
  if (verdict.failed) failed_runs_.push_back(index);
}

// New checkpoints and savepoints of the run; the ids already recorded are
// kept in memory, so a steady cycle writes nothing.
void Watcher::Cycle::record_points(store::CycleWriter& writer, std::size_t index) {
  const auto& stats = sightings_[index].checkpoints;
  if (!stats) return;
  const auto& run = runs_[index];
  auto& recorded = (*watcher_.recorded_)[run.run_id];
  if (stats->latest_completed && stats->latest_completed->id > recorded.checkpoint) {
    const auto& entry = *stats->latest_completed;
    const bool usable = entry.external_path && entry.status == "COMPLETED";
    if (usable && writer.record_checkpoint({.job_id = run.job_id,
                                            .run_id = run.run_id,
                                            .flink_checkpoint_id = entry.id,
                                            .path = *entry.external_path,
                                            .trigger_time = entry.trigger_time_ms,
                                            .completion_time = entry.completion_time_ms.value_or(start_),
                                            .size_bytes = entry.size_bytes,
                                            .recorded_at = start_})) {
      ++report_.new_points;
    }
    recorded.checkpoint = entry.id;
  }
  if (stats->latest_savepoint && stats->latest_savepoint->id > recorded.savepoint &&
      stats->latest_savepoint->external_path && stats->latest_savepoint->status == "COMPLETED") {
    const auto& savepoint = *stats->latest_savepoint;
    auto point = store::record_restore_point(
        database_, {.job_id = run.job_id,
                    .run_id = run.run_id,
                    .kind = core::PointKind::savepoint,
                    .flink_checkpoint_id = savepoint.id,
                    .path = *savepoint.external_path,
                    .trigger_time = savepoint.trigger_time_ms,
                    .completion_time = savepoint.completion_time_ms.value_or(start_),
                    .size_bytes = savepoint.size_bytes,
                    .recorded_at = start_});
    if (point.created) ++report_.new_points;
    recorded.savepoint = savepoint.id;
  }
}

void Watcher::Cycle::note(const store::WatchedRun& run, const std::string& kind, const std::string& message) {
  store::record_event(database_, {.time_ms = start_,
                                  .job_id = run.job_id,
                                  .subject_kind = "job",
                                  .subject = subject_of(run),
                                  .kind = kind,
                                  .actor = context_.actor.owner,
                                  .host = context_.actor.host,
                                  .message = message});
  report_.notes.push_back({subject_of(run), kind, message});
}

void Watcher::Cycle::raise_job_alert(std::size_t index, const std::string& kind,
                                     std::optional<std::string> cause, const std::string& summary) {
  const auto& run = runs_[index];
  auto job = store::find_job(database_, run.environment, run.job);
  core::Alert alert;
  alert.kind = kind;
  alert.time_ms = start_;
  alert.environment = run.environment;
  alert.job = run.job;
  alert.owner = job && job->metadata.owner ? *job->metadata.owner : "";
  alert.cluster = run.cluster;
  alert.jobmanager = run.rest_url;
  alert.state = verdicts_[index].memory.state;
  alert.cause = std::move(cause);
  alert.restore_point = newest_restore_point(database_, run.job_id);
  alert.summary = summary;
  alert.host = context_.actor.host;
  alert.sp_version = settings_.sp_version;
  raise_alert(database_, alert, run.job_id, job ? job->spec.alerts : std::vector<std::string>{});
  ++report_.alerts;
}

void Watcher::Cycle::raise_jobmanager_alerts(const std::string& url,
                                             const std::vector<std::size_t>& members) {
  std::vector<std::string> went, back;
  std::set<std::string> channels;
  for (auto index : members) {
    if (verdicts_[index].became_unreachable) went.push_back(subject_of(runs_[index]));
    if (verdicts_[index].recovered) back.push_back(subject_of(runs_[index]));
    if (verdicts_[index].became_unreachable || verdicts_[index].recovered) {
      if (auto job = store::find_job(database_, runs_[index].environment, runs_[index].job)) {
        channels.insert(job->spec.alerts.begin(), job->spec.alerts.end());
      }
    }
  }
  const auto& first = runs_[members.front()];
  const auto& error = sightings_[members.front()].jobmanager_error;
  for (const auto& [kind, jobs] :
       {std::pair{"jobmanager-unreachable", went}, std::pair{"jobmanager-recovered", back}}) {
    if (jobs.empty()) continue;
    const bool down = std::string_view(kind) == "jobmanager-unreachable";
    core::Alert alert;
    alert.kind = kind;
    alert.time_ms = start_;
    alert.cluster = first.cluster;
    alert.jobmanager = url;
    alert.state = down ? std::string(core::run_state::unreachable) : "RECOVERED";
    alert.jobs = jobs;
    if (down) alert.cause = error;
    alert.summary = down ? fmt::format("JobManager {} unreachable ({} jobs): {}", url, jobs.size(), error)
                         : fmt::format("JobManager {} answers again ({} jobs)", url, jobs.size());
    alert.host = context_.actor.host;
    alert.sp_version = settings_.sp_version;
    raise_alert(database_, alert, std::nullopt, {channels.begin(), channels.end()});
    ++report_.alerts;
    report_.notes.push_back({url, kind, alert.summary});
  }
  report_.jobmanagers_seen[url] = {first.cluster, sightings_[members.front()].jobmanager_answered};
}

// The per-run lines of the metrics file and the heartbeat `sp check` reads.
void Watcher::Cycle::write_status(std::int64_t write_start) {
  for (std::size_t index = 0; index < runs_.size(); ++index) {
    const auto& memory = watched_[index] ? verdicts_[index].memory : runs_[index].memory;
    report_.run_lines.push_back({runs_[index].environment, runs_[index].job, runs_[index].cluster,
                                 memory.state, memory.last_checkpoint_at, memory.recent_auto_restarts});
  }
  report_.write_ms = context_.clock.now_ms() - write_start; // before the heartbeat, which carries the total
  report_.duration_ms = context_.clock.now_ms() - start_;
  store::write_watch_status(database_, {.host = context_.actor.host,
                                        .pid = context_.actor.pid,
                                        .interval_ms = settings_.interval_ms,
                                        .last_cycle_at = start_,
                                        .cycle_ms = report_.duration_ms,
                                        .requests = report_.requests,
                                        .errors = report_.errors,
                                        .cycles = report_.cycle});
}

// Act, after the commit: what failed is recorded whatever happens next.
void Watcher::Cycle::act() {
  const std::int64_t deliver_start = context_.clock.now_ms();
  for (auto index : failed_runs_) {
    auto outcome = restart_failed_run(context_, runs_[index], settings_);
    if (!outcome) continue; // the job does not ask for restarts
    ++report_.alerts;
    if (outcome->restarted) ++report_.restarts;
    report_.notes.push_back({subject_of(runs_[index]), outcome->event_kind, outcome->message});
  }
  auto delivered = deliver_pending_alerts(context_, 5);
  for (const auto& error : delivered.errors) report_.notes.push_back({"alerts", "delivery-failed", error});
  report_.deliver_ms = context_.clock.now_ms() - deliver_start;
  report_.duration_ms = context_.clock.now_ms() - start_;
}

} // namespace sp::watch
