// SIGINT and SIGTERM as a request to stop at the next safe point (between
// watch cycles) instead of ending the process mid-write. Installed for the
// object's lifetime; the previous handlers come back after it.
#pragma once

#include <array>
#include <signal.h>

namespace sp::cli {

class StopSignals {
public:
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals();

  bool requested() const;

private:
  std::array<struct sigaction, 2> previous_{};
};

} // namespace sp::cli
