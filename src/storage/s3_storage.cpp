// S3 as a StateStorage: HeadObject for files, ListObjectsV2 for directories,
// S3's statuses mapped onto the storage rules (see s3_storage.hpp).
#include "sp/storage/s3_storage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace sp::storage {

namespace {

// ListObjectsV2 returns at most 1,000 keys a page, whatever is asked.
constexpr std::size_t max_page_keys = 1000;

class S3Storage final : public StateStorage {
public:
  S3Storage(S3Access access, std::shared_ptr<net::HttpTransport> transport)
      : access_(std::move(access)), transport_(std::move(transport)) {}

  bool can_read(std::string_view uri) const override { return is_s3_uri(uri); }

  Result<std::optional<Stat>> stat(const std::string& uri) override {
    auto location = parse_s3_uri(uri);
    if (!location) return std::unexpected(location.error());
    const std::string doing = "looking at " + uri;
    if (!location->key.empty()) {
      auto head = send("HEAD", s3_object_url(access_.endpoint, *location), doing);
      if (!head) return std::unexpected(head.error());
      if (head->status == 200) return std::optional<Stat>(Stat{});
      if (head->status != 404) return std::unexpected(refusal(*head, *location, doing));
    }
    // Not an object: a "directory" when anything is stored under it.
    auto page = list_page(*location, directory_prefix(location->key), 1, std::nullopt, doing);
    if (!page) return std::unexpected(page.error());
    if (page->objects.empty() && page->common_prefixes.empty()) return std::optional<Stat>();
    Stat directory;
    directory.directory = true;
    return std::optional<Stat>(directory);
  }

  Result<Listing> list(const std::string& uri, std::size_t limit) override {
    auto location = parse_s3_uri(uri);
    if (!location) return std::unexpected(location.error());
    const std::string doing = "listing " + uri;
    const auto prefix = directory_prefix(location->key);
    Listing listing;
    std::unordered_set<std::string> directories; // their keys, "dir/"
    std::optional<std::string> continuation;
    do { // one entry past the limit tells a full listing from a truncated one
      const auto want = std::min(max_page_keys, limit + 1 - listing.entries.size());
      auto page = list_page(*location, prefix, want, continuation, doing);
      if (!page) return std::unexpected(page.error());
      for (const auto& common : page->common_prefixes) {
        if (directories.insert(common).second) add(listing, name_under(prefix, common), true);
      }
      // S3 rolls a marker object "dir/" up into the common prefix "dir/";
      // some S3-compatible stores (s3proxy) list it as an object instead.
      // Either way it names a directory, listed once.
      for (const auto& object : page->objects) {
        const bool marker = object.key.ends_with('/');
        if (!marker || directories.insert(object.key).second) {
          add(listing, name_under(prefix, object.key), marker);
        }
      }
      continuation = page->truncated ? page->next_continuation : std::nullopt;
    } while (continuation && listing.entries.size() <= limit);
    listing.truncated = listing.entries.size() > limit || continuation.has_value();
    if (listing.entries.size() > limit) listing.entries.resize(limit);
    listing.exists = !listing.entries.empty() || listing.truncated;
    return listing;
  }

