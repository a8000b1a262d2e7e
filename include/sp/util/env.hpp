// Access to the process environment as a value that can be passed in, so
// pure code never calls getenv and tests can supply their own.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace sp::util {

// Returns the variable's value, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The real process environment.
EnvLookup process_env();

// A fixed environment, for tests.
EnvLookup fixed_env(std::map<std::string, std::string> values);

} // namespace sp::util
