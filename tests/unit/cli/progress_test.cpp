#include "sp/cli/progress.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using sp::cli::ProgressDisplay;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now{};
  ProgressDisplay::Clock source() {
    return [this] { return now; };
  }
};

} // namespace

TEST_CASE("on a terminal a step is one line rewritten with its elapsed time", "[cli][progress]") {
  std::ostringstream err;
  ManualClock clock;
  {
    ProgressDisplay display(err, true, 80, clock.source());
    display.phase("sp: waiting for orders to be RUNNING");
    clock.now += 1500ms;
    display.tick();
    clock.now += 50ms; // too soon to redraw
    display.tick();
    clock.now += 1000ms;
    display.detail("RESTARTING");
    display.phase("sp: verifying the restore");
    clock.now += 200ms;
  } // the destructor ends the open line
  CHECK(err.str() == "\r\x1b[Ksp: waiting for orders to be RUNNING  0.0s"
                     "\r\x1b[Ksp: waiting for orders to be RUNNING  1.5s"
                     "\r\x1b[Ksp: waiting for orders to be RUNNING: RESTARTING  2.5s"
                     "\r\x1b[Ksp: waiting for orders to be RUNNING: RESTARTING  2.5s\n"
                     "\r\x1b[Ksp: verifying the restore  0.0s"
                     "\r\x1b[Ksp: verifying the restore  0.2s\n");
}

TEST_CASE("in a pipe or with -q progress prints nothing at all", "[cli][progress]") {
  std::ostringstream err;
  ManualClock clock;
  {
    ProgressDisplay display(err, false, 80, clock.source());
    display.phase("sp: uploading /x.jar");
    display.detail("1.0 MiB");
    clock.now += 5s;
    display.tick();
    display.end_line();
  }
  CHECK(err.str().empty());
}

TEST_CASE("ending a line twice writes one newline, and nothing before a step", "[cli][progress]") {
  std::ostringstream err;
  ManualClock clock;
  ProgressDisplay display(err, true, 80, clock.source());
  display.end_line();
  display.tick();
  CHECK(err.str().empty());
  display.phase("step");
  display.end_line();
  display.end_line();
  CHECK(err.str() == "\r\x1b[Kstep  0.0s\r\x1b[Kstep  0.0s\n");
}
