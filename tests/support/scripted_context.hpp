// An OpsContext for operation tests: a real database, every JobManager (or
// ResourceManager) client the operation opens answering from one scripted
// table, and a clock that reads `now` and moves it on when the code pauses,
// so waits and deadlines run without sleeping.
#pragma once

#include "sp/ops/context.hpp"

#include "support/fake_transport.hpp"

#include <memory>
#include <string>

namespace sp::test {

inline ops::OpsContext scripted_context(store::Database& database, FakeTransport& answers, std::int64_t& now,
                                        std::string actor = "tester") {
  return ops::OpsContext{
      .database = database,
      .make_transport =
          [&answers](const net::TransportSettings&) {
            return std::make_unique<ForwardingTransport>(answers);
          },
      .clock = {[&now] { return now; }, [&now](std::chrono::milliseconds pause) { now += pause.count(); }},
      .env = util::fixed_env({}),
      .actor = {std::move(actor), "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = {}};
}

} // namespace sp::test
