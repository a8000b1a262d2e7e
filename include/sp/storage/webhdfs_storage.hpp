// The hdfs: storage (SPEC 5.10): restore points on HDFS, read through
// WebHDFS on the NameNode's HTTP address (the cluster's storage.hdfs.webhdfs),
// whatever NameNode the hdfs:// URI names (see webhdfs_mapping.hpp).
// GETFILESTATUS for stat, LISTSTATUS_BATCH pages for listings (LISTSTATUS on
// NameNodes older than 2.8), OPEN (redirected to a DataNode) for reading.
//
// Authentication is simple only: the user is sent as user.name. A NameNode
// that wants Kerberos (SPNEGO) answers 401, which sp reports and cannot pass.
//
// How WebHDFS's answers map onto the storage rules: 200 is an answer; a 404
// carrying RemoteException FileNotFoundException is "not there"; anything
// else (a 404 of something that is not WebHDFS, a refusal, a standby
// NameNode's StandbyException, a 5xx, no answer) is unreachable (exit 5),
// and an answer that is not WebHDFS's JSON is external: never a verdict on
// the point.
#pragma once

#include "sp/net/http.hpp"
#include "sp/storage/storage.hpp"
#include "sp/storage/webhdfs_mapping.hpp"

#include <memory>

namespace sp::storage {

// The NameNode's HTTP address and the user.name sp asks as.
using WebHdfsAccess = WebHdfsEndpoint;

std::unique_ptr<StateStorage> make_webhdfs_storage(WebHdfsAccess access,
                                                   std::shared_ptr<net::HttpTransport> transport);

} // namespace sp::storage
