#include "sp/watch/metrics.hpp"

#include "sp/core/run_state.hpp"

#include <fmt/format.h>

namespace sp::watch {

namespace {

// Label values escape backslash, double quote and newline (the format's rule).
std::string label(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\')
      escaped += "\\\\";
    else if (c == '"')
      escaped += "\\\"";
    else if (c == '\n')
      escaped += "\\n";
    else
      escaped += c;
  }
  return escaped;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

} // namespace

std::string prometheus_text(const CycleReport& report, std::int64_t now_ms, std::int64_t poll_errors_total) {
  std::string out;
  family(out, "sp_job_up", "gauge", "1 when the job's live run is RUNNING");
  for (const auto& run : report.run_lines) {
    out +=
        fmt::format("sp_job_up{{environment=\"{}\",job=\"{}\",cluster=\"{}\"}} {}\n", label(run.environment),
                    label(run.job), label(run.cluster), run.state == core::run_state::running ? 1 : 0);
  }
  family(out, "sp_job_state", "gauge", "1 for the job's current state as the last cycle saw it");
  for (const auto& run : report.run_lines) {
    out += fmt::format("sp_job_state{{environment=\"{}\",job=\"{}\",state=\"{}\"}} 1\n",
                       label(run.environment), label(run.job), label(run.state));
  }
  family(out, "sp_job_last_checkpoint_age_seconds", "gauge", "seconds since the newest completed checkpoint");
  for (const auto& run : report.run_lines) {
    if (!run.last_checkpoint_at) continue;
    out += fmt::format("sp_job_last_checkpoint_age_seconds{{environment=\"{}\",job=\"{}\"}} {:.3f}\n",
                       label(run.environment), label(run.job),
                       static_cast<double>(std::max<std::int64_t>(0, now_ms - *run.last_checkpoint_at)) /
                           1000.0);
  }
  family(out, "sp_job_restarts", "gauge", "automatic restarts by sp within the job's restart window");
  for (const auto& run : report.run_lines) {
    out += fmt::format("sp_job_restarts{{environment=\"{}\",job=\"{}\"}} {}\n", label(run.environment),
                       label(run.job), run.restarts_in_window);
  }
  family(out, "sp_jobmanager_up", "gauge", "1 when the JobManager answered the last cycle");
  for (const auto& [url, jobmanager] : report.jobmanagers_seen) {
    out += fmt::format("sp_jobmanager_up{{cluster=\"{}\",url=\"{}\"}} {}\n", label(jobmanager.cluster),
                       label(url), jobmanager.up ? 1 : 0);
  }
  family(out, "sp_watch_cycle_duration_seconds", "gauge", "duration of the last watch cycle");
  out += fmt::format("sp_watch_cycle_duration_seconds {:.3f}\n",
                     static_cast<double>(report.duration_ms) / 1000.0);
  family(out, "sp_watch_poll_errors_total", "counter",
         "failed requests to JobManagers since the watcher started");
  out += fmt::format("sp_watch_poll_errors_total {}\n", poll_errors_total);
  family(out, "sp_watch_last_cycle_timestamp_seconds", "gauge", "when the last cycle started (Unix time)");
  out += fmt::format("sp_watch_last_cycle_timestamp_seconds {:.3f}\n",
                     static_cast<double>(report.started_at) / 1000.0);
  return out;
}

} // namespace sp::watch
