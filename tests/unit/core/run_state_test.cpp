// The run-state vocabulary: checkpoint health reads back what it writes, an
// unknown stored value is reported as unknown rather than guessed, and the
// state names keep the spelling already stored.
#include "sp/core/run_state.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::core;

TEST_CASE("checkpoint health round-trips through its stored name", "[core][run_state]") {
  for (const auto health : {CheckpointHealth::ok, CheckpointHealth::failing, CheckpointHealth::stale}) {
    INFO(to_string(health));
    CHECK(checkpoint_health_from_string(to_string(health)) == health);
  }
  CHECK(to_string(CheckpointHealth::failing) == "failing");
  CHECK_FALSE(checkpoint_health_from_string("FAILING"));
  CHECK_FALSE(checkpoint_health_from_string(""));
}

TEST_CASE("run state names keep the spelling existing databases and scripts hold", "[core][run_state]") {
  // Stored in runs.state and runs.end_state and printed by `sp job status`:
  // renaming one would strand every row written before.
  CHECK(run_state::submitting == "SUBMITTING");
  CHECK(run_state::submitted == "SUBMITTED");
  CHECK(run_state::not_submitted == "NOT_SUBMITTED");
  CHECK(run_state::unreachable == "UNREACHABLE");
  CHECK(run_state::lost == "LOST");
  CHECK(run_state::running == "RUNNING");
  CHECK(run_state::failed == "FAILED");
}
