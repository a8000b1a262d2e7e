// HDFS as a StateStorage through WebHDFS: GETFILESTATUS, LISTSTATUS_BATCH,
// OPEN, and WebHDFS's statuses mapped onto the storage rules (see
// webhdfs_storage.hpp).
#include "sp/storage/webhdfs_storage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

namespace sp::storage {

namespace {

constexpr std::string_view not_found_exception = "FileNotFoundException";

bool is_refusal(std::string_view exception) {
  static constexpr std::array<std::string_view, 3> refusals{"AccessControlException", "SecurityException",
                                                            "AuthorizationException"};
  return std::ranges::find(refusals, exception) != refusals.end();
}

// A 404 is "not there" only when WebHDFS itself says so: a 404 page of a
// proxy or of a server that is not a NameNode says nothing about the path.
bool says_not_found(const net::HttpResponse& response) {
  if (response.status != 404) return false;
  const auto exception = read_remote_exception(response.body);
  return exception && exception->exception == not_found_exception;
}

class WebHdfsStorage final : public StateStorage {
public:
  WebHdfsStorage(WebHdfsAccess access, std::shared_ptr<net::HttpTransport> transport)
      : access_(std::move(access)), transport_(std::move(transport)) {}

  bool can_read(std::string_view uri) const override { return is_hdfs_uri(uri); }

  Result<std::optional<Stat>> stat(const std::string& uri) override {
    auto path = parse_hdfs_uri(uri);
    if (!path) return std::unexpected(path.error());
    const std::string doing = "looking at " + uri;
    auto response = send(webhdfs_status_url(access_, *path), false, doing);
    if (!response) return std::unexpected(response.error());
    if (says_not_found(*response)) return std::optional<Stat>();
    if (response->status != 200) return std::unexpected(refusal(*response, doing));
    auto status = read_file_status(response->body);
    if (!status) return std::unexpected(status.error().within(doing));
    Stat result;
    result.directory = status->directory;
    result.modified_ms = status->modified_ms;
    if (!status->directory) result.size_bytes = status->length;
    return std::optional<Stat>(result);
  }

  Result<Listing> list(const std::string& uri, std::size_t limit) override {
    auto path = parse_hdfs_uri(uri);
    if (!path) return std::unexpected(path.error());
    const std::string doing = "listing " + uri;
    Listing listing;
    std::optional<std::string> start_after;
    std::int64_t remaining = 0;
    // The NameNode sizes its pages (dfs.ls.limit, 1,000 by default); sp
    // stops asking once it holds one entry past the limit, which tells a
    // full listing from a truncated one.
    do {
      auto response = send(webhdfs_list_batch_url(access_, *path, start_after), false, doing);
      if (!response) return std::unexpected(response.error());
      if (!start_after && lacks_batch_listing(*response)) {
        response = send(webhdfs_list_url(access_, *path), false, doing);
        if (!response) return std::unexpected(response.error());
      }
      if (says_not_found(*response)) {
        listing.exists = false;
        return listing;
      }
      if (response->status != 200) return std::unexpected(refusal(*response, doing));
      auto page = read_directory_listing(response->body);
      if (!page) return std::unexpected(page.error().within(doing));
      // A file lists as itself, with an empty pathSuffix: not a directory,
      // as file: answers for a file (ENOTDIR).
      if (!start_after && page->entries.size() == 1 && page->entries[0].path_suffix.empty()) {
        listing.exists = false;
        return listing;
      }
      for (auto& entry : page->entries) {
        if (!entry.path_suffix.empty()) listing.entries.push_back({entry.path_suffix, entry.directory});
      }
      remaining = page->remaining_entries;
      if (!page->entries.empty()) start_after = page->entries.back().path_suffix;
    } while (remaining > 0 && listing.entries.size() <= limit);
    listing.truncated = listing.entries.size() > limit || remaining > 0;
    if (listing.entries.size() > limit) listing.entries.resize(limit);
    return listing;
  }

