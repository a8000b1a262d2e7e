// The s3: storage against a scripted S3 (a table of answers shaped as S3
// gives them): what a point's check and a directory's listing ask, and how
// each of S3's answers maps onto the storage rules, so that a missing
// bucket, a refusal or an outage never marks a point invalid.
#include "sp/storage/s3_storage.hpp"
#include "sp/util/encoding.hpp"

#include "support/fake_transport.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace sp;

namespace {

constexpr const char* endpoint = "http://127.0.0.1:9000";
constexpr const char* secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* run = "s3://state/checkpoints/abc";

std::string object_url(const std::string& key) { return fmt::format("{}/state/{}", endpoint, key); }

std::string list_url(const std::string& prefix, std::size_t max_keys, const std::string& token = "") {
  return fmt::format("{}/state/?{}delimiter=%2F&list-type=2&max-keys={}&prefix={}", endpoint,
                     token.empty() ? "" : "continuation-token=" + util::percent_encode(token, false) + "&",
                     max_keys, util::percent_encode(prefix, false));
}

std::string page(const std::vector<std::string>& prefixes, const std::vector<std::string>& keys,
                 const std::string& next = "") {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>state</Name>)";
  for (const auto& key : keys) xml += "<Contents><Key>" + key + "</Key><Size>1</Size></Contents>";
  for (const auto& prefix : prefixes)
    xml += "<CommonPrefixes><Prefix>" + prefix + "</Prefix></CommonPrefixes>";
  xml += next.empty()
             ? "<IsTruncated>false</IsTruncated>"
             : "<IsTruncated>true</IsTruncated><NextContinuationToken>" + next + "</NextContinuationToken>";
  return xml + "</ListBucketResult>";
}

std::string s3_error(const std::string& code, const std::string& message) {
  return "<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>";
}

struct Fixture {
  test::FakeTransport s3;
  std::unique_ptr<storage::StateStorage> storage = storage::make_s3_storage(
      {{endpoint, true}, {"eu-west-1", "AKIDEXAMPLE", secret, std::nullopt}, "SP_S3_KEY and SP_S3_SECRET"},
      std::make_shared<test::ForwardingTransport>(s3));
};

} // namespace

TEST_CASE("a checkpoint on S3 is valid when its _metadata object exists", "[storage][s3]") {
  Fixture f;
  const std::string chk = std::string(run) + "/chk-7";
  f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7"), 404, "");
  f.s3.answer("GET", list_url("checkpoints/abc/chk-7/", 1), 200,
              page({}, {"checkpoints/abc/chk-7/_metadata"}));
  f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7/_metadata"), 200, "");
  CHECK(f.storage->can_read(chk));
  CHECK(f.storage->can_read("s3a://state/x"));
  CHECK_FALSE(f.storage->can_read("hdfs://nn/x"));

  const auto valid = storage::check_restore_point(*f.storage, chk);
  CHECK(valid.status == core::PathStatus::valid);
  // One HeadObject of the _metadata settles a valid point.
  REQUIRE(f.s3.requests.size() == 1);
  for (const auto& request : f.s3.requests) {
    REQUIRE(request.aws_sigv4);
    CHECK(request.aws_sigv4->region == "eu-west-1");
    CHECK_FALSE(request.authorization);
  }

  SECTION("the directory without _metadata (in progress or aborted) is invalid, on evidence") {
    f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7/_metadata"), 404, "");
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/_metadata/", 1), 200, page({}, {}));
    f.s3.requests.clear();
    CHECK(storage::check_restore_point(*f.storage, chk).status == core::PathStatus::invalid);
    // The _metadata (HEAD, listing) and the directory (HEAD, listing), each asked once.
    CHECK(f.s3.requests.size() == 4);
  }
  SECTION("nothing under the path: it does not exist") {
    f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7/_metadata"), 404, "");
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/", 1), 200, page({}, {}));
    auto stat = f.storage->stat(chk);
    REQUIRE(stat);
    CHECK_FALSE(*stat);
    CHECK(storage::check_restore_point(*f.storage, chk).status == core::PathStatus::invalid);
  }
}

TEST_CASE("S3's refusals and outages are never a verdict on the point", "[storage][s3]") {
  Fixture f;
  const std::string metadata = std::string(run) + "/chk-7/_metadata";
  f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7/_metadata"), 404, "");

  SECTION("a missing bucket is not_found, naming it") {
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/_metadata/", 1), 404,
                s3_error("NoSuchBucket", "The specified bucket does not exist"));
    auto stat = f.storage->stat(metadata);
    REQUIRE_FALSE(stat);
    CHECK(stat.error().kind() == ErrorKind::not_found);
    CHECK_THAT(stat.error().why(), Catch::Contains("bucket state does not exist"));
    CHECK(storage::check_restore_point(*f.storage, metadata).status == core::PathStatus::unreachable);
  }
  SECTION("wrong keys (403) cannot check: unreachable, with a hint naming where the keys come from") {
    f.s3.answer("HEAD", object_url("checkpoints/abc/chk-7/_metadata"), 403, "");
    auto stat = f.storage->stat(metadata);
    REQUIRE_FALSE(stat);
    CHECK(stat.error().kind() == ErrorKind::unreachable);
    CHECK_THAT(stat.error().why(), Catch::Contains("403"));
    CHECK_THAT(stat.error().hint(), Catch::Contains("SP_S3_KEY and SP_S3_SECRET"));
    CHECK(std::string(stat.error().what()).find(secret) == std::string::npos);
    CHECK(stat.error().hint().find(secret) == std::string::npos);
  }
  SECTION("a listing refused with S3's error body quotes it") {
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/_metadata/", 1), 403,
                s3_error("SignatureDoesNotMatch", "The request signature we calculated does not match"));
    auto stat = f.storage->stat(metadata);
    REQUIRE_FALSE(stat);
    CHECK(stat.error().kind() == ErrorKind::unreachable);
    CHECK_THAT(stat.error().why(), Catch::Contains("SignatureDoesNotMatch"));
  }
  SECTION("a 503 or no server at all is unreachable") {
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/_metadata/", 1), 503,
                s3_error("SlowDown", "Reduce rate"));
    CHECK(f.storage->stat(metadata).error().kind() == ErrorKind::unreachable);
    f.s3.answers.clear();
    CHECK(f.storage->stat(metadata).error().kind() == ErrorKind::unreachable);
  }
  SECTION("an answer that is not a listing is external") {
    f.s3.answer("GET", list_url("checkpoints/abc/chk-7/_metadata/", 1), 200, "<html>proxy error</html>");
    CHECK(f.storage->stat(metadata).error().kind() == ErrorKind::external);
  }
}

