// Reading files under tests/fixtures/ (SP_FIXTURES_DIR).
#pragma once

#include <string>

namespace sp::test {

// The whole file at tests/fixtures/<relative_path>; fails the running test when it cannot be read.
std::string read_fixture(const std::string& relative_path);

} // namespace sp::test
