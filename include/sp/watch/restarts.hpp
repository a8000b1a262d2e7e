// restart.onFailure (SPEC.md section 7): a job the watch loop found FAILED
// (or LOST) is started again through exactly the restore rules of
// `sp job start`, at most maxRestarts times per window; past that it alerts
// once and leaves the job alone.
#pragma once

#include "sp/ops/context.hpp"
#include "sp/store/watch_state.hpp"
#include "sp/watch/cycle.hpp"

#include <optional>
#include <string>

namespace sp::watch {

struct RestartOutcome {
  bool restarted = false;
  std::string event_kind; // store::auto_restart_event, _failed_event or _refused_event
  std::string message;
};

// nullopt when the job does not ask to be restarted. Otherwise the attempt
// (or the refusal) is recorded as an event and an alert.
std::optional<RestartOutcome> restart_failed_run(const ops::OpsContext& context, const store::WatchedRun& run,
                                                 const WatchSettings& settings);

} // namespace sp::watch
