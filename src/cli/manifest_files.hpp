// Reading declarative files for apply and diff: the thin I/O around the pure
// parser. `-f` takes files, directories (every *.yaml / *.yml below, sorted)
// and `-` for standard input.
#pragma once

#include "sp/core/manifest.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace sp::cli {

// The files `-f` arguments name, in the order they are read.
std::vector<std::filesystem::path> expand_manifest_paths(const std::vector<std::string>& arguments);

// Every manifest of every file, with each Flink distribution's version
// detected (a relative home is taken relative to its file). Throws sp::Error:
// not_found for a missing path, usage for bad YAML or an empty set.
std::vector<core::Manifest> load_manifest_files(const std::vector<std::string>& arguments,
                                                std::istream& standard_input);

} // namespace sp::cli
