// The hdfs: storage against a scripted NameNode (a table of answers shaped
// as Hadoop's WebHDFS gives them, recorded from a Hadoop 3.4 NameNode): what
// a point's check and a directory's listing ask, and how each answer maps
// onto the storage rules, so that a refusal, a standby NameNode, an outage
// or a 404 that is not WebHDFS's never marks a point invalid.
#include "sp/storage/webhdfs_storage.hpp"

#include "support/fake_transport.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace sp;

namespace {

constexpr const char* namenode = "http://namenode:9870";
constexpr const char* run = "hdfs://namenode:8020/flink/checkpoints/abc";

std::string url(const std::string& path, const std::string& op) {
  return fmt::format("{}/webhdfs/v1{}?op={}&user.name=flink", namenode, path, op);
}

std::string status_url(const std::string& path) { return url(path, "GETFILESTATUS"); }

std::string batch_url(const std::string& path, const std::string& after = "") {
  return url(path, after.empty() ? "LISTSTATUS_BATCH" : "LISTSTATUS_BATCH&startAfter=" + after);
}

std::string file_status(const std::string& suffix, bool directory, long length = 0) {
  return fmt::format(R"({{"accessTime":0,"blockSize":{},"childrenNum":0,"fileId":16389,"group":"supergroup",)"
                     R"("length":{},"modificationTime":1796646156914,"owner":"flink","pathSuffix":"{}",)"
                     R"("permission":"{}","replication":{},"storagePolicy":0,"type":"{}"}})",
                     directory ? 0 : 134217728, length, suffix, directory ? "755" : "644", directory ? 0 : 1,
                     directory ? "DIRECTORY" : "FILE");
}

std::string status_answer(bool directory, long length = 0) {
  return R"({"FileStatus":)" + file_status("", directory, length) + "}";
}

std::string page(const std::vector<std::pair<std::string, bool>>& entries, long remaining = 0) {
  std::string statuses;
  for (const auto& [name, directory] : entries) {
    statuses += (statuses.empty() ? "" : ",") + file_status(name, directory);
  }
  return fmt::format(
      R"({{"DirectoryListing":{{"partialListing":{{"FileStatuses":{{"FileStatus":[{}]}}}},"remainingEntries":{}}}}})",
      statuses, remaining);
}

std::string remote_exception(const std::string& exception, const std::string& java_class,
                             const std::string& message) {
  return fmt::format(R"({{"RemoteException":{{"exception":"{}","javaClassName":"{}","message":"{}"}}}})",
                     exception, java_class, message);
}

std::string not_found(const std::string& path) {
  return remote_exception("FileNotFoundException", "java.io.FileNotFoundException",
                          "File does not exist: " + path);
}

std::vector<std::pair<std::string, bool>> entries_of(const storage::Listing& listing) {
  std::vector<std::pair<std::string, bool>> entries;
  entries.reserve(listing.entries.size());
  for (const auto& entry : listing.entries) entries.emplace_back(entry.name, entry.directory);
  return entries;
}

struct Fixture {
  test::FakeTransport nn;
  std::unique_ptr<storage::StateStorage> storage = storage::make_webhdfs_storage(
      {namenode, std::string("flink")}, std::make_shared<test::ForwardingTransport>(nn));
};

} // namespace

