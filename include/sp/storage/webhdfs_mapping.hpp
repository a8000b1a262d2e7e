// The pure half of the hdfs: storage (SPEC 5.10): where a Flink path lives
// in WebHDFS's REST API and what its answers (FileStatus, DirectoryListing,
// RemoteException) say. No I/O: the storage that sends the requests uses
// these, and the tests read answers shaped as Hadoop gives them.
//
// The NameNode asked is the cluster's `storage.hdfs.webhdfs`, never the
// URI's authority: `hdfs://nn:8020/x` names the NameNode's RPC address,
// which speaks Hadoop's RPC protocol, while WebHDFS is served on its HTTP
// address (9870 by default), a different port and, behind HA or a proxy,
// possibly a different host. Only the path of the URI matters.
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::storage {

// Whether `uri` is an hdfs: path (hdfs://host[:port]/p, hdfs:///p, hdfs:/p).
bool is_hdfs_uri(std::string_view uri);

// The absolute HDFS path of `uri`: '/'-separated, repeated and trailing '/'
// dropped ("/" for the root). Errors (usage) for another scheme or a path
// with "." or ".." components (HDFS has no such names, and an HTTP client
// would fold them into another path).
Result<std::string> parse_hdfs_uri(std::string_view uri);

// Where requests go: the NameNode's HTTP address ("http://namenode:9870")
// and, for simple authentication, the user sent as user.name.
struct WebHdfsEndpoint {
  std::string webhdfs;
  std::optional<std::string> user;
};

// <webhdfs>/webhdfs/v1<path>?op=GETFILESTATUS[&user.name=U], each path
// segment percent-encoded. Errors (usage) when webhdfs is not http(s).
Result<std::string> webhdfs_status_url(const WebHdfsEndpoint& endpoint, const std::string& path);

// One LISTSTATUS_BATCH page (Hadoop 2.8+): the entries after `start_after`
// (a name in the directory), as many as the NameNode's dfs.ls.limit.
Result<std::string> webhdfs_list_batch_url(const WebHdfsEndpoint& endpoint, const std::string& path,
                                           const std::optional<std::string>& start_after);

// The whole directory at once (LISTSTATUS), for NameNodes older than 2.8.
Result<std::string> webhdfs_list_url(const WebHdfsEndpoint& endpoint, const std::string& path);

// OPEN of the first `length` bytes; the NameNode answers 307 to a DataNode.
Result<std::string> webhdfs_open_url(const WebHdfsEndpoint& endpoint, const std::string& path,
                                     std::size_t length);

struct WebHdfsFileStatus {
  std::string path_suffix; // the name in its directory; empty for the path asked itself
  bool directory = false;  // type DIRECTORY (FILE and SYMLINK are not)
  std::optional<std::int64_t> length;
  std::optional<std::int64_t> modified_ms; // modificationTime
};

// {"FileStatus": {...}} (GETFILESTATUS). Errors (external) for anything else.
Result<WebHdfsFileStatus> read_file_status(std::string_view json);

struct WebHdfsListPage {
  std::vector<WebHdfsFileStatus> entries;
  std::int64_t remaining_entries = 0; // > 0: ask again after the last entry
};

// {"DirectoryListing": {"partialListing": {"FileStatuses": {"FileStatus": [...]}},
// "remainingEntries": N}} (LISTSTATUS_BATCH) or {"FileStatuses": ...}
// (LISTSTATUS, never more to come). Errors (external) for anything else, and
// for a page with entries remaining but none given (it could never be finished).
Result<WebHdfsListPage> read_directory_listing(std::string_view json);

// {"RemoteException": {"exception": "FileNotFoundException", "javaClassName": ..., "message": ...}},
// when the text is one.
struct WebHdfsRemoteException {
  std::string exception; // "FileNotFoundException", "AccessControlException", "StandbyException"
  std::string java_class_name;
  std::string message;
};
std::optional<WebHdfsRemoteException> read_remote_exception(std::string_view json);

} // namespace sp::storage