  Result<std::string> read_small(const std::string& uri, std::size_t max_bytes) override {
    auto location = parse_s3_uri(uri);
    if (!location) return std::unexpected(location.error());
    const std::string doing = "reading " + uri;
    auto got = send("GET", s3_object_url(access_.endpoint, *location), doing);
    if (!got) return std::unexpected(got.error());
    if (got->status == 404) {
      if (auto error = read_s3_error(got->body); error && error->code == "NoSuchBucket") {
        return std::unexpected(refusal(*got, *location, doing));
      }
      return fail(ErrorKind::not_found, doing, "no such object");
    }
    if (got->status != 200) return std::unexpected(refusal(*got, *location, doing));
    if (got->body.size() > max_bytes) {
      return fail(ErrorKind::usage, doing, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    return std::move(got->body);
  }

private:
  // "" for the bucket's root, else the key with one trailing '/'.
  static std::string directory_prefix(const std::string& key) {
    if (key.empty() || key.ends_with('/')) return key;
    return key + "/";
  }

  // The last component of `key` below `prefix`, without a trailing '/'.
  static std::string name_under(const std::string& prefix, std::string key) {
    key.erase(0, std::min(prefix.size(), key.size()));
    while (key.ends_with('/')) key.pop_back();
    return key;
  }

  static void add(Listing& listing, std::string name, bool directory) {
    // A zero-byte "directory marker" object (the prefix itself) is not an entry.
    if (!name.empty()) listing.entries.push_back({std::move(name), directory});
  }

  Result<net::HttpResponse> send(const std::string& method, const Result<std::string>& url,
                                 const std::string& doing) {
    if (!url) return std::unexpected(url.error().within(doing));
    net::HttpRequest request;
    request.method = method;
    request.url = *url;
    request.aws_sigv4 = access_.signing;
    auto response = transport_->send(request);
    if (!response) return std::unexpected(response.error().within(doing));
    return response;
  }

  Result<S3ListPage> list_page(const S3Location& location, const std::string& prefix, std::size_t max_keys,
                               const std::optional<std::string>& continuation, const std::string& doing) {
    auto response =
        send("GET", s3_list_url(access_.endpoint, location.bucket, prefix, max_keys, continuation), doing);
    if (!response) return std::unexpected(response.error());
    if (response->status != 200) return std::unexpected(refusal(*response, location, doing));
    auto page = read_list_objects_v2(response->body);
    if (!page) return std::unexpected(page.error().within(doing));
    return page;
  }

  // Any answer but 200 (and a key's 404): never a verdict on the point.
  Error refusal(const net::HttpResponse& response, const S3Location& location,
                const std::string& doing) const {
    const auto body = read_s3_error(response.body);
    const std::string code = body ? body->code : "";
    const std::string said = body ? fmt::format(" {}: {}", body->code, body->message) : "";
    if (code == "NoSuchBucket") {
      return Error(ErrorKind::not_found, doing, fmt::format("bucket {} does not exist", location.bucket),
                   "check the path's bucket and the cluster's storage.s3.endpoint");
    }
    if (response.status == 403) {
      return Error(ErrorKind::unreachable, doing, fmt::format("S3 refused the request (403{})", said),
                   fmt::format("check the keys in {} and that they may read bucket {}",
                               access_.credentials_source, location.bucket));
    }
    return Error(ErrorKind::unreachable, doing, fmt::format("S3 answered {}{}", response.status, said));
  }

  S3Access access_;
  std::shared_ptr<net::HttpTransport> transport_;
};

class UnusableS3Storage final : public StateStorage {
public:
  explicit UnusableS3Storage(Error why) : why_(std::unexpected(std::move(why))) {}
  bool can_read(std::string_view uri) const override { return is_s3_uri(uri); }
  Result<std::optional<Stat>> stat(const std::string& uri) override { return failure("looking at " + uri); }
  Result<Listing> list(const std::string& uri, std::size_t /*limit*/) override {
    return failure("listing " + uri);
  }
  Result<std::string> read_small(const std::string& uri, std::size_t /*max_bytes*/) override {
    return failure("reading " + uri);
  }

private:
  std::unexpected<Error> failure(const std::string& doing) const {
    return std::unexpected(why_.error().within(doing));
  }
  Result<void> why_; // always the error: held as a result, not as an exception object
};

} // namespace

std::unique_ptr<StateStorage> make_unusable_s3_storage(Error why) {
  return std::make_unique<UnusableS3Storage>(std::move(why));
}

std::unique_ptr<StateStorage> make_s3_storage(S3Access access,
                                              std::shared_ptr<net::HttpTransport> transport) {
  return std::make_unique<S3Storage>(std::move(access), std::move(transport));
}

} // namespace sp::storage
