// The real runner on tiny shell commands: fast, and the only way to see
// process groups and signals behave.
#include "sp/build/process.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <fstream>
#include <thread>

using namespace std::chrono_literals;
using sp::build::ProcessRequest;
using sp::build::ProcessResult;

namespace {

struct Run {
  ProcessResult result;
  std::string output;
};

Run run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 10s,
        std::filesystem::path directory = std::filesystem::temp_directory_path()) {
  auto runner = sp::build::make_process_runner();
  Run out;
  // As builds run: what the command leaves is reaped by the runner, so the
  // checks below do not depend on how the machine's init reaps orphans.
  auto result = runner->run({.argv = std::move(argv),
                             .working_directory = std::move(directory),
                             .timeout = timeout,
                             .kill_grace = 300ms,
                             .on_output = [&out](std::string_view chunk) { out.output += chunk; },
                             .adopt_orphans = true});
  REQUIRE(result.has_value());
  out.result = *result;
  return out;
}

bool pid_exists(const std::string& pid_file) {
  std::ifstream in(pid_file);
  long pid = 0;
  in >> pid;
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

} // namespace

TEST_CASE("output and exit code come back, stdout and stderr together", "[build][process]") {
  auto ok = run({"sh", "-c", "echo out; echo err >&2; exit 0"});
  CHECK(ok.result.ending == ProcessResult::Ending::exited);
  CHECK(ok.result.exit_code == 0);
  CHECK(ok.output.find("out\n") != std::string::npos);
  CHECK(ok.output.find("err\n") != std::string::npos);

  auto failed = run({"sh", "-c", "exit 3"});
  CHECK(failed.result.ending == ProcessResult::Ending::exited);
  CHECK(failed.result.exit_code == 3);
  CHECK(sp::build::describe(failed.result, 1s) == "exited with code 3");
}

TEST_CASE("arguments are passed as they are, with no shell in between", "[build][process]") {
  auto echoed = run({"printf", "%s|", "a b", "$HOME", "*"});
  CHECK(echoed.output == "a b|$HOME|*|");
}

TEST_CASE("the command runs in the working directory with stdin closed", "[build][process]") {
  sp::test::TempDir dir;
  auto where = run({"sh", "-c", "pwd; cat; echo end"}, 10s, dir.path());
  CHECK(where.output == std::filesystem::canonical(dir.path()).string() + "\nend\n");
}

TEST_CASE("a missing program or directory is an external error, not a crash", "[build][process]") {
  auto runner = sp::build::make_process_runner();
  auto missing = runner->run({.argv = {"no-such-program-sp-test"}, .working_directory = "/", .timeout = 5s});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().kind() == sp::ErrorKind::external);
  CHECK(missing.error().hint().find("PATH") != std::string::npos);

  auto bad_dir = runner->run({.argv = {"true"}, .working_directory = "/no/such/dir", .timeout = 5s});
  REQUIRE_FALSE(bad_dir.has_value());
  CHECK(std::string(bad_dir.error().what()).find("/no/such/dir") != std::string::npos);
}

