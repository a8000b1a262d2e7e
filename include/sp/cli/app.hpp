// The command-line front end: parses argv, runs one command, maps any error to
// an exit code (SPEC.md section 10). The only catch site for sp::Error.
#pragma once

#include "sp/util/env.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace sp::cli {

struct Streams {
  std::ostream& out;    // results
  std::ostream& err;    // progress and diagnostics
  bool out_is_terminal; // decides colour and the progress display
  bool err_is_terminal;
};

// Runs sp with the given arguments (without the program name) and returns the exit code.
int run(const std::vector<std::string>& args, const util::EnvLookup& env, Streams streams);

// Entry point for main(): the real process environment and standard streams.
int run(int argc, char** argv);

} // namespace sp::cli
