// sp watch: poll every JobManager with live runs, record what changed, alert,
// restart failed jobs that ask for it (SPEC.md section 7). The loop itself is
// in src/watch; this file turns flags into options and cycles into output.
#include "commands.hpp"
#include "job_support.hpp"
#include "stop_signals.hpp"

#include "build_info.hpp"
#include "sp/util/time.hpp"
#include "sp/watch/loop.hpp"

#include <fmt/format.h>

#include <memory>
#include <ostream>

namespace sp::cli {

namespace {

struct WatchFlags {
  std::string interval = "5s";
  bool once = false;
  std::optional<std::int64_t> cycles;
  std::optional<std::string> metrics_file;
  int unreachable_after = 3;
  std::string checkpoint_max_age = "10m";
  int keep_checkpoints = 20;
  std::string keep_events = "30d";
};

Data cycle_data(const watch::CycleReport& report) {
  Data notes = Data::array();
  for (const auto& note : report.notes) {
    notes.push_back({{"subject", note.subject}, {"kind", note.kind}, {"message", note.message}});
  }
  return Data{{"cycle", report.cycle},
              {"started_at", util::format_utc(report.started_at)},
              {"jobmanagers", report.jobmanagers},
              {"runs", report.runs},
              {"requests", report.requests},
              {"errors", report.errors},
              {"new_points", report.new_points},
              {"alerts", report.alerts},
              {"restarts", report.restarts},
              {"duration_ms", report.duration_ms},
              {"fetch_ms", report.fetch_ms},
              {"write_ms", report.write_ms},
              {"deliver_ms", report.deliver_ms},
              {"events", notes}};
}

void print_cycle(const Invocation& invocation, const watch::CycleReport& report) {
  switch (invocation.settings.output) {
  case core::OutputFormat::json:
    // One line per cycle (JSON lines), flushed, so a pipe sees each cycle as it ends.
    invocation.out << cycle_data(report).dump() << '\n' << std::flush;
    return;
  case core::OutputFormat::yaml:
    invocation.print({cycle_data(report), {}});
    return;
  case core::OutputFormat::table:
    break;
  }
  const std::string when = util::format_utc(report.started_at);
  for (const auto& note : report.notes) {
    invocation.out << fmt::format("{}  {:<28} {:<22} {}", when, note.subject, note.kind, note.message) << '\n'
                   << std::flush;
  }
  if (invocation.verbose) {
    invocation.err << fmt::format(
        "sp: watch: cycle {}: {} runs on {} JobManagers, {} requests, {} errors, {} ms "
        "(fetch {} ms, write {} ms)\n",
        report.cycle, report.runs, report.jobmanagers, report.requests, report.errors, report.duration_ms,
        report.fetch_ms, report.write_ms);
  }
}

int run_watch(Invocation& invocation, const WatchFlags& flags) {
  if (flags.unreachable_after < 1) {
    throw Error(ErrorKind::usage, "reading --unreachable-after", "it must be at least 1");
  }
  if (flags.keep_checkpoints < 1)
    throw Error(ErrorKind::usage, "reading --keep-checkpoints", "it must be at least 1");
  watch::LoopOptions options;
  options.interval = parse_wait("--interval", flags.interval);
  if (flags.once) options.cycles = 1;
  if (flags.cycles) {
    if (*flags.cycles < 1) throw Error(ErrorKind::usage, "reading --cycles", "it must be at least 1");
    options.cycles = flags.cycles;
  }
  if (flags.metrics_file) options.metrics_file = *flags.metrics_file;
  options.retention.checkpoints_per_job = flags.keep_checkpoints;
  options.retention.events_max_age_ms = parse_wait("--keep-events", flags.keep_events).count();

  watch::WatchSettings settings;
  settings.policy.unreachable_after = flags.unreachable_after;
  settings.policy.checkpoint_max_age = parse_wait("--checkpoint-max-age", flags.checkpoint_max_age);
  settings.sp_version = build_info::version;

  JobSession session(invocation);
  auto http = net::make_curl_multi(ops::transport_settings_of({}));
  StopSignals signals;
  watch::LoopHooks hooks{
      .stop_requested = [&signals] { return signals.requested(); },
      .on_cycle = [&invocation](const watch::CycleReport& report) { print_cycle(invocation, report); },
      .warn = [&invocation](const std::string& line) { invocation.note("warning: " + line); }};
  value_or_throw(watch::run_watch(session.context(), *http, settings,
                                  watch::resource_manager_relocator(session.context()), options, hooks));
  if (signals.requested()) invocation.note("watch: stopped by signal after finishing the cycle");
  return 0;
}

} // namespace

void add_watch_command(CLI::App& root, Action& chosen) {
  auto flags = std::make_shared<WatchFlags>();
  auto* command =
      root.add_subcommand("watch", "poll every JobManager, record history, alert, restart failed jobs");
  command->add_option("--interval", flags->interval, "time between cycles (default 5s)")
      ->type_name("DURATION");
  command->add_flag("--once", flags->once, "run one cycle and exit (for cron)");
  command
      ->add_option("--metrics-file", flags->metrics_file,
                   "write Prometheus text metrics here after each cycle")
      ->type_name("PATH");
  command
      ->add_option("--unreachable-after", flags->unreachable_after,
                   "failed polls in a row before a JobManager's runs are UNREACHABLE (default 3)")
      ->type_name("N");
  command
      ->add_option("--checkpoint-max-age", flags->checkpoint_max_age,
                   "alert when a running job has no completed checkpoint for this long (default 10m)")
      ->type_name("DURATION");
  command
      ->add_option("--keep-checkpoints", flags->keep_checkpoints,
                   "checkpoints kept per job by retention; savepoints are always kept (default 20)")
      ->type_name("N");
  command
      ->add_option("--keep-events", flags->keep_events,
                   "events and alerts older than this are pruned (default 30d)")
      ->type_name("DURATION");
  // For benchmarks and tests: a fixed number of cycles back to back.
  command->add_option("--cycles", flags->cycles, "stop after N cycles")->type_name("N")->group("");
  command->callback([&chosen, flags] { chosen = [flags](Invocation& i) { return run_watch(i, *flags); }; });
}

} // namespace sp::cli
