// poll_until over a clock that only moves when it is told to sleep: how many
// times a wait asks, when it stops, and that an answer ends it at once.
#include "sp/ops/poll.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace sp;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
  std::int64_t now = 1'000;
  std::vector<std::int64_t> sleeps;
  ops::Clock clock() {
    return {[this] { return now; },
            [this](std::chrono::milliseconds duration) {
              sleeps.push_back(duration.count());
              now += duration.count();
            }};
  }
};

} // namespace

TEST_CASE("poll_until returns the first answer without sleeping", "[ops][poll]") {
  FakeClock fake;
  int attempts = 0;
  auto answer = ops::poll_until(fake.clock(), 10s, 500ms, [&]() -> std::optional<int> { return ++attempts; });
  CHECK(answer == 1);
  CHECK(attempts == 1);
  CHECK(fake.sleeps.empty());
}

TEST_CASE("poll_until asks at its interval until an answer comes", "[ops][poll]") {
  FakeClock fake;
  std::vector<std::int64_t> asked_at;
  auto answer = ops::poll_until(fake.clock(), 10s, 250ms, [&]() -> std::optional<std::string> {
    asked_at.push_back(fake.now);
    if (asked_at.size() < 3) return std::nullopt;
    return "RUNNING";
  });
  CHECK(answer == "RUNNING");
  const std::vector<std::int64_t> expected_asks{1'000, 1'250, 1'500};
  const std::vector<std::int64_t> expected_sleeps{250, 250};
  CHECK(asked_at == expected_asks);
  CHECK(fake.sleeps == expected_sleeps);
}

TEST_CASE("poll_until gives up once the wait has passed, after a last attempt at the deadline",
          "[ops][poll]") {
  FakeClock fake;
  std::vector<std::int64_t> asked_at;
  auto answer = ops::poll_until(fake.clock(), 1s, 400ms, [&]() -> std::optional<int> {
    asked_at.push_back(fake.now);
    return std::nullopt;
  });
  CHECK_FALSE(answer);
  // The pause that crosses the deadline is followed by one more attempt.
  const std::vector<std::int64_t> expected{1'000, 1'400, 1'800, 2'200};
  CHECK(asked_at == expected);
}

TEST_CASE("poll_until with no time to wait asks exactly once", "[ops][poll]") {
  FakeClock fake;
  int attempts = 0;
  auto answer = ops::poll_until(fake.clock(), 0ms, 500ms, [&]() -> std::optional<int> {
    ++attempts;
    return std::nullopt;
  });
  CHECK_FALSE(answer);
  CHECK(attempts == 1);
  CHECK(fake.sleeps.empty());
}