TEST_CASE("a run's directory lists its chk-N over pages, bounded", "[storage][s3]") {
  Fixture f;
  f.s3.answer("GET", list_url("checkpoints/abc/", 999), 200,
              page({"checkpoints/abc/chk-1/", "checkpoints/abc/chk-2/"}, {"checkpoints/abc/"}, "page/2"));
  f.s3.answer("GET", list_url("checkpoints/abc/", 997, "page/2"), 200,
              page({"checkpoints/abc/chk-3/", "checkpoints/abc/shared/"}, {"checkpoints/abc/note.txt"}));
  // Each page asks for what is left of the limit plus one, to tell "all" from "truncated".
  auto listing = f.storage->list(run, 998);
  REQUIRE(listing);
  CHECK(listing->exists);
  CHECK_FALSE(listing->truncated);
  std::vector<std::pair<std::string, bool>> entries;
  for (const auto& entry : listing->entries) entries.emplace_back(entry.name, entry.directory);
  // The directory marker object (the prefix itself) is no entry.
  CHECK(entries ==
        std::vector<std::pair<std::string, bool>>{
            {"chk-1", true}, {"chk-2", true}, {"chk-3", true}, {"shared", true}, {"note.txt", false}});

  SECTION("more than the limit: truncated at the limit, no page past it asked") {
    f.s3.requests.clear();
    f.s3.answer(
        "GET", list_url("checkpoints/abc/", 3), 200,
        page({"checkpoints/abc/chk-1/", "checkpoints/abc/chk-2/", "checkpoints/abc/chk-3/"}, {}, "more"));
    auto bounded = f.storage->list(run, 2);
    REQUIRE(bounded);
    CHECK(bounded->truncated);
    CHECK(bounded->entries.size() == 2);
    CHECK(f.s3.requests.size() == 1);
  }
  SECTION("an empty prefix does not exist") {
    f.s3.answer("GET", list_url("checkpoints/none/", 11), 200, page({}, {}));
    auto none = f.storage->list("s3://state/checkpoints/none/", 10);
    REQUIRE(none);
    CHECK_FALSE(none->exists);
    CHECK(none->entries.empty());
  }
}

TEST_CASE("a store that lists directory markers as objects still lists the directories, once",
          "[storage][s3]") {
  // s3proxy answers a delimited listing with the marker objects "chk-8/"
  // under Contents where S3 gives the common prefix "chk-8/".
  Fixture f;
  f.s3.answer("GET", list_url("checkpoints/abc/", 11), 200,
              page({"checkpoints/abc/shared/"}, {"checkpoints/abc/chk-8/", "checkpoints/abc/shared/"}, "p2"));
  f.s3.answer("GET", list_url("checkpoints/abc/", 9, "p2"), 200,
              page({}, {"checkpoints/abc/chk-8/", "checkpoints/abc/taskowned/"}));
  auto listing = f.storage->list(run, 10);
  REQUIRE(listing);
  std::vector<std::pair<std::string, bool>> entries;
  for (const auto& entry : listing->entries) entries.emplace_back(entry.name, entry.directory);
  CHECK(entries ==
        std::vector<std::pair<std::string, bool>>{{"shared", true}, {"chk-8", true}, {"taskowned", true}});
}

TEST_CASE("read_small gets an object, bounded, and tells a missing key from a missing bucket",
          "[storage][s3]") {
  Fixture f;
  f.s3.answer("GET", object_url("savepoints/sp-1/_metadata"), 200, "0123456789");
  CHECK(f.storage->read_small("s3p://state/savepoints/sp-1/_metadata", 100).value() == "0123456789");
  CHECK(f.storage->read_small("s3p://state/savepoints/sp-1/_metadata", 4).error().kind() == ErrorKind::usage);
  f.s3.answer("GET", object_url("savepoints/sp-2/_metadata"), 404, s3_error("NoSuchKey", "gone"));
  CHECK(f.storage->read_small("s3://state/savepoints/sp-2/_metadata", 100).error().kind() ==
        ErrorKind::not_found);
  CHECK(f.storage->stat("s3://").error().kind() == ErrorKind::usage);
}