  Result<std::string> read_small(const std::string& uri, std::size_t max_bytes) override {
    auto path = parse_hdfs_uri(uri);
    if (!path) return std::unexpected(path.error());
    const std::string doing = "reading " + uri;
    // One byte past the bound tells "larger" without reading a large file.
    const auto length = max_bytes == std::numeric_limits<std::size_t>::max() ? max_bytes : max_bytes + 1;
    auto response = send(webhdfs_open_url(access_, *path, length), true, doing);
    if (!response) return std::unexpected(response.error());
    if (says_not_found(*response)) {
      const auto exception = read_remote_exception(response->body);
      return fail(ErrorKind::not_found, doing,
                  exception->message.empty() ? "no such file" : exception->message);
    }
    if (response->status != 200) return std::unexpected(refusal(*response, doing));
    if (response->body.size() > max_bytes) {
      return fail(ErrorKind::usage, doing, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    return std::move(response->body);
  }

private:
  // A NameNode before Hadoop 2.8 refuses the op itself (400, IllegalArgumentException).
  static bool lacks_batch_listing(const net::HttpResponse& response) {
    if (response.status != 400) return false;
    const auto exception = read_remote_exception(response.body);
    return exception && exception->exception == "IllegalArgumentException" &&
           exception->message.find("LISTSTATUS_BATCH") != std::string::npos;
  }

  Result<net::HttpResponse> send(const Result<std::string>& url, bool follow_redirects,
                                 const std::string& doing) {
    if (!url) return std::unexpected(url.error().within(doing));
    net::HttpRequest request;
    request.url = *url;
    // OPEN answers 307 to the DataNode that holds the first block.
    request.follow_redirects = follow_redirects;
    auto response = transport_->send(request);
    if (!response) return std::unexpected(response.error().within(doing));
    return response;
  }

  std::string user_hint() const {
    const std::string who =
        access_.user ? "as user.name=" + *access_.user : "without user.name (the NameNode's static web user)";
    return fmt::format("sp asks WebHDFS {} with simple authentication only (no Kerberos/SPNEGO): set "
                       "storage.hdfs.user to a user who may read the path",
                       who);
  }

  // Any answer but 200 (and WebHDFS's FileNotFoundException): never a verdict on the point.
  Error refusal(const net::HttpResponse& response, const std::string& doing) const {
    const auto exception = read_remote_exception(response.body);
    const std::string name = exception ? exception->exception : "";
    const std::string said =
        exception ? fmt::format(" {}: {}", exception->exception, exception->message) : "";
    if (name == "StandbyException") {
      return Error(
          ErrorKind::unreachable, doing,
          fmt::format("the NameNode at {} is a standby ({}{})", access_.webhdfs, response.status, said),
          "point storage.hdfs.webhdfs at the active NameNode (sp does not fail over between "
          "NameNodes)");
    }
    if (response.status == 401) {
      return Error(ErrorKind::unreachable, doing,
                   fmt::format("WebHDFS wants authentication sp does not do (401{})", said), user_hint());
    }
    if (response.status == 403 || is_refusal(name)) {
      return Error(ErrorKind::unreachable, doing,
                   fmt::format("WebHDFS refused the request ({}{})", response.status, said), user_hint());
    }
    if (response.status == 404) {
      return Error(ErrorKind::unreachable, doing, fmt::format("WebHDFS answered 404{}", said),
                   fmt::format("check that storage.hdfs.webhdfs ({}) is the NameNode's HTTP address "
                               "(http://namenode:9870) with WebHDFS enabled",
                               access_.webhdfs));
    }
    return Error(ErrorKind::unreachable, doing, fmt::format("WebHDFS answered {}{}", response.status, said));
  }

  WebHdfsAccess access_;
  std::shared_ptr<net::HttpTransport> transport_;
};

} // namespace

std::unique_ptr<StateStorage> make_webhdfs_storage(WebHdfsAccess access,
                                                   std::shared_ptr<net::HttpTransport> transport) {
  return std::make_unique<WebHdfsStorage>(std::move(access), std::move(transport));
}

} // namespace sp::storage
