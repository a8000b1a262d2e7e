// The file: storage on real temporary directories: what is missing is an
// answer, what cannot be asked is an error, and a point is valid only with
// its _metadata.
#include "sp/storage/storage.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

using namespace sp;
using core::PathStatus;

TEST_CASE("file: points need their _metadata and other schemes are unverified", "[storage]") {
  test::TempDir dir;
  auto storage = storage::make_local_storage();
  std::filesystem::create_directories(dir / "chk-3");
  std::filesystem::create_directories(dir / "chk-4");
  std::ofstream(dir / "chk-3" / "_metadata") << "x";
  CHECK(storage::check_restore_point(*storage, "file:" + (dir / "chk-3").string()).status ==
        PathStatus::valid);
  CHECK(storage::check_restore_point(*storage, "file://" + (dir / "chk-3").string()).status ==
        PathStatus::valid);
  CHECK(storage::check_restore_point(*storage, (dir / "chk-3" / "_metadata").string()).status ==
        PathStatus::valid);
  auto empty = storage::check_restore_point(*storage, "file:" + (dir / "chk-4").string());
  CHECK(empty.status == PathStatus::invalid);
  CHECK(empty.detail.find("_metadata is missing") != std::string::npos);
  auto gone = storage::check_restore_point(*storage, "file:" + (dir / "chk-5").string());
  CHECK(gone.status == PathStatus::invalid);
  CHECK(gone.detail.find("does not exist") != std::string::npos);
  CHECK(storage::check_restore_point(*storage, "s3://bucket/sp/chk-1").status == PathStatus::unverified);
}

TEST_CASE("listing a directory: entries, a missing directory, and a bound", "[storage]") {
  test::TempDir dir;
  auto storage = storage::make_local_storage();
  for (int i = 1; i <= 5; ++i) std::filesystem::create_directories(dir / ("chk-" + std::to_string(i)));
  std::ofstream(dir / "note") << "n";
  auto listing = storage->list("file://" + dir.path().string(), 100);
  REQUIRE(listing);
  CHECK(listing->exists);
  CHECK(listing->entries.size() == 6);
  CHECK_FALSE(listing->truncated);
  auto bounded = storage->list(dir.path().string(), 3);
  REQUIRE(bounded);
  CHECK(bounded->entries.size() == 3);
  CHECK(bounded->truncated);
  auto missing = storage->list("file:" + (dir / "nothing").string(), 100);
  REQUIRE(missing);
  CHECK_FALSE(missing->exists);
}

TEST_CASE("a directory that cannot be listed is unreachable, not empty", "[storage]") {
  test::TempDir dir;
  auto storage = storage::make_local_storage();
  // A file where a directory is expected is ENOTDIR: an answer ("not there").
  std::ofstream(dir / "file") << "x";
  auto not_a_directory = storage->list((dir / "file").string(), 10);
  REQUIRE(not_a_directory);
  CHECK_FALSE(not_a_directory->exists);
  // A directory without read permission: only meaningful when not root.
  if (::geteuid() != 0) {
    std::filesystem::create_directories(dir / "locked" / "chk-1");
    ::chmod((dir / "locked").c_str(), 0);
    auto locked = storage->list((dir / "locked").string(), 10);
    ::chmod((dir / "locked").c_str(), 0700);
    REQUIRE_FALSE(locked);
    CHECK(locked.error().kind() == ErrorKind::unreachable);
  }
}

TEST_CASE("read_small reads small files and refuses large ones", "[storage]") {
  test::TempDir dir;
  auto storage = storage::make_local_storage();
  std::ofstream(dir / "small") << "hello";
  CHECK(storage->read_small((dir / "small").string(), 10).value() == "hello");
  auto large = storage->read_small((dir / "small").string(), 2);
  REQUIRE_FALSE(large);
  CHECK(large.error().kind() == ErrorKind::usage);
  CHECK(storage->read_small((dir / "none").string(), 2).error().kind() == ErrorKind::not_found);
}

TEST_CASE("the router sends each URI to the storage that reads its scheme", "[storage]") {
  std::vector<std::unique_ptr<storage::StateStorage>> storages;
  storages.push_back(storage::make_local_storage());
  auto router = storage::make_storage_router(std::move(storages));
  CHECK(router->can_read("file:/x"));
  CHECK(router->can_read("/x"));
  CHECK_FALSE(router->can_read("hdfs://nn:8020/x"));
  CHECK(storage::scheme_of("hdfs://nn/x") == "hdfs");
  CHECK(storage::scheme_of("/x") == "file");
}