TEST_CASE("a checkpoint on HDFS is valid when its _metadata file exists", "[storage][hdfs]") {
  Fixture f;
  const std::string chk = std::string(run) + "/chk-7";
  f.nn.answer("GET", status_url("/flink/checkpoints/abc/chk-7/_metadata"), 200, status_answer(false, 4));
  CHECK(f.storage->can_read(chk));
  CHECK(f.storage->can_read("hdfs:///flink/x"));
  CHECK_FALSE(f.storage->can_read("s3://state/x"));
  CHECK_FALSE(f.storage->can_read("/tmp/x"));

  const auto valid = storage::check_restore_point(*f.storage, chk);
  CHECK(valid.status == core::PathStatus::valid);
  // One GETFILESTATUS of the _metadata settles a valid point, at the
  // cluster's NameNode (not the URI's RPC address), without following redirects.
  REQUIRE(f.nn.requests.size() == 1);
  CHECK(f.nn.requests[0].method == "GET");
  CHECK_FALSE(f.nn.requests[0].follow_redirects);
  CHECK_FALSE(f.nn.requests[0].authorization);
  auto stat = f.storage->stat(chk + "/_metadata");
  REQUIRE(stat);
  REQUIRE(*stat);
  CHECK_FALSE((*stat)->directory);
  CHECK((*stat)->size_bytes == 4);
  CHECK((*stat)->modified_ms == 1796646156914);

  SECTION("the directory without _metadata (in progress or aborted) is invalid, on evidence") {
    f.nn.answer("GET", status_url("/flink/checkpoints/abc/chk-7/_metadata"), 404,
                not_found("/flink/checkpoints/abc/chk-7/_metadata"));
    f.nn.answer("GET", status_url("/flink/checkpoints/abc/chk-7"), 200, status_answer(true));
    const auto invalid = storage::check_restore_point(*f.storage, chk);
    CHECK(invalid.status == core::PathStatus::invalid);
    CHECK_THAT(invalid.detail, Catch::Contains("_metadata is missing"));
  }
  SECTION("nothing at the path: it does not exist") {
    f.nn.answer("GET", status_url("/flink/checkpoints/abc/chk-7/_metadata"), 404,
                not_found("/flink/checkpoints/abc/chk-7/_metadata"));
    f.nn.answer("GET", status_url("/flink/checkpoints/abc/chk-7"), 404,
                not_found("/flink/checkpoints/abc/chk-7"));
    auto missing = f.storage->stat(chk);
    REQUIRE(missing);
    CHECK_FALSE(*missing);
    CHECK(storage::check_restore_point(*f.storage, chk).status == core::PathStatus::invalid);
  }
  SECTION("a savepoint given as its _metadata file") {
    CHECK(storage::check_restore_point(*f.storage, chk + "/_metadata").status == core::PathStatus::valid);
  }
}

TEST_CASE("WebHDFS's refusals, standbys and outages are never a verdict on the point", "[storage][hdfs]") {
  Fixture f;
  const std::string metadata = std::string(run) + "/chk-7/_metadata";
  const auto metadata_url = status_url("/flink/checkpoints/abc/chk-7/_metadata");
  auto expect_unreachable = [&](const std::string& why, const std::string& hint) {
    auto stat = f.storage->stat(metadata);
    REQUIRE_FALSE(stat);
    CHECK(stat.error().kind() == ErrorKind::unreachable);
    CHECK_THAT(stat.error().why(), Catch::Contains(why));
    CHECK_THAT(stat.error().hint(), Catch::Contains(hint));
    CHECK(storage::check_restore_point(*f.storage, metadata).status == core::PathStatus::unreachable);
  };

  SECTION("permission denied (403 AccessControlException): the hint names the user and simple auth") {
    f.nn.answer("GET", metadata_url, 403,
                remote_exception("AccessControlException",
                                 "org.apache.hadoop.security.AccessControlException",
                                 "Permission denied: user=flink, access=EXECUTE, "
                                 "inode=\\\"/flink/checkpoints\\\":hdfs:supergroup:drwx------"));
    expect_unreachable("AccessControlException: Permission denied: user=flink", "user.name=flink");
    CHECK_THAT(f.storage->stat(metadata).error().hint(), Catch::Contains("no Kerberos"));
  }
  SECTION("a Kerberized NameNode (401, SPNEGO) cannot be asked by sp") {
    f.nn.answer("GET", metadata_url, 401, "<html><body>Authentication required</body></html>");
    expect_unreachable("401", "simple authentication only");
  }
  SECTION("a SecurityException on a 401 as well") {
    f.nn.answer("GET", metadata_url, 401,
                remote_exception("SecurityException", "java.lang.SecurityException",
                                 "Failed to obtain user group information: ..."));
    expect_unreachable("SecurityException", "storage.hdfs.user");
  }
  SECTION("a standby NameNode (403 StandbyException): point webhdfs at the active one") {
    f.nn.answer("GET", metadata_url, 403,
                remote_exception("StandbyException", "org.apache.hadoop.ipc.StandbyException",
                                 "Operation category READ is not supported in state standby. Visit "
                                 "https://s.apache.org/sbnn-error"));
    expect_unreachable("standby", "active NameNode");
  }
  SECTION("a 404 that is not WebHDFS's FileNotFoundException (a wrong address) is not \"missing\"") {
    f.nn.answer("GET", metadata_url, 404, "<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>");
    expect_unreachable("404", "NameNode's HTTP address");
  }
  SECTION("a 5xx, a RetriableException or no server at all is unreachable") {
    f.nn.answer("GET", metadata_url, 503, "");
    expect_unreachable("503", "");
    f.nn.answer("GET", metadata_url, 500,
                remote_exception("RetriableException", "org.apache.hadoop.ipc.RetriableException",
                                 "NameNode still not started"));
    expect_unreachable("RetriableException: NameNode still not started", "");
    f.nn.answers.clear();
    expect_unreachable("Connection refused", "");
  }
  SECTION("a 200 that is not WebHDFS's JSON is external") {
    f.nn.answer("GET", metadata_url, 200, "<html>proxy login</html>");
    auto stat = f.storage->stat(metadata);
    REQUIRE_FALSE(stat);
    CHECK(stat.error().kind() == ErrorKind::external);
    CHECK(storage::check_restore_point(*f.storage, metadata).status == core::PathStatus::unreachable);
  }
}

