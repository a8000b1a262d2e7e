// Running a build command: argv without a shell, in its own process group,
// with a timeout that ends the whole group. An interface so the build logic
// can be tested with a fake runner.
#pragma once

#include "sp/util/error.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::build {

struct ProcessRequest {
  std::vector<std::string> argv; // argv[0] is looked up on PATH
  std::filesystem::path working_directory;
  std::chrono::milliseconds timeout{0};
  // Between SIGTERM and SIGKILL, so Maven can tidy up when it is asked to stop.
  std::chrono::milliseconds kill_grace{5000};
  // Receives stdout and stderr, interleaved as written, chunk by chunk.
  std::function<void(std::string_view)> on_output;
  // Written to the child's stdin through a pipe, which is then closed; unset
  // means /dev/null. A child that exits or closes stdin without reading it
  // all is not an error: the rest is dropped.
  std::optional<std::string> input;
  // Become the child subreaper for this run only, so orphans the command
  // leaves are reaped by sp even where init reaps nothing. For builds, in a
  // short-lived sp: an orphan still running when the run ends stays sp's
  // child, so a long-lived sp (watch, alert commands) must not ask.
  bool adopt_orphans = false;
  // Asked about every 100 ms while the command runs; false ends its process
  // group as a timeout would (SIGTERM, then SIGKILL after the grace), for a
  // caller that watches something the command waits on.
  std::function<bool()> keep_going;
};

struct ProcessResult {
  enum class Ending {
    exited,      // ran to its end; see exit_code
    signaled,    // killed by a signal it did not get from us
    timed_out,   // we ended its process group at the timeout
    interrupted, // we ended it because sp got SIGINT, SIGTERM or SIGHUP
    stopped,     // we ended it because the request's keep_going said so
  };
  Ending ending = Ending::exited;
  int exit_code = -1; // for `exited`
  int signal = 0;     // for `signaled`
  std::int64_t pid = 0;
  std::chrono::milliseconds elapsed{0};
};

// "exited with code 1", "timed out after 2s; its process group was killed", ...
std::string describe(const ProcessResult& result, std::chrono::milliseconds timeout);

class ProcessRunner {
public:
  virtual ~ProcessRunner() = default;
  // Runs to the end (or the timeout). An error only when the process could
  // not be started at all (program not found, bad directory): external.
  virtual Result<ProcessResult> run(const ProcessRequest& request) = 0;
};

// fork/execvp. The child gets the request's input (else /dev/null) as
// stdin, its own process group, and SIGTERM if sp dies first. When the command ends, anything it left running
// in its group is ended too, so no build process outlives its build.
// sp is a child subreaper only during runs that set `adopt_orphans`.
std::unique_ptr<ProcessRunner> make_process_runner();

} // namespace sp::build