TEST_CASE("the timeout ends the whole process group", "[build][process]") {
  sp::test::TempDir dir;
  const std::string pid_file = (dir / "child.pid").string();
  const auto started = std::chrono::steady_clock::now();
  // The background sleep is a grandchild: only killing the group reaches it.
  auto slow = run({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; sleep 30"}, 500ms);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(slow.result.ending == ProcessResult::Ending::timed_out);
  CHECK(sp::build::describe(slow.result, 500ms).find("timed out after 500ms") != std::string::npos);
  CHECK_FALSE(pid_exists(pid_file));
}

TEST_CASE("keep_going saying no ends the group as a timeout would, and says it was sp", "[build][process]") {
  auto runner = sp::build::make_process_runner();
  std::string output;
  int asked = 0;
  // Stops once the command has said something: a caller watching what it waits on.
  auto result = runner->run({.argv = {"sh", "-c", "echo waiting; sleep 30"},
                             .working_directory = std::filesystem::temp_directory_path(),
                             .timeout = 20s,
                             .kill_grace = 300ms,
                             .on_output = [&](std::string_view chunk) { output += chunk; },
                             .keep_going = [&] { return ++asked, output.empty(); }});
  REQUIRE(result.has_value());
  CHECK(output == "waiting\n");
  CHECK(asked >= 1);
  CHECK(result->ending == ProcessResult::Ending::stopped);
  CHECK(result->elapsed < 5s);
  CHECK(sp::build::describe(*result, 20s) == "was ended by sp; its process group was ended");
}

TEST_CASE("a process that ignores SIGTERM is killed after the grace period", "[build][process]") {
  // exec: the shell that ignores TERM is the process whose ending is reported.
  auto stubborn = run({"sh", "-c", "trap '' TERM; exec sleep 30"}, 300ms);
  CHECK(stubborn.result.ending == ProcessResult::Ending::timed_out);
  CHECK(stubborn.result.signal == SIGKILL);
  // The timeout (300 ms) plus the grace (300 ms), and not the 30 s sleep.
  CHECK(stubborn.result.elapsed >= 550ms);
  CHECK(stubborn.result.elapsed < 5s);
}

TEST_CASE("sp is a child subreaper only during a run that adopts orphans, and reaps them",
          "[build][process]") {
  const auto subreaper = [] {
    int flag = -1;
    REQUIRE(::prctl(PR_GET_CHILD_SUBREAPER, &flag) == 0);
    return flag;
  };
  auto runner = sp::build::make_process_runner();
  auto plain = runner->run({.argv = {"true"}, .working_directory = "/", .timeout = 10s});
  REQUIRE(plain.has_value());
  CHECK(subreaper() == 0);

  // A daemon that leaves the group and has ended by the time the command
  // does: adopted by sp, never reaped by the run loop (not in the group).
  auto adopted = runner->run({.argv = {"sh", "-c", "setsid sh -c 'exit 0' & sleep 0.3"},
                              .working_directory = std::filesystem::temp_directory_path(),
                              .timeout = 10s,
                              .adopt_orphans = true});
  REQUIRE(adopted.has_value());
  CHECK(adopted->exit_code == 0);
  CHECK(subreaper() == 0);
  errno = 0;
  CHECK(::waitpid(-1, nullptr, WNOHANG) == -1); // no child left, not even a zombie
  CHECK(errno == ECHILD);
}

TEST_CASE("what a finished command leaves running in its group is ended", "[build][process]") {
  sp::test::TempDir dir;
  const std::string pid_file = (dir / "left.pid").string();
  const auto started = std::chrono::steady_clock::now();
  auto quick = run({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; echo done"});
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(quick.result.exit_code == 0);
  CHECK(quick.output == "done\n");
  CHECK_FALSE(pid_exists(pid_file));
}

TEST_CASE("SIGINT to sp ends the build's group and reports an interruption", "[build][process]") {
  // The command's first output proves the runner is in its loop with its
  // handler installed: SIGINT is sent then, not after a guessed delay.
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  std::thread interrupter([&ready] {
    char byte = 0;
    if (::read(ready[0], &byte, 1) == 1) ::kill(::getpid(), SIGINT);
  });
  auto runner = sp::build::make_process_runner();
  const auto started = std::chrono::steady_clock::now();
  auto interrupted = runner->run({.argv = {"sh", "-c", "echo ready; exec sleep 30"},
                                  .working_directory = std::filesystem::temp_directory_path(),
                                  .timeout = 20s,
                                  .kill_grace = 300ms,
                                  .on_output = [&ready](std::string_view) {
                                    if (ready[1] < 0) return;
                                    (void)!::write(ready[1], "r", 1);
                                    ::close(ready[1]);
                                    ready[1] = -1;
                                  }});
  if (ready[1] >= 0) ::close(ready[1]); // no output: the interrupter reads end of file and stops
  interrupter.join();
  ::close(ready[0]);
  REQUIRE(interrupted.has_value());
  CHECK(interrupted->ending == ProcessResult::Ending::interrupted);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
}

namespace {

Run run_with_input(std::vector<std::string> argv, std::string input,
                   std::chrono::milliseconds timeout = 10s) {
  auto runner = sp::build::make_process_runner();
  Run out;
  auto result = runner->run({.argv = std::move(argv),
                             .working_directory = std::filesystem::temp_directory_path(),
                             .timeout = timeout,
                             .kill_grace = 300ms,
                             .on_output = [&out](std::string_view chunk) { out.output += chunk; },
                             .input = std::move(input)});
  REQUIRE(result.has_value());
  out.result = *result;
  return out;
}

} // namespace

TEST_CASE("the input reaches the command's stdin, then end of file", "[build][process]") {
  auto echoed = run_with_input({"sh", "-c", "cat; echo end"}, "{\"kind\":\"test\"}\n");
  CHECK(echoed.result.exit_code == 0);
  CHECK(echoed.output == "{\"kind\":\"test\"}\nend\n");

  auto empty = run_with_input({"sh", "-c", "cat; echo end"}, "");
  CHECK(empty.output == "end\n");
}

TEST_CASE("input and output larger than a pipe flow both ways without deadlock", "[build][process]") {
  // cat writes as it reads: with 4 MiB each way both pipes fill many times over.
  const std::string input(4 << 20, 'x');
  auto copied = run_with_input({"cat"}, input);
  CHECK(copied.result.ending == ProcessResult::Ending::exited);
  CHECK(copied.output.size() == input.size());
}

TEST_CASE("a command that does not read its input does not hang or kill sp", "[build][process]") {
  const std::string input(4 << 20, 'x');
  const auto started = std::chrono::steady_clock::now();
  // Exits without reading: the write end gets EPIPE, which must not be SIGPIPE.
  auto ignoring = run_with_input({"sh", "-c", "echo ignored"}, input);
  CHECK(ignoring.result.exit_code == 0);
  CHECK(ignoring.output == "ignored\n");
  // Reads a little, closes stdin, then keeps running for a while.
  auto partial = run_with_input({"sh", "-c", "head -c 5; exec 0<&-; sleep 0.3; echo done"}, input);
  CHECK(partial.result.exit_code == 0);
  CHECK(partial.output == "xxxxxdone\n");
  CHECK(std::chrono::steady_clock::now() - started < 5s);

  // Never reads and never exits: the timeout still ends it.
  auto stuck = run_with_input({"sleep", "30"}, input, 500ms);
  CHECK(stuck.result.ending == ProcessResult::Ending::timed_out);
}
