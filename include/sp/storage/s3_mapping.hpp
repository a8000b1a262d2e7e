// The pure half of the s3: storage (SPEC 5.10): where a Flink path lives in
// S3's REST API and what ListObjectsV2 and S3's errors answer. No I/O: the
// storage that sends the requests (signed with libcurl's SigV4) uses these,
// and the tests read recorded answers with them.
//
// S3 has no directories. A "directory" is a key prefix ending in '/', listed
// with delimiter '/': the sub-"directories" come back as common prefixes,
// the files as objects. Flink writes s3://, s3a:// (Hadoop's plugin) and
// s3p:// (Presto's) paths; all three name the same bucket and key.
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::storage {

struct S3Location {
  std::string bucket;
  std::string key; // without a leading '/'; empty for the bucket itself
  bool operator==(const S3Location&) const = default;
};

// Whether `uri` is an s3://, s3a:// or s3p:// path.
bool is_s3_uri(std::string_view uri);

// Errors (usage) for a path that is not one of the three schemes or names no bucket.
Result<S3Location> parse_s3_uri(std::string_view uri);

// Where requests go: `endpoint` as configured ("https://s3.eu-west-1.amazonaws.com",
// "http://127.0.0.1:9000"); path style puts the bucket in the path, else in the host.
struct S3Endpoint {
  std::string endpoint;
  bool path_style = false;
};

// The object's URL (HeadObject, GetObject), its key percent-encoded as SigV4
// canonicalises it ('/' kept).
Result<std::string> s3_object_url(const S3Endpoint& endpoint, const S3Location& object);

// One ListObjectsV2 page of `prefix` with delimiter '/', its query
// parameters in the sorted order SigV4 signs them.
Result<std::string> s3_list_url(const S3Endpoint& endpoint, const std::string& bucket,
                                const std::string& prefix, std::size_t max_keys,
                                const std::optional<std::string>& continuation);

struct S3Object {
  std::string key;
  std::optional<std::int64_t> size_bytes;
  std::string last_modified; // ISO 8601 as S3 gives it; empty when absent
};

struct S3ListPage {
  std::vector<std::string> common_prefixes; // full keys, ending in '/'
  std::vector<S3Object> objects;
  bool truncated = false;
  std::optional<std::string> next_continuation;
};

// Errors (external) for text that is not a ListBucketResult, or a truncated
// page without a continuation token (it could never be finished).
Result<S3ListPage> read_list_objects_v2(std::string_view xml);

// S3's error body (<Error><Code>NoSuchBucket</Code><Message>…</Message>),
// when the text is one.
struct S3ErrorBody {
  std::string code;
  std::string message;
};
std::optional<S3ErrorBody> read_s3_error(std::string_view xml);

} // namespace sp::storage
