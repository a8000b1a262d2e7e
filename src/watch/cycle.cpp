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

// Everything one cycle learns before it writes.
struct Sightings {
  std::vector<RunSighting> runs;
  std::vector<bool> watched; // false: nothing to ask Flink yet (no job id)
  std::map<std::string, std::vector<std::size_t>> by_jobmanager;
  std::map<std::size_t, std::string> causes; // run index → first line of the root exception
};

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
    try {
      access.authorization = ops::cluster_authorization(context_, *cluster);
    } catch (const Error& error) {
      access.error = error.what();
    }
  }
  return clusters_.emplace(key, std::move(access)).first->second;
}

CycleReport Watcher::run_cycle() {
  CycleReport report;
  report.cycle = ++cycles_;
  const std::int64_t start = context_.clock.now_ms();
  report.started_at = start;
  auto& database = context_.database;
  const auto& policy = settings_.policy;
  clusters_.clear(); // cluster settings may have changed since the last cycle

  auto runs = store::watched_runs(database, start - policy.restart_alert_window.count());
  if (!recorded_) recorded_ = store::recorded_point_ids(database);
  report.runs = static_cast<int>(runs.size());

  Sightings seen;
  seen.runs.resize(runs.size());
  seen.watched.assign(runs.size(), false);
  for (std::size_t index = 0; index < runs.size(); ++index) {
    if (!runs[index].flink_job_id) continue;
    seen.watched[index] = true;
    seen.by_jobmanager[runs[index].rest_url].push_back(index);
  }
  report.jobmanagers = static_cast<int>(seen.by_jobmanager.size());

  const net::Timeouts timeouts{settings_.connect_timeout, settings_.request_timeout};
  auto request_to = [&](const std::string& url, const ClusterAccess& access) {
    ++report.requests;
    net::HttpRequest request;
    request.url = url;
    request.authorization = access.authorization;
    request.timeouts = timeouts;
    return request;
  };

  // One overview per JobManager; as soon as it arrives, the checkpoint
  // statistics of its running jobs are asked for on the same connections.
  for (const auto& [url, members] : seen.by_jobmanager) {
    const ClusterAccess& access = access_for(runs[members.front()]);
    if (!access.error.empty()) {
      for (auto index : members) seen.runs[index].jobmanager_error = access.error;
      ++report.errors;
      continue;
    }
    const std::vector<std::size_t>* group = &members;
    const std::string base = url;
    const net::TlsSettings tls = access.tls;
    const ClusterAccess* cluster = &access; // clusters_ is a std::map: the entry stays put
    http_.add(request_to(base + "/jobs/overview", access), tls, [&, group, base, tls, cluster](Result<net::HttpResponse> answer) {
      auto body = answer_body(std::move(answer));
      auto jobs = body ? flink::parse_jobs_overview(*body) : Result<std::vector<flink::JobOverview>>(std::unexpected(body.error()));
      if (!jobs) {
        ++report.errors;
        for (auto index : *group) seen.runs[index].jobmanager_error = jobs.error().why();
        return;
      }
      std::unordered_map<std::string_view, const flink::JobOverview*> listed;
      for (const auto& job : *jobs) listed.emplace(job.id, &job);
      for (auto index : *group) {
        auto& sighting = seen.runs[index];
        sighting.jobmanager_answered = true;
        auto found = listed.find(*runs[index].flink_job_id);
        if (found == listed.end()) continue;
        sighting.job = *found->second;
        if (found->second->state != core::run_state::running) continue;
        http_.add(request_to(base + "/jobs/" + *runs[index].flink_job_id + "/checkpoints", *cluster), tls,
                  [&, index](Result<net::HttpResponse> checkpoint_answer) {
                    auto checkpoint_body = answer_body(std::move(checkpoint_answer));
                    auto stats = checkpoint_body ? flink::parse_checkpoints(*checkpoint_body, flink::CheckpointDetail::latest_only)
                                                 : Result<flink::CheckpointStats>(std::unexpected(checkpoint_body.error()));
                    if (!stats) {
                      ++report.errors; // the job's state is known; only its checkpoints are not, this time
                      return;
                    }
                    seen.runs[index].checkpoints = std::move(*stats);
                  });
      }
    });
  }
  http_.run();

  std::vector<RunVerdict> verdicts(runs.size());
  for (std::size_t index = 0; index < runs.size(); ++index) {
    if (seen.watched[index]) verdicts[index] = judge_run(runs[index].memory, seen.runs[index], policy, start);
  }

  // Why a job failed, for its alert: one small request per newly failed job.
  for (std::size_t index = 0; index < runs.size(); ++index) {
    if (!verdicts[index].failed || verdicts[index].memory.state != core::run_state::failed) continue;
    const ClusterAccess& access = access_for(runs[index]);
    if (!access.error.empty()) continue;
    http_.add(request_to(runs[index].rest_url + "/jobs/" + *runs[index].flink_job_id + "/exceptions", access),
              access.tls, [&, index](Result<net::HttpResponse> answer) {
                auto body = answer_body(std::move(answer));
                if (!body) return;
                if (auto cause = flink::parse_root_cause(*body)) seen.causes[index] = *cause;
              });
  }
  http_.run();

  // A JobManager that stopped answering may have moved (YARN failover):
  // ask where it is now, before writing.
  std::map<std::string, std::string> moved;
  if (relocate_) {
    for (const auto& [url, members] : seen.by_jobmanager) {
      const auto& first = runs[members.front()];
      if (seen.runs[members.front()].jobmanager_answered) continue;
      if (auto now_at = relocate_(first); now_at && *now_at != url) moved[url] = *now_at;
    }
  }
  report.fetch_ms = context_.clock.now_ms() - start;

  const std::int64_t write_start = context_.clock.now_ms();
  std::vector<std::size_t> failed_runs;
  {
    store::Transaction transaction(database);
    store::CycleWriter writer(database);
    auto note = [&](const store::WatchedRun& run, const std::string& kind, const std::string& message) {
      store::record_event(database, {.time_ms = start,
                                     .job_id = run.job_id,
                                     .subject_kind = "job",
                                     .subject = subject_of(run),
                                     .kind = kind,
                                     .actor = context_.actor.owner,
                                     .host = context_.actor.host,
                                     .message = message});
      report.notes.push_back({subject_of(run), kind, message});
    };
    auto job_alert = [&](const store::WatchedRun& run, const std::string& kind, const RunVerdict& verdict,
                         std::optional<std::string> cause, const std::string& summary) {
      auto job = store::find_job(database, run.environment, run.job);
      core::Alert alert;
      alert.kind = kind;
      alert.time_ms = start;
      alert.environment = run.environment;
      alert.job = run.job;
      alert.owner = job && job->metadata.owner ? *job->metadata.owner : "";
      alert.cluster = run.cluster;
      alert.jobmanager = run.rest_url;
      alert.state = verdict.memory.state;
      alert.cause = std::move(cause);
      alert.restore_point = newest_restore_point(database, run.job_id);
      alert.summary = summary;
      alert.host = context_.actor.host;
      alert.sp_version = settings_.sp_version;
      raise_alert(database, alert, run.job_id, job ? job->spec.alerts : std::vector<std::string>{});
      ++report.alerts;
    };

    for (std::size_t index = 0; index < runs.size(); ++index) {
      if (!seen.watched[index]) continue;
      const auto& run = runs[index];
      const auto& verdict = verdicts[index];
      auto& recorded = (*recorded_)[run.run_id];
      if (const auto& stats = seen.runs[index].checkpoints) {
        if (stats->latest_completed && stats->latest_completed->id > recorded.checkpoint) {
          if (writer.record_checkpoint(run.job_id, run.run_id, *stats->latest_completed, start)) ++report.new_points;
          recorded.checkpoint = stats->latest_completed->id;
        }
        if (stats->latest_savepoint && stats->latest_savepoint->id > recorded.savepoint &&
            stats->latest_savepoint->external_path && stats->latest_savepoint->status == "COMPLETED") {
          const auto& savepoint = *stats->latest_savepoint;
          auto point = store::record_restore_point(database, {.job_id = run.job_id,
                                                              .run_id = run.run_id,
                                                              .kind = core::PointKind::savepoint,
                                                              .flink_checkpoint_id = savepoint.id,
                                                              .path = *savepoint.external_path,
                                                              .trigger_time = savepoint.trigger_time_ms,
                                                              .completion_time =
                                                                  savepoint.completion_time_ms.value_or(start),
                                                              .size_bytes = savepoint.size_bytes,
                                                              .recorded_at = start});
          if (point.created) ++report.new_points;
          recorded.savepoint = savepoint.id;
        }
      }
      if (verdict.changed) writer.update_run(run.run_id, verdict.memory);
      for (const auto& event : verdict.events) note(run, event.kind, event.message);
      if (verdict.end_state) store::end_run(database, run.run_id, *verdict.end_state, start);
      for (const auto& kind : verdict.alerts) {
        std::optional<std::string> cause;
        if (auto found = seen.causes.find(index); found != seen.causes.end()) cause = found->second;
        const std::string summary =
            verdict.events.empty() ? fmt::format("{} {}", subject_of(run), kind)
                                   : fmt::format("{} {}: {}", subject_of(run), verdict.memory.state,
                                                 cause ? *cause : verdict.events.back().message);
        job_alert(run, kind, verdict, cause, summary);
      }
      if (verdict.failed) failed_runs.push_back(index);
    }

    // JobManager-level transitions: one alert per JobManager, naming its jobs.
    for (const auto& [url, members] : seen.by_jobmanager) {
      std::vector<std::string> went, back;
      std::set<std::string> channels;
      for (auto index : members) {
        if (verdicts[index].became_unreachable) went.push_back(subject_of(runs[index]));
        if (verdicts[index].recovered) back.push_back(subject_of(runs[index]));
        if (verdicts[index].became_unreachable || verdicts[index].recovered) {
          if (auto job = store::find_job(database, runs[index].environment, runs[index].job)) {
            channels.insert(job->spec.alerts.begin(), job->spec.alerts.end());
          }
        }
      }
      for (const auto& [kind, jobs] : {std::pair{"jobmanager-unreachable", went}, std::pair{"jobmanager-recovered", back}}) {
        if (jobs.empty()) continue;
        const bool down = std::string_view(kind) == "jobmanager-unreachable";
        core::Alert alert;
        alert.kind = kind;
        alert.time_ms = start;
        alert.cluster = runs[members.front()].cluster;
        alert.jobmanager = url;
        alert.state = down ? std::string(core::run_state::unreachable) : "RECOVERED";
        alert.jobs = jobs;
        if (down) alert.cause = seen.runs[members.front()].jobmanager_error;
        alert.summary = down ? fmt::format("JobManager {} unreachable ({} jobs): {}", url, jobs.size(),
                                           seen.runs[members.front()].jobmanager_error)
                             : fmt::format("JobManager {} answers again ({} jobs)", url, jobs.size());
        alert.host = context_.actor.host;
        alert.sp_version = settings_.sp_version;
        raise_alert(database, alert, std::nullopt, {channels.begin(), channels.end()});
        ++report.alerts;
        report.notes.push_back({url, kind, alert.summary});
      }
      report.jobmanagers_seen[url] = {runs[members.front()].cluster, seen.runs[members.front()].jobmanager_answered};
    }

    for (const auto& [from, to] : moved) {
      store::relocate_live_runs(database, from, to);
      report.notes.push_back({from, "relocated", "the JobManager is now at " + to});
    }

    for (std::size_t index = 0; index < runs.size(); ++index) {
      const auto& memory = seen.watched[index] ? verdicts[index].memory : runs[index].memory;
      report.run_lines.push_back({runs[index].environment, runs[index].job, runs[index].cluster, memory.state,
                                  memory.last_checkpoint_at, memory.recent_auto_restarts});
    }
    report.write_ms = context_.clock.now_ms() - write_start; // before the heartbeat, which carries the total
    report.duration_ms = context_.clock.now_ms() - start;
    store::write_watch_status(database, {.host = context_.actor.host,
                                         .pid = context_.actor.pid,
                                         .interval_ms = settings_.interval_ms,
                                         .last_cycle_at = start,
                                         .cycle_ms = report.duration_ms,
                                         .requests = report.requests,
                                         .errors = report.errors,
                                         .cycles = report.cycle});
    transaction.commit();
  }

  // After the commit: what failed is recorded whatever happens next.
  const std::int64_t deliver_start = context_.clock.now_ms();
  for (auto index : failed_runs) {
    auto outcome = restart_failed_run(context_, runs[index], settings_);
    if (!outcome) continue; // the job does not ask for restarts
    ++report.alerts;
    if (outcome->restarted) ++report.restarts;
    report.notes.push_back({subject_of(runs[index]), outcome->event_kind, outcome->message});
  }
  auto delivered = deliver_pending_alerts(context_, 5);
  for (const auto& error : delivered.errors) report.notes.push_back({"alerts", "delivery-failed", error});
  report.deliver_ms = context_.clock.now_ms() - deliver_start;
  report.duration_ms = context_.clock.now_ms() - start;
  return report;
}

} // namespace sp::watch
