// The hidden commands the shell completion scripts and the documentation
// checks call: `sp __complete WORDS...` and `sp __commands`. They read the
// registered CLI11 tree, so they cover every command as soon as it exists.
#pragma once

#include "sp/util/env.hpp"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace sp::cli {

// Completes the last of `words` (after `sp`) and prints the candidates
// (core::format_completion). Never fails: an unreadable database or config
// file just means no names are offered.
void print_completion(const CLI::App& root, const std::vector<std::string>& words, const util::EnvLookup& env,
                      std::ostream& out);

// Prints every command path and its options, one a line (core::list_commands).
void print_command_list(const CLI::App& root, std::ostream& out);

} // namespace sp::cli
