// The pure half of the hdfs: storage: Flink's hdfs:// paths to WebHDFS
// requests, and WebHDFS's answers (shaped as a Hadoop 3.4 NameNode gives
// them, and as Hadoop's WebHDFS REST documentation shows them) to values.
#include "sp/storage/webhdfs_mapping.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::storage;

TEST_CASE("hdfs paths: only the path matters, normalised", "[storage][hdfs]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"hdfs://namenode:8020/flink/checkpoints/abc/chk-7", "/flink/checkpoints/abc/chk-7"},
      {"hdfs://nameservice1/flink/checkpoints/abc/chk-7/_metadata", "/flink/checkpoints/abc/chk-7/_metadata"},
      {"hdfs:///flink/savepoints/sp-1/", "/flink/savepoints/sp-1"},
      {"hdfs:/flink//savepoints///sp-1", "/flink/savepoints/sp-1"},
      {"hdfs://namenode:8020", "/"},
      {"hdfs://namenode:8020/", "/"},
      {"hdfs:///", "/"},
  };
  for (const auto& [uri, path] : cases) {
    INFO(uri);
    CHECK(is_hdfs_uri(uri));
    CHECK(parse_hdfs_uri(uri).value() == path);
  }
  for (const std::string bad : {"hdfs://nn/a/../b", "hdfs:///a/./b", "s3://b/k", "file:/tmp/x", "HDFS://nn/x",
                                "hdfs:relative", "webhdfs://nn:9870/x"}) {
    INFO(bad);
    auto parsed = parse_hdfs_uri(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind() == ErrorKind::usage);
  }
  CHECK_FALSE(is_hdfs_uri("s3://b/k"));
  CHECK_FALSE(is_hdfs_uri("/tmp/x"));
}

TEST_CASE("WebHDFS URLs: the cluster's NameNode, encoded segments, user.name last", "[storage][hdfs]") {
  const WebHdfsEndpoint as_flink{"http://namenode:9870/", std::string("flink")};
  const WebHdfsEndpoint anonymous{"https://nn.example.com:9871", std::nullopt};
  CHECK(webhdfs_status_url(as_flink, "/flink/checkpoints/job 1/chk-7/_metadata").value() ==
        "http://namenode:9870/webhdfs/v1/flink/checkpoints/job%201/chk-7/_metadata"
        "?op=GETFILESTATUS&user.name=flink");
  CHECK(webhdfs_status_url(anonymous, "/").value() ==
        "https://nn.example.com:9871/webhdfs/v1/?op=GETFILESTATUS");
  CHECK(webhdfs_status_url(anonymous, "/a%b?c#d").value() ==
        "https://nn.example.com:9871/webhdfs/v1/a%25b%3Fc%23d?op=GETFILESTATUS");
  CHECK(webhdfs_list_batch_url(as_flink, "/flink/checkpoints/abc", std::nullopt).value() ==
        "http://namenode:9870/webhdfs/v1/flink/checkpoints/abc?op=LISTSTATUS_BATCH&user.name=flink");
  CHECK(webhdfs_list_batch_url(as_flink, "/flink/checkpoints/abc", std::string("chk 9/x")).value() ==
        "http://namenode:9870/webhdfs/v1/flink/checkpoints/abc"
        "?op=LISTSTATUS_BATCH&startAfter=chk%209%2Fx&user.name=flink");
  CHECK(webhdfs_list_url(anonymous, "/flink").value() ==
        "https://nn.example.com:9871/webhdfs/v1/flink?op=LISTSTATUS");
  CHECK(webhdfs_open_url({"http://nn:9870", std::string("a b")}, "/x/_metadata", 1025).value() ==
        "http://nn:9870/webhdfs/v1/x/_metadata?op=OPEN&length=1025&user.name=a%20b");
  for (const std::string bad : {"namenode:9870", "ftp://nn", "http://", ""}) {
    INFO(bad);
    auto url = webhdfs_status_url({bad, std::nullopt}, "/x");
    REQUIRE_FALSE(url);
    CHECK(url.error().kind() == ErrorKind::usage);
    CHECK_THAT(url.error().doing(), Catch::Contains("storage.hdfs.webhdfs"));
  }
}

TEST_CASE("a FileStatus: file or directory, its length and modification time", "[storage][hdfs]") {
  // GETFILESTATUS of a Flink _metadata, as a Hadoop 3.4 NameNode answers it.
  auto file = read_file_status(
      R"({"FileStatus":{"accessTime":1796646156340,"blockSize":134217728,"childrenNum":0,"fileId":16389,)"
      R"("group":"supergroup","length":4,"modificationTime":1796646156914,"owner":"root","pathSuffix":"",)"
      R"("permission":"644","replication":1,"storagePolicy":0,"type":"FILE"}})");
  REQUIRE(file);
  CHECK_FALSE(file->directory);
  CHECK(file->length == 4);
  CHECK(file->modified_ms == 1796646156914);
  CHECK(file->path_suffix.empty());
  // The documentation's example, a directory of Hadoop 1 (fewer fields).
  auto directory = read_file_status(
      R"({"FileStatus":{"accessTime":0,"blockSize":0,"group":"supergroup","length":0,)"
      R"("modificationTime":1320173277227,"owner":"webuser","pathSuffix":"","permission":"777",)"
      R"("replication":0,"type":"DIRECTORY"}})");
  REQUIRE(directory);
  CHECK(directory->directory);
  CHECK(read_file_status(R"({"FileStatus":{"type":"SYMLINK","length":"4"}})").value().length == std::nullopt);

  for (const std::string bad :
       {"", "<html>502 Bad Gateway</html>", "[]", R"({"boolean":true})", R"({"FileStatus":[]})",
        R"({"FileStatus":{"length":4}})", R"({"FileStatus":{"type":"FILE","pathSuffix":7}})"}) {
    INFO(bad);
    auto read = read_file_status(bad);
    REQUIRE_FALSE(read);
    CHECK(read.error().kind() == ErrorKind::external);
  }
}

