// The one loop every deadline wait in ops goes through (a job reaching
// RUNNING, a savepoint completing, a JobManager getting an address, ...),
// over the OpsContext clock: tests pass a clock that does not sleep, and on
// a terminal the clock's sleep ticks the progress line.
#pragma once

#include "sp/ops/context.hpp"

#include <chrono>
#include <optional>
#include <type_traits>

namespace sp::ops {

namespace detail {
template <typename T> struct is_optional : std::false_type {};
template <typename T> struct is_optional<std::optional<T>> : std::true_type {};
} // namespace detail

// Calls `attempt` (returning a std::optional) until it gives an answer, and
// returns that answer; returns an empty optional once `wait` has passed
// without one. The first attempt is immediate, each later one `interval`
// after the previous, and the deadline is checked after each attempt, so a
// wait whose deadline passes during a pause still ends on a fresh attempt.
template <typename Attempt>
auto poll_until(const Clock& clock, std::chrono::milliseconds wait, std::chrono::milliseconds interval,
                Attempt&& attempt) -> std::invoke_result_t<Attempt&> {
  using Answer = std::invoke_result_t<Attempt&>;
  static_assert(detail::is_optional<Answer>::value, "poll_until's attempt returns a std::optional");
  const std::int64_t deadline = clock.now_ms() + wait.count();
  for (;;) {
    Answer answer = attempt();
    if (answer || clock.now_ms() >= deadline) return answer;
    clock.sleep(interval);
  }
}

} // namespace sp::ops
