#include "support/fixtures.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace sp::test {

std::string read_fixture(const std::string& relative_path) {
  std::ifstream in(std::string(SP_FIXTURES_DIR) + "/" + relative_path, std::ios::binary);
  INFO(relative_path);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace sp::test