TEST_CASE("a run's directory lists its chk-N over LISTSTATUS_BATCH pages, bounded", "[storage][hdfs]") {
  Fixture f;
  const std::string dir = "/flink/checkpoints/abc";
  f.nn.answer("GET", batch_url(dir), 200, page({{"chk-1", true}, {"chk-2", true}}, 3));
  f.nn.answer("GET", batch_url(dir, "chk-2"), 200, page({{"chk-3", true}, {"shared", true}}, 1));
  f.nn.answer("GET", batch_url(dir, "shared"), 200, page({{"taskowned", true}}, 0));
  auto listing = f.storage->list(run, 10);
  REQUIRE(listing);
  CHECK(listing->exists);
  CHECK_FALSE(listing->truncated);
  CHECK(entries_of(*listing) ==
        std::vector<std::pair<std::string, bool>>{
            {"chk-1", true}, {"chk-2", true}, {"chk-3", true}, {"shared", true}, {"taskowned", true}});
  CHECK(f.nn.requests.size() == 3);

  SECTION("more than the limit: truncated at the limit, no page past it asked") {
    f.nn.requests.clear();
    auto bounded = f.storage->list(run, 2);
    REQUIRE(bounded);
    CHECK(bounded->truncated);
    CHECK(entries_of(*bounded) ==
          std::vector<std::pair<std::string, bool>>{{"chk-1", true}, {"chk-2", true}});
    CHECK(f.nn.requests.size() == 2); // the third entry, past the limit, is on the second page
  }
  SECTION("exactly the limit and nothing remaining: not truncated") {
    f.nn.answer("GET", batch_url(dir), 200, page({{"chk-1", true}, {"_metadata", false}}, 0));
    auto exact = f.storage->list(run + std::string("/"), 2);
    REQUIRE(exact);
    CHECK_FALSE(exact->truncated);
    CHECK(entries_of(*exact) ==
          std::vector<std::pair<std::string, bool>>{{"chk-1", true}, {"_metadata", false}});
  }
  SECTION("an empty directory exists and is empty") {
    f.nn.answer("GET", batch_url(dir), 200, page({}));
    auto empty = f.storage->list(run, 10);
    REQUIRE(empty);
    CHECK(empty->exists);
    CHECK(empty->entries.empty());
  }
  SECTION("a missing directory does not exist (an answer)") {
    f.nn.answer("GET", batch_url(dir), 404,
                remote_exception("FileNotFoundException", "java.io.FileNotFoundException",
                                 "File /flink/checkpoints/abc does not exist."));
    auto none = f.storage->list(run, 10);
    REQUIRE(none);
    CHECK_FALSE(none->exists);
  }
  SECTION("a file lists as itself: not a directory") {
    f.nn.answer("GET", batch_url(dir), 200, page({{"", false}}));
    auto file = f.storage->list(run, 10);
    REQUIRE(file);
    CHECK_FALSE(file->exists);
    CHECK(file->entries.empty());
  }
  SECTION("a refusal on a later page is unreachable, not a short listing") {
    f.nn.answer("GET", batch_url(dir, "chk-2"), 403,
                remote_exception("StandbyException", "org.apache.hadoop.ipc.StandbyException",
                                 "Operation category READ is not supported in state standby"));
    auto failed = f.storage->list(run, 10);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().kind() == ErrorKind::unreachable);
    CHECK_THAT(failed.error().doing(), Catch::Contains("listing " + std::string(run)));
  }
  SECTION("a page that is not a DirectoryListing is external") {
    f.nn.answer("GET", batch_url(dir, "chk-2"), 200, R"({"boolean":true})");
    CHECK(f.storage->list(run, 10).error().kind() == ErrorKind::external);
  }
}