TEST_CASE("a DirectoryListing page, and LISTSTATUS's whole listing", "[storage][hdfs]") {
  auto page = read_directory_listing(
      R"({"DirectoryListing":{"partialListing":{"FileStatuses":{"FileStatus":[)"
      R"({"accessTime":0,"blockSize":0,"childrenNum":1,"fileId":16388,"group":"supergroup","length":0,)"
      R"("modificationTime":1796646156340,"owner":"root","pathSuffix":"chk-1","permission":"755",)"
      R"("replication":0,"storagePolicy":0,"type":"DIRECTORY"},)"
      R"({"accessTime":1796646156340,"blockSize":134217728,"childrenNum":0,"fileId":16389,"group":"supergroup",)"
      R"("length":4,"modificationTime":1796646156914,"owner":"root","pathSuffix":"notes.txt",)"
      R"("permission":"644","replication":1,"storagePolicy":0,"type":"FILE"}]}},"remainingEntries":2}})");
  REQUIRE(page);
  REQUIRE(page->entries.size() == 2);
  CHECK(page->entries[0].path_suffix == "chk-1");
  CHECK(page->entries[0].directory);
  CHECK(page->entries[1].path_suffix == "notes.txt");
  CHECK_FALSE(page->entries[1].directory);
  CHECK(page->entries[1].length == 4);
  CHECK(page->remaining_entries == 2);

  auto whole = read_directory_listing(
      R"({"FileStatuses":{"FileStatus":[{"pathSuffix":"a.patch","type":"FILE","length":24930},)"
      R"({"pathSuffix":"bar","type":"DIRECTORY","length":0}]}})");
  REQUIRE(whole);
  CHECK(whole->entries.size() == 2);
  CHECK(whole->remaining_entries == 0);
  auto empty = read_directory_listing(
      R"({"DirectoryListing":{"partialListing":{"FileStatuses":{"FileStatus":[]}},"remainingEntries":0}})");
  REQUIRE(empty);
  CHECK(empty->entries.empty());

  for (
      const std::string bad : {
          "",
          "null",
          R"({"FileStatus":{"type":"FILE"}})",
          R"({"DirectoryListing":{"partialListing":{"FileStatuses":{"FileStatus":[]}}}})",
          R"({"DirectoryListing":{"partialListing":{"FileStatuses":{"FileStatus":[]}},"remainingEntries":-1}})",
          R"({"DirectoryListing":{"partialListing":{},"remainingEntries":0}})",
          R"({"FileStatuses":{"FileStatus":{"type":"FILE"}}})",
          R"({"FileStatuses":{"FileStatus":[1]}})",
          // Entries remain, but nothing to continue after: it could never be finished.
          R"({"DirectoryListing":{"partialListing":{"FileStatuses":{"FileStatus":[]}},"remainingEntries":3}})",
      }) {
    INFO(bad);
    auto read = read_directory_listing(bad);
    REQUIRE_FALSE(read);
    CHECK(read.error().kind() == ErrorKind::external);
  }
}

TEST_CASE("a RemoteException names its exception, and its message loses the stack trace", "[storage][hdfs]") {
  auto missing = read_remote_exception(
      R"({"RemoteException":{"exception":"FileNotFoundException","javaClassName":"java.io.FileNotFoundException",)"
      R"("message":"File does not exist: /tmp/x/nope"}})");
  REQUIRE(missing);
  CHECK(missing->exception == "FileNotFoundException");
  CHECK(missing->java_class_name == "java.io.FileNotFoundException");
  CHECK(missing->message == "File does not exist: /tmp/x/nope");
  auto traced = read_remote_exception(
      R"({"RemoteException":{"exception":"FileNotFoundException","javaClassName":"java.io.FileNotFoundException",)"
      R"("message":"Path is not a file: /tmp/x\n\tat org.apache.hadoop.hdfs.server.namenode.INodeFile.valueOf"}})");
  REQUIRE(traced);
  CHECK(traced->message == "Path is not a file: /tmp/x");
  auto by_class = read_remote_exception(
      R"({"RemoteException":{"javaClassName":"org.apache.hadoop.ipc.StandbyException","message":"no"}})");
  REQUIRE(by_class);
  CHECK(by_class->exception == "StandbyException");
  for (const std::string other : {"", "<html/>", R"({"FileStatus":{}})", R"({"RemoteException":"x"})",
                                  R"({"RemoteException":{"message":"m"}})"}) {
    INFO(other);
    CHECK_FALSE(read_remote_exception(other));
  }
}
