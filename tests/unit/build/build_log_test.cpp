// The build log keeps the first write failure instead of dropping it, and
// refuses a directory it cannot create; /dev/full stands in for a full disk.
#include "sp/build/build_log.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

TEST_CASE("a build log on a full disk says it is incomplete", "[build][log]") {
  auto log = sp::build::BuildLog::open("/dev/full");
  REQUIRE(log.has_value());
  CHECK_FALSE(log->failure().has_value());
  log->write("mvn output\n");
  log->note("build 1: running mvn");
  REQUIRE(log->failure().has_value());
  CHECK(*log->failure() == std::strerror(ENOSPC));
}

TEST_CASE("a build log whose directory cannot be made is an error naming it", "[build][log]") {
  sp::test::TempDir dir;
  std::ofstream(dir / "file") << "not a directory";
  auto log = sp::build::BuildLog::open(dir / "file" / "builds" / "1.log");
  REQUIRE_FALSE(log.has_value());
  CHECK(log.error().why().find("creating " + (dir / "file" / "builds").string()) != std::string::npos);

  auto fine = sp::build::BuildLog::open(dir / "logs" / "builds" / "1.log");
  REQUIRE(fine.has_value());
  fine->write("ok\n");
  CHECK_FALSE(fine->failure().has_value());
}
