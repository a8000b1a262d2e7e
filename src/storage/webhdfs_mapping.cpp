// Pure WebHDFS mapping: paths to URLs, WebHDFS's JSON answers to values.
// The answers are read with nlohmann::json (core's JSON library, which
// storage may use): they are small, and never parsed on a hot path.
#include "sp/storage/webhdfs_mapping.hpp"

#include "sp/util/encoding.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace sp::storage {

namespace {

using nlohmann::json;

Error unexpected_answer(const std::string& what, const std::string& why) {
  return Error(ErrorKind::external, "reading WebHDFS's " + what, why);
}

// <webhdfs>/webhdfs/v1<path>?op=OP<params>[&user.name=U].
Result<std::string> url_of(const WebHdfsEndpoint& endpoint, const std::string& path, std::string_view op,
                           const std::string& params) {
  std::string_view base = endpoint.webhdfs;
  while (base.ends_with('/')) base.remove_suffix(1);
  const auto scheme_end = base.find("://");
  if (!(base.starts_with("http://") || base.starts_with("https://")) || scheme_end + 3 >= base.size()) {
    return fail(ErrorKind::usage, "reading the cluster's storage.hdfs.webhdfs",
                fmt::format("'{}' is not an http:// or https:// address", endpoint.webhdfs));
  }
  std::string url =
      fmt::format("{}/webhdfs/v1{}?op={}{}", base, util::percent_encode(path, true), op, params);
  if (endpoint.user) url += "&user.name=" + util::percent_encode(*endpoint.user, false);
  return url;
}

std::optional<std::int64_t> integer_at(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

Result<WebHdfsFileStatus> file_status_of(const json& status, const std::string& what) {
  if (!status.is_object()) return std::unexpected(unexpected_answer(what, "a FileStatus is not an object"));
  const auto type = status.find("type");
  if (type == status.end() || !type->is_string()) {
    return std::unexpected(unexpected_answer(what, "a FileStatus has no type"));
  }
  WebHdfsFileStatus result;
  result.directory = type->get_ref<const std::string&>() == "DIRECTORY";
  if (const auto suffix = status.find("pathSuffix"); suffix != status.end()) {
    if (!suffix->is_string()) return std::unexpected(unexpected_answer(what, "a pathSuffix is not a string"));
    result.path_suffix = suffix->get<std::string>();
  }
  result.length = integer_at(status, "length");
  result.modified_ms = integer_at(status, "modificationTime");
  return result;
}

} // namespace

bool is_hdfs_uri(std::string_view uri) { return uri.starts_with("hdfs:/"); }

Result<std::string> parse_hdfs_uri(std::string_view uri) {
  const std::string doing = "reading the HDFS path " + std::string(uri);
  if (!is_hdfs_uri(uri)) return fail(ErrorKind::usage, doing, "it is not an hdfs:// path");
  auto rest = uri.substr(std::string_view("hdfs:").size());
  // hdfs://authority/path: the authority (the RPC address) is not asked; see the header.
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  std::string path;
  for (std::size_t at = 0; at < rest.size();) {
    const auto end = std::min(rest.find('/', at), rest.size());
    const auto segment = rest.substr(at, end - at);
    at = end + 1;
    if (segment.empty()) continue;
    if (segment == "." || segment == "..") {
      return fail(ErrorKind::usage, doing, "HDFS paths have no . or .. components");
    }
    path += '/';
    path += segment;
  }
  return path.empty() ? "/" : path;
}

Result<std::string> webhdfs_status_url(const WebHdfsEndpoint& endpoint, const std::string& path) {
  return url_of(endpoint, path, "GETFILESTATUS", "");
}

Result<std::string> webhdfs_list_batch_url(const WebHdfsEndpoint& endpoint, const std::string& path,
                                           const std::optional<std::string>& start_after) {
  return url_of(endpoint, path, "LISTSTATUS_BATCH",
                start_after ? "&startAfter=" + util::percent_encode(*start_after, false) : "");
}

Result<std::string> webhdfs_list_url(const WebHdfsEndpoint& endpoint, const std::string& path) {
  return url_of(endpoint, path, "LISTSTATUS", "");
}

Result<std::string> webhdfs_open_url(const WebHdfsEndpoint& endpoint, const std::string& path,
                                     std::size_t length) {
  return url_of(endpoint, path, "OPEN", fmt::format("&length={}", length));
}

Result<WebHdfsFileStatus> read_file_status(std::string_view text) {
  const auto document = json::parse(text, nullptr, false);
  if (!document.is_object() || !document.contains("FileStatus")) {
    return std::unexpected(unexpected_answer("file status", "the answer is not a FileStatus"));
  }
  return file_status_of(document["FileStatus"], "file status");
}

Result<WebHdfsListPage> read_directory_listing(std::string_view text) {
  const auto document = json::parse(text, nullptr, false);
  if (!document.is_object()) {
    return std::unexpected(unexpected_answer("listing", "the answer is not a DirectoryListing"));
  }
  WebHdfsListPage page;
  const json* statuses = nullptr; // the {"FileStatus": [...]} object
  if (const auto listing = document.find("DirectoryListing");
      listing != document.end() && listing->is_object()) {
    const auto partial = listing->find("partialListing");
    if (partial != listing->end() && partial->is_object()) {
      if (const auto found = partial->find("FileStatuses"); found != partial->end()) statuses = &*found;
    }
    const auto remaining = integer_at(*listing, "remainingEntries");
    if (!remaining || *remaining < 0) {
      return std::unexpected(unexpected_answer("listing", "a DirectoryListing has no remainingEntries"));
    }
    page.remaining_entries = *remaining;
  } else if (const auto found = document.find("FileStatuses"); found != document.end()) {
    statuses = &*found;
  }
  if (statuses == nullptr || !statuses->is_object()) {
    return std::unexpected(unexpected_answer("listing", "the answer is not a DirectoryListing"));
  }
  const auto entries = statuses->find("FileStatus");
  if (entries == statuses->end() || !entries->is_array()) {
    return std::unexpected(unexpected_answer("listing", "FileStatuses holds no FileStatus array"));
  }
  for (const auto& entry : *entries) {
    auto status = file_status_of(entry, "listing");
    if (!status) return std::unexpected(status.error());
    page.entries.push_back(std::move(*status));
  }
  if (page.remaining_entries > 0 && (page.entries.empty() || page.entries.back().path_suffix.empty())) {
    return std::unexpected(
        unexpected_answer("listing", "entries remain but the page names none to continue after"));
  }
  return page;
}

std::optional<WebHdfsRemoteException> read_remote_exception(std::string_view text) {
  const auto document = json::parse(text, nullptr, false);
  if (!document.is_object()) return std::nullopt;
  const auto remote = document.find("RemoteException");
  if (remote == document.end() || !remote->is_object()) return std::nullopt;
  const auto text_at = [&](const char* key) {
    const auto it = remote->find(key);
    return it != remote->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  // A message may carry the server's stack trace after its first line.
  auto message = text_at("message");
  message.erase(std::min(message.find('\n'), message.size()));
  WebHdfsRemoteException exception{text_at("exception"), text_at("javaClassName"), std::move(message)};
  if (exception.exception.empty() && exception.java_class_name.empty()) return std::nullopt;
  if (exception.exception.empty()) {
    // Only the class: its simple name is what the rules look at.
    const auto dot = exception.java_class_name.rfind('.');
    exception.exception = exception.java_class_name.substr(dot == std::string::npos ? 0 : dot + 1);
  }
  return exception;
}

} // namespace sp::storage
