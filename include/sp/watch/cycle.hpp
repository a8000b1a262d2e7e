// One watch cycle (SPEC.md section 7): every live run's JobManager polled
// directly and concurrently (one overview per JobManager, checkpoint
// statistics of the running jobs whose next checkpoint is due), the
// verdicts written in one transaction, then alerts delivered and failed
// jobs restarted where their policy asks.
#pragma once

#include "sp/net/http.hpp"
#include "sp/ops/context.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/store/watch_state.hpp"
#include "sp/watch/judge.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::watch {

// Where a run's JobManager is now, asked after its polls failed: YARN moves
// a JobManager on failover and the ResourceManager knows where, or knows
// that the application has ended. Neither set: nothing better known than
// the recorded address.
using Relocator = std::function<ops::Whereabouts(const store::WatchedRun& run)>;

struct WatchSettings {
  WatchPolicy policy;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds restart_wait{std::chrono::seconds(60)}; // for a restarted job to reach RUNNING
  std::int64_t interval_ms = 5000;                                  // recorded for `sp check`
  std::string sp_version;
};

// A line worth showing as it happens: "prod/orders  RUNNING -> FAILED".
struct CycleNote {
  std::string subject;
  std::string kind;
  std::string message;
};

struct CycleReport {
  std::int64_t cycle = 0;
  std::int64_t started_at = 0;
  int jobmanagers = 0;
  int runs = 0;
  int requests = 0;
  int errors = 0;
  int new_points = 0;
  int alerts = 0;
  int restarts = 0;
  std::int64_t fetch_ms = 0;
  std::int64_t write_ms = 0;
  std::int64_t deliver_ms = 0;
  std::int64_t duration_ms = 0;
  std::vector<CycleNote> notes;
  // Per run, for the metrics file: what the cycle left.
  struct RunLine {
    std::string environment;
    std::string job;
    std::string cluster;
    std::string state;
    std::optional<std::int64_t> last_checkpoint_at;
    int restarts_in_window = 0;
  };
  std::vector<RunLine> run_lines;
  struct JobManagerLine {
    std::string cluster;
    bool up = false;
  };
  std::map<std::string, JobManagerLine> jobmanagers_seen; // by REST URL
};

class Watcher {
public:
  Watcher(const ops::OpsContext& context, net::ConcurrentHttp& http, WatchSettings settings,
          Relocator relocate);
  // Reads, fetches, judges, writes in one transaction, then acts (restarts,
  // alert delivery); see ARCHITECTURE.md, Watch.
  CycleReport run_cycle();

private:
  class Cycle; // one cycle's steps and what they hand each other (cycle.cpp)

  struct ClusterAccess {
    net::TlsSettings tls;
    std::optional<std::string> authorization;
    core::ClusterType type = core::ClusterType::remote;
    std::string error; // the cluster could not be loaded or rendered
  };
  const ClusterAccess& access_for(const store::WatchedRun& run);

  const ops::OpsContext& context_;
  net::ConcurrentHttp& http_;
  WatchSettings settings_;
  Relocator relocate_;
  std::int64_t cycles_ = 0;
  std::optional<std::unordered_map<std::int64_t, store::RecordedIds>> recorded_;
  std::map<std::string, ClusterAccess> clusters_; // by "environment/cluster", for the watcher's life
};

// The relocator sp uses: for YARN clusters, the ResourceManager's current
// address of the run's application (ops::resolve_jobmanager_address); other
// types have nothing better than the recorded address.
Relocator resource_manager_relocator(const ops::OpsContext& context);

} // namespace sp::watch
