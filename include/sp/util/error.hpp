// The one error type of sp. Low layers return Result<T>; command code throws
// Error; cli::run catches once and maps the kind to the exit codes of
// SPEC.md section 10.
#pragma once

#include <expected>
#include <stdexcept>
#include <string>

namespace sp {

// Each kind is one row of the exit-code table; the numeric value IS the exit code.
enum class ErrorKind : int {
  failure = 1,       // anything not covered below
  usage = 2,         // unknown command or flag, bad value
  not_found = 3,     // job, cluster, project, build, variable
  refused = 4,       // a safety rule or precondition said no
  unreachable = 5,   // remote unreachable or timed out
  external = 6,      // an external step failed (build, Flink rejected, savepoint)
  interrupted = 130, // SIGINT/SIGTERM
};

// Exit code for a kind (the table in SPEC.md section 10).
constexpr int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

// "what was being done" + "why", printed as `sp: error: <doing>: <why>`,
// with an optional hint line for what the user can do about it.
class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, std::string doing, std::string why, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  const std::string& doing() const { return doing_; }
  const std::string& why() const { return why_; }
  const std::string& hint() const { return hint_; }

  // The same error seen from one level up: "<outer>: <doing>" keeps the chain readable.
  Error within(const std::string& outer) const;

private:
  ErrorKind kind_;
  std::string doing_;
  std::string why_;
  std::string hint_;
};

template <typename T> using Result = std::expected<T, Error>;

// Shorthand for returning an error from a function that returns Result<T>.
inline std::unexpected<Error> fail(ErrorKind kind, std::string doing, std::string why,
                                   std::string hint = {}) {
  return std::unexpected(Error(kind, std::move(doing), std::move(why), std::move(hint)));
}

// Unwraps a Result in code that throws (commands), rethrowing its Error.
template <typename T> T value_or_throw(Result<T> result) {
  if (!result) throw std::move(result.error());
  return std::move(*result);
}
inline void value_or_throw(Result<void> result) {
  if (!result) throw std::move(result.error());
}

} // namespace sp
