// sp check [JOB...]: health for cron and monitoring from what `sp watch`
// recorded; exit 0 ok, 1 warning, 2 critical (SPEC.md section 3). Reads the
// database only, so it is cheap enough to run every minute.
#include "commands.hpp"

#include "sp/ops/context.hpp"
#include "sp/store/watch_state.hpp"
#include "sp/util/strings.hpp"
#include "sp/watch/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace sp::cli {

namespace {

int run_check(Invocation& invocation, const std::vector<std::string>& names) {
  auto database = open_existing_store(invocation);
  auto jobs = store::latest_run_per_job(database, invocation.settings.environment);
  if (!names.empty()) {
    std::vector<std::string> known;
    known.reserve(jobs.size());
    for (const auto& job : jobs) known.push_back(job.job);
    for (const auto& name : names) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        auto nearest = util::nearest(name, known);
        throw Error(ErrorKind::not_found, "checking " + name,
                    fmt::format("no job {} in environment {}", name, invocation.settings.environment),
                    nearest ? fmt::format("did you mean {}?", *nearest) : "");
      }
    }
    std::erase_if(jobs, [&](const store::JobLatestRun& job) {
      return std::find(names.begin(), names.end(), job.job) == names.end();
    });
  }
  const auto findings = watch::assess(store::read_watch_status(database), jobs, ops::system_clock().now_ms());
  Data rows = Data::array();
  for (const auto& finding : findings) {
    rows.push_back({{"subject", finding.subject},
                    {"health", std::string(watch::to_string(finding.health))},
                    {"message", finding.message}});
  }
  invocation.print({rows, {}});
  return static_cast<int>(watch::worst(findings));
}

} // namespace

void add_check_command(CLI::App& root, Action& chosen) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto* command =
      root.add_subcommand("check", "health for cron and monitoring: exit 0 ok, 1 warning, 2 critical");
  command->add_option("jobs", *names, "jobs to check (default: every job of the environment)")
      ->type_name("JOB");
  command->callback([&chosen, names] { chosen = [names](Invocation& i) { return run_check(i, *names); }; });
}

} // namespace sp::cli
