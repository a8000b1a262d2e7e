// The pure half of the s3: storage: Flink's paths to S3 requests, and S3's
// ListObjectsV2 and error answers (shaped as AWS documents them) to values.
#include "sp/storage/s3_mapping.hpp"
#include "sp/util/encoding.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::storage;

TEST_CASE("s3, s3a and s3p paths name a bucket and a key", "[storage][s3]") {
  struct Case {
    std::string uri;
    S3Location location;
  };
  const std::vector<Case> cases{
      {"s3://state/checkpoints/abc/chk-7", {"state", "checkpoints/abc/chk-7"}},
      {"s3a://state/checkpoints/abc/chk-7/_metadata", {"state", "checkpoints/abc/chk-7/_metadata"}},
      {"s3p://state//savepoints/sp-1", {"state", "savepoints/sp-1"}},
      {"s3://state", {"state", ""}},
      {"s3://state/", {"state", ""}},
  };
  for (const auto& c : cases) {
    INFO(c.uri);
    CHECK(is_s3_uri(c.uri));
    CHECK(parse_s3_uri(c.uri).value() == c.location);
  }
  for (const std::string bad : {"s3:///key", "s3://", "hdfs://nn/x", "file:/tmp/x", "S3://b/k"}) {
    INFO(bad);
    auto parsed = parse_s3_uri(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind() == ErrorKind::usage);
  }
  CHECK_FALSE(is_s3_uri("hdfs://nn/x"));
}

TEST_CASE("object and listing URLs, path style and virtual-hosted", "[storage][s3]") {
  const S3Endpoint path_style{"http://127.0.0.1:9000/", true};
  const S3Endpoint hosted{"https://s3.eu-west-1.amazonaws.com", false};
  const S3Location metadata{"state", "checkpoints/job 1/chk-7/_metadata"};
  CHECK(s3_object_url(path_style, metadata).value() ==
        "http://127.0.0.1:9000/state/checkpoints/job%201/chk-7/_metadata");
  CHECK(s3_object_url(hosted, metadata).value() ==
        "https://state.s3.eu-west-1.amazonaws.com/checkpoints/job%201/chk-7/_metadata");
  CHECK(s3_list_url(path_style, "state", "checkpoints/abc/", 1000, std::nullopt).value() ==
        "http://127.0.0.1:9000/state/?delimiter=%2F&list-type=2&max-keys=1000&prefix=checkpoints%2Fabc%2F");
  CHECK(s3_list_url(hosted, "state", "", 10, std::string("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="))
            .value() == "https://state.s3.eu-west-1.amazonaws.com/"
                        "?continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D"
                        "&delimiter=%2F&list-type=2&max-keys=10&prefix=");
  for (const std::string bad : {"127.0.0.1:9000", "ftp://h", "http://"}) {
    INFO(bad);
    auto url = s3_object_url({bad, true}, metadata);
    REQUIRE_FALSE(url);
    CHECK(url.error().kind() == ErrorKind::usage);
  }
}

TEST_CASE("percent_encode keeps what SigV4 keeps", "[storage][s3]") {
  CHECK(util::percent_encode("AZaz09-_.~", false) == "AZaz09-_.~");
  CHECK(util::percent_encode("a/b c+d=é", false) == "a%2Fb%20c%2Bd%3D%C3%A9");
  CHECK(util::percent_encode("a/b c", true) == "a/b%20c");
}

TEST_CASE("a ListObjectsV2 page: common prefixes, objects, continuation", "[storage][s3]") {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>state</Name><Prefix>checkpoints/abc/</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <Contents><Key>checkpoints/abc/notes &amp; more.txt</Key><LastModified>2026-12-01T10:00:00.000Z</LastModified>
    <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
  <CommonPrefixes><Prefix>checkpoints/abc/chk-6/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>checkpoints/abc/chk-7&#x2F;</Prefix></CommonPrefixes>
  <NextContinuationToken>token/2=</NextContinuationToken>
</ListBucketResult>)";
  auto page = read_list_objects_v2(xml);
  REQUIRE(page);
  REQUIRE(page->objects.size() == 1);
  CHECK(page->objects[0].key == "checkpoints/abc/notes & more.txt");
  CHECK(page->objects[0].size_bytes == 12);
  CHECK(page->objects[0].last_modified == "2026-12-01T10:00:00.000Z");
  CHECK(page->common_prefixes ==
        std::vector<std::string>{"checkpoints/abc/chk-6/", "checkpoints/abc/chk-7/"});
  CHECK(page->truncated);
  CHECK(page->next_continuation == "token/2=");

  auto empty = read_list_objects_v2(
      R"(<ListBucketResult><Name>state</Name><Prefix>none/</Prefix><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>)");
  REQUIRE(empty);
  CHECK(empty->objects.empty());
  CHECK(empty->common_prefixes.empty());
  CHECK_FALSE(empty->truncated);
}

TEST_CASE("answers that are not a usable listing are external errors", "[storage][s3]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "not a ListBucketResult"},
      {"<html>502 Bad Gateway</html>", "not a ListBucketResult"},
      {"<ListBucketResult><Contents><Key>a</Key>", "not closed"},
      {"<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>", "has no Key"},
      {"<ListBucketResult><Contents><Key>a</Key><Size>x1</Size></Contents></ListBucketResult>", "Size of a"},
      {"<ListBucketResult><CommonPrefixes></CommonPrefixes></ListBucketResult>", "has no Prefix"},
      {"<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", "NextContinuationToken"},
  };
  for (const auto& [xml, why] : cases) {
    INFO(xml);
    auto page = read_list_objects_v2(xml);
    REQUIRE_FALSE(page);
    CHECK(page.error().kind() == ErrorKind::external);
    CHECK_THAT(page.error().why(), Catch::Contains(why));
  }
}

TEST_CASE("S3 error bodies give their code and message", "[storage][s3]") {
  auto error = read_s3_error(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>state</BucketName></Error>)");
  REQUIRE(error);
  CHECK(error->code == "NoSuchBucket");
  CHECK(error->message == "The specified bucket does not exist");
  CHECK(read_s3_error("<Error><Code>AccessDenied</Code></Error>")->message.empty());
  // Found by the fuzzer: an '&' or "&#" at the end of a text, and references that are not ones, stay as
  // written.
  auto ragged =
      read_s3_error("<Error><Code>A&</Code><Message>&# &#; &#x; &#xZZ; &#1114112; &#65;</Message></Error>");
  REQUIRE(ragged);
  CHECK(ragged->code == "A&");
  CHECK(ragged->message == "&# &#; &#x; &#xZZ; &#1114112; A");
  CHECK_FALSE(read_s3_error("<ListBucketResult/>"));
  CHECK_FALSE(read_s3_error("Service Unavailable"));
}
