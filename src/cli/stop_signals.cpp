#include "stop_signals.hpp"

#include <csignal>

namespace sp::cli {

namespace {

constexpr std::array<int, 2> stop_signals{SIGINT, SIGTERM};

// A signal handler can only set a flag of this type; it is the one piece of
// process-wide state the watch loop needs.
volatile std::sig_atomic_t stop_signal_seen = 0;

extern "C" void remember_stop(int /*signal*/) { stop_signal_seen = 1; }

} // namespace

StopSignals::StopSignals() {
  stop_signal_seen = 0;
  struct sigaction action{};
  action.sa_handler = remember_stop;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < stop_signals.size(); ++i) ::sigaction(stop_signals[i], &action, &previous_[i]);
}

StopSignals::~StopSignals() {
  for (std::size_t i = 0; i < stop_signals.size(); ++i) ::sigaction(stop_signals[i], &previous_[i], nullptr);
}

bool StopSignals::requested() const { return stop_signal_seen != 0; }

} // namespace sp::cli
