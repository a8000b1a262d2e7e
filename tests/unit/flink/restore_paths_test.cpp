#include "sp/flink/restore_paths.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using sp::core::PathStatus;
using sp::flink::check_restore_path;

TEST_CASE("file: points need their _metadata and other schemes are unverified", "[flink][restore]") {
  sp::test::TempDir dir;
  std::filesystem::create_directories(dir / "chk-3");
  std::filesystem::create_directories(dir / "chk-4");
  std::ofstream(dir / "chk-3" / "_metadata") << "x";
  CHECK(check_restore_path("file:" + (dir / "chk-3").string()).status == PathStatus::valid);
  CHECK(check_restore_path("file://" + (dir / "chk-3").string()).status == PathStatus::valid);
  CHECK(check_restore_path((dir / "chk-3" / "_metadata").string()).status == PathStatus::valid);
  auto empty = check_restore_path("file:" + (dir / "chk-4").string());
  CHECK(empty.status == PathStatus::invalid);
  CHECK(empty.detail.find("_metadata is missing") != std::string::npos);
  auto gone = check_restore_path("file:" + (dir / "chk-5").string());
  CHECK(gone.status == PathStatus::invalid);
  CHECK(gone.detail.find("does not exist") != std::string::npos);
  CHECK(check_restore_path("s3://bucket/sp/chk-1").status == PathStatus::unverified);
}
