// Problems found in user input (declarative files, stored specs), collected
// so that one run reports all of them, each with where it is.
#pragma once

#include "sp/util/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sp::core {

// A position in a file; line and column count from 1, as editors do.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string to_string() const; // "jobs/orders.yaml:7:3"
  bool operator==(const SourceLocation&) const = default;
};

struct Problem {
  std::optional<SourceLocation> location;
  std::string field;   // "spec.parallelism"; empty for a whole document
  std::string message; // "expected an integer"
  ErrorKind kind = ErrorKind::usage;
  std::string line() const; // "<file:line:col>: <field>: <message>"
};

// One Error for all problems (none: nullopt). One problem reads
// "<doing> <location>: <field>: <message>"; several are listed one per line.
// The kind is usage when any problem is a usage problem, else the first kind.
std::optional<Error> problems_error(const std::vector<Problem>& problems, const std::string& doing);

} // namespace sp::core