TEST_CASE("a NameNode before Hadoop 2.8 is listed with one LISTSTATUS", "[storage][hdfs]") {
  Fixture f;
  const std::string dir = "/flink/checkpoints/abc";
  f.nn.answer("GET", batch_url(dir), 400,
              remote_exception("IllegalArgumentException", "java.lang.IllegalArgumentException",
                               "Invalid value for webhdfs parameter \\\"op\\\": No enum constant "
                               "org.apache.hadoop.hdfs.web.resources.GetOpParam.Op.LISTSTATUS_BATCH"));
  f.nn.answer("GET", url(dir, "LISTSTATUS"), 200,
              R"({"FileStatuses":{"FileStatus":[)" + file_status("chk-1", true) + "," +
                  file_status("chk-2", true) + "," + file_status("chk-3", true) + "]}}");
  auto listing = f.storage->list(run, 2);
  REQUIRE(listing);
  CHECK(listing->truncated);
  CHECK(entries_of(*listing) == std::vector<std::pair<std::string, bool>>{{"chk-1", true}, {"chk-2", true}});

  // Any other 400 is not taken for an old NameNode.
  f.nn.answer("GET", batch_url(dir), 400,
              remote_exception("IllegalArgumentException", "java.lang.IllegalArgumentException",
                               "Invalid value for webhdfs parameter \\\"startAfter\\\""));
  CHECK(f.storage->list(run, 2).error().kind() == ErrorKind::unreachable);
}

TEST_CASE("read_small opens the file through the DataNode redirect, bounded", "[storage][hdfs]") {
  Fixture f;
  const std::string metadata = "hdfs:///flink/savepoints/sp-1/_metadata";
  f.nn.answer("GET", url("/flink/savepoints/sp-1/_metadata", "OPEN&length=101"), 200, "0123456789");
  CHECK(f.storage->read_small(metadata, 100).value() == "0123456789");
  REQUIRE(f.nn.requests.size() == 1);
  CHECK(f.nn.requests[0].follow_redirects); // OPEN answers 307 to a DataNode

  // Asked one byte past the bound, a larger file is refused without reading it all.
  f.nn.answer("GET", url("/flink/savepoints/sp-1/_metadata", "OPEN&length=5"), 200, "01234");
  CHECK(f.storage->read_small(metadata, 4).error().kind() == ErrorKind::usage);

  f.nn.answer("GET", url("/flink/savepoints/sp-2/_metadata", "OPEN&length=101"), 404,
              remote_exception("FileNotFoundException", "java.io.FileNotFoundException",
                               "File /flink/savepoints/sp-2/_metadata not found."));
  auto missing = f.storage->read_small("hdfs:///flink/savepoints/sp-2/_metadata", 100);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ErrorKind::not_found);
  CHECK_THAT(missing.error().why(), Catch::Contains("not found"));

  f.nn.answer("GET", url("/flink/savepoints/sp-3/_metadata", "OPEN&length=101"), 403,
              remote_exception("AccessControlException", "org.apache.hadoop.security.AccessControlException",
                               "Permission denied: user=flink, access=READ"));
  CHECK(f.storage->read_small("hdfs:///flink/savepoints/sp-3/_metadata", 100).error().kind() ==
        ErrorKind::unreachable);
  CHECK(f.storage->stat("hdfs:///a/../b").error().kind() == ErrorKind::usage);
}

TEST_CASE("without a user, no user.name is sent and the hint says so", "[storage][hdfs]") {
  test::FakeTransport nn;
  auto storage = storage::make_webhdfs_storage({"http://namenode:9870/", std::nullopt},
                                               std::make_shared<test::ForwardingTransport>(nn));
  nn.answer("GET", "http://namenode:9870/webhdfs/v1/x/_metadata?op=GETFILESTATUS", 403,
            remote_exception("AccessControlException", "org.apache.hadoop.security.AccessControlException",
                             "Permission denied: user=dr.who, access=EXECUTE"));
  auto stat = storage->stat("hdfs://nn/x/_metadata");
  REQUIRE_FALSE(stat);
  CHECK(stat.error().kind() == ErrorKind::unreachable);
  CHECK_THAT(stat.error().hint(), Catch::Contains("without user.name"));
}
