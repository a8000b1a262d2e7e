#include "job_support.hpp"

#include "sp/store/store.hpp"
#include "sp/util/system.hpp"
#include "sp/util/time.hpp"

#include <cerrno>
#include <signal.h>
#include <unistd.h>

#include <ostream>

namespace sp::cli {

namespace {

std::string action_name(core::RestoreDecision::Action action) {
  switch (action) {
  case core::RestoreDecision::Action::restore:
    return "restore";
  case core::RestoreDecision::Action::start_fresh:
    return "start-fresh";
  case core::RestoreDecision::Action::refuse:
    return "refuse";
  case core::RestoreDecision::Action::cannot_check:
    return "cannot-check";
  }
  return "refuse";
}

std::string verdict_name(core::CandidateOutcome::Verdict verdict) {
  switch (verdict) {
  case core::CandidateOutcome::Verdict::chosen:
    return "chosen";
  case core::CandidateOutcome::Verdict::skipped:
    return "skipped";
  case core::CandidateOutcome::Verdict::invalid:
    return "invalid";
  case core::CandidateOutcome::Verdict::not_tried:
    return "not-tried";
  }
  return "not-tried";
}

// Waits (for RUNNING, for a savepoint) sleep through this clock: on a
// terminal the progress line's elapsed time moves while they do.
ops::Clock ticking_clock(const std::shared_ptr<ProgressDisplay>& display) {
  auto clock = ops::system_clock();
  if (!display || !display->live()) return clock;
  clock.sleep = [display, sleep = clock.sleep](std::chrono::milliseconds duration) {
    constexpr std::chrono::milliseconds step{200};
    for (; duration > step; duration -= step) {
      sleep(step);
      display->tick();
    }
    sleep(duration);
    display->tick();
  };
  return clock;
}

// SPEC 14: SP_SQL_RUNNER_DIR, then beside the binary as installed
// (<prefix>/bin/sp → <prefix>/share/sp/sql-runner), which is also where a
// build tree puts them (<build>/src/sp → <build>/share/sp/sql-runner).
std::vector<std::filesystem::path> sql_runner_dirs(const util::EnvLookup& env) {
  std::vector<std::filesystem::path> dirs;
  if (auto configured = env("SP_SQL_RUNNER_DIR"); configured && !configured->empty())
    dirs.emplace_back(*configured);
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error)
    dirs.push_back((executable.parent_path() / ".." / "share" / "sp" / "sql-runner").lexically_normal());
  return dirs;
}

} // namespace

ops::OpsContext real_ops_context(const Invocation& invocation, store::Database& database) {
  return {
      .database = database,
      .make_transport =
          [](const net::TransportSettings& settings) { return net::make_curl_transport(settings); },
      .clock = ticking_clock(invocation.display),
      .env = invocation.env,
      .actor = {util::current_user(), util::host_name(), static_cast<std::int64_t>(::getpid())},
      .pid_alive = [](std::int64_t pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; },
      .progress = [display = invocation.display](const std::string& line) { display->phase("sp: " + line); },
      .make_process_runner = [] { return build::make_process_runner(); },
      .make_mail_transport =
          [](const net::TransportSettings& settings) { return net::make_curl_mail_transport(settings); },
      .progress_detail = [display = invocation.display](const std::string& text) { display->detail(text); },
      .sql_runner_dirs = sql_runner_dirs(invocation.env),
      .workspace_dir = store::HomeLayout{invocation.settings.home}.workspace()};
}

JobSession::JobSession(const Invocation& invocation)
    : database_(open_store_for_writing(invocation)), context_(real_ops_context(invocation, database_)) {}

ops::LoadedJob load_job_or_throw(JobSession& session, const Invocation& invocation, const std::string& name) {
  return value_or_throw(
      ops::load_job(session.database(), invocation.settings.environment, name, invocation.env));
}

std::chrono::milliseconds parse_wait(const std::string& flag, const std::string& text) {
  auto parsed = util::parse_duration(text);
  if (!parsed)
    throw Error(ErrorKind::usage, "reading " + flag, parsed.error().why(),
                "use a duration such as 90s or 2m");
  return *parsed;
}

Data time_data(std::optional<std::int64_t> ms) {
  if (!ms) return Data();
  return util::format_utc(*ms);
}

Data decision_data(const core::RestoreDecision& decision) {
  Data data = Data::object();
  data["action"] = action_name(decision.action);
  data["reason"] = decision.reason;
  if (decision.chosen) {
    data["restore_from"] = {
        {"kind", core::to_string(decision.chosen->kind)},
        {"path", decision.chosen->path},
        {"completed_at", decision.chosen->id != 0 ? time_data(decision.chosen->completion_ms) : Data()},
        {"unverified", decision.unverified}};
  } else {
    data["restore_from"] = nullptr;
  }
  Data candidates = Data::array();
  for (const auto& candidate : decision.candidates) {
    candidates.push_back(
        {{"kind", core::to_string(candidate.point.kind)},
         {"completed_at", candidate.point.id != 0 ? time_data(candidate.point.completion_ms) : Data()},
         {"verdict", verdict_name(candidate.verdict)},
         {"path", candidate.point.path},
         {"reason", candidate.reason}});
  }
  data["candidates"] = std::move(candidates);
  return data;
}

} // namespace sp::cli
