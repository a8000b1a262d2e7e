// sp project build | builds | log: running builds and reading their records.
#include "commands.hpp"
#include "project_views.hpp"

#include "sp/build/build_log.hpp"
#include "sp/build/project_build.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/progress.hpp"
#include "sp/util/system.hpp"

#include <fmt/format.h>

#include <fstream>
#include <ostream>

namespace sp::cli {

namespace {

constexpr std::size_t failed_log_lines = 25;

struct BuildOptions {
  std::string name;
  std::optional<std::string> ref;
  bool follow = false;
};

struct LogOptions {
  std::string name;
  std::optional<std::int64_t> build;
};

store::ProjectRow require_project(store::Database& database, const std::string& name,
                                  const std::string& doing) {
  auto project = store::find_project(database, name);
  if (!project)
    throw Error(ErrorKind::not_found, doing, "there is no project '" + name + "'", "see `sp project list`");
  return std::move(*project);
}

int run_build(Invocation& invocation, const BuildOptions& options) {
  auto database = open_store_for_writing(invocation);
  build::GitLibrary git; // only this command pays for libgit2's setup
  auto fetcher = build::make_git_fetcher(git);
  auto runner = build::make_process_runner();
  std::ostream& err = invocation.err;
  ProgressDisplay& display = *invocation.display;
  // --follow streams the build's output to stderr, which a rewritten line would garble.
  const bool live = display.live() && !options.follow;

  build::BuildServices services{
      .database = database,
      .home = invocation.home(),
      .fetcher = *fetcher,
      .runner = *runner,
      .env = invocation.env,
      .builder = {util::current_user(), util::host_name(), util::current_pid()},
      .now_ms = util::now_ms,
      .pid_alive = util::process_alive,
      .note =
          [&display, &err, live, progress = invocation.progress](const std::string& line) {
            if (live) {
              display.phase(line);
            } else if (progress) {
              err << line << '\n' << std::flush;
            }
          },
      .warn = [&invocation](const std::string& line) { invocation.note(line); },
      .follow = {},
      .transfer_progress = {},
  };
  // --follow is an explicit request, so the output is shown even in a pipe;
  // it goes to stderr so that stdout stays the build record for scripts.
  if (options.follow) services.follow = [&err](std::string_view chunk) { err << chunk << std::flush; };
  if (live) {
    services.transfer_progress = [&display](const build::TransferProgress& p) {
      const unsigned percent = p.total_objects == 0 ? 100 : p.received_objects * 100 / p.total_objects;
      display.detail(fmt::format("receiving objects {}% ({}/{}), {}", percent, p.received_objects,
                                 p.total_objects, util::human_bytes(p.received_bytes)));
    };
    // The build's newest output line, as a sign of life beside the elapsed time.
    services.follow = [&display, last = util::LastLine()](std::string_view chunk) mutable {
      if (auto line = last.feed(chunk)) {
        display.detail(*line);
      } else {
        display.tick();
      }
    };
  }

  auto outcome = value_or_throw(build::build_project(services, {options.name, options.ref}));
  if (outcome.error) {
    // The command's own words say why it failed; they are in the log's last lines.
    if (!options.follow && outcome.build.checked_out_at) {
      display.end_line();
      err << "last lines of " << outcome.build.log_path << ":\n";
      for (const auto& line : build::tail_lines(outcome.build.log_path, failed_log_lines))
        err << "  " << line << '\n';
    }
    throw *outcome.error;
  }
  invocation.print({build_record(options.name, outcome.build), {}});
  return 0;
}

int run_builds(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto project = require_project(database, name, "listing builds of " + name);
  auto builds = store::list_builds(database, project.id);
  store::apply_liveness(database, name, builds, util::host_name(), util::now_ms(), util::process_alive);
  invocation.print(builds_view(name, builds));
  return 0;
}

// The raw log on stdout: it is the result here, and `| less` or `| grep` work.
int run_log(Invocation& invocation, const LogOptions& options) {
  const std::string doing = "showing the build log of " + options.name;
  auto database = open_existing_store(invocation);
  const auto project = require_project(database, options.name, doing);
  const auto build = options.build ? store::find_build(database, project.id, *options.build)
                                   : store::latest_build(database, project.id);
  if (!build) {
    throw Error(ErrorKind::not_found, doing,
                options.build ? fmt::format("project {} has no build {}", options.name, *options.build)
                              : "the project has not been built yet",
                "see `sp project builds " + options.name + "`");
  }
  std::ifstream log(build->log_path, std::ios::binary);
  if (!log) throw Error(ErrorKind::not_found, doing, "the log file " + build->log_path + " is gone");
  invocation.out << log.rdbuf();
  invocation.out.flush();
  return 0;
}

} // namespace

void add_project_build_commands(CLI::App& project, Action& chosen) {
  auto build_options = std::make_shared<BuildOptions>();
  auto* build = project.add_subcommand(
      "build",
      "fetch the project, run its build command and store the artifact (exit 6 when the build fails)");
  build->add_option("name", build_options->name, "the project's name")->required();
  build->add_option("--ref", build_options->ref,
                    "build this branch, tag or commit instead of the project's ref");
  build->add_flag("--follow", build_options->follow, "stream the build's output to stderr as it runs");
  build->callback([&chosen, build_options] {
    chosen = [build_options](Invocation& inv) { return run_build(inv, *build_options); };
  });

  auto builds_name = std::make_shared<std::string>();
  auto* builds = project.add_subcommand("builds", "a project's builds, newest first");
  builds->add_option("name", *builds_name, "the project's name")->required();
  builds->callback([&chosen, builds_name] {
    chosen = [builds_name](Invocation& inv) { return run_builds(inv, *builds_name); };
  });

  auto log_options = std::make_shared<LogOptions>();
  auto* log = project.add_subcommand("log", "a build's log (default: the latest build)");
  log->add_option("name", log_options->name, "the project's name")->required();
  log->add_option("build", log_options->build, "the build id");
  log->callback([&chosen, log_options] {
    chosen = [log_options](Invocation& inv) { return run_log(inv, *log_options); };
  });
}

} // namespace sp::cli
