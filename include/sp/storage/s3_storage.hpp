// The s3: storage (SPEC 5.10): restore points on S3 and S3-compatible
// stores, for s3://, s3a:// and s3p:// paths. A checkpoint or savepoint
// "directory" is a key prefix; it exists when something is stored under it,
// and it is a valid point when its `_metadata` object exists (HeadObject).
// Listings are ListObjectsV2 with delimiter '/', paged. Every request is
// signed with SigV4 by libcurl.
//
// How S3's answers map onto the storage rules: 200 is an answer; a 404 of
// a key is "not there"; a missing bucket is not_found (exit 3) and a
// refusal (403: keys wrong or not allowed) or any other status is
// unreachable (exit 5), so neither ever marks a point invalid.
#pragma once

#include "sp/net/http.hpp"
#include "sp/storage/s3_mapping.hpp"
#include "sp/storage/storage.hpp"

#include <memory>

namespace sp::storage {

struct S3Access {
  S3Endpoint endpoint;
  net::AwsSigning signing; // region and keys, read from the environment by the caller
  // Where the keys came from, for hints ("the keys in SP_S3_KEY/SP_S3_SECRET"); never the keys.
  std::string credentials_source;
};

std::unique_ptr<StateStorage> make_s3_storage(S3Access access, std::shared_ptr<net::HttpTransport> transport);

// An s3: storage that cannot ask (its keys' variables are unset): every call
// fails with `why`, so its points are "cannot check", never unverified or invalid.
std::unique_ptr<StateStorage> make_unusable_s3_storage(Error why);

} // namespace sp::storage
