#include "support/golden.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sp::test {

std::string golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(SP_FIXTURES_DIR) / "golden" / name;
  if (std::getenv("SP_UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "<missing golden file " + path.string() + "; run with SP_UPDATE_GOLDEN=1>";
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

} // namespace sp::test
