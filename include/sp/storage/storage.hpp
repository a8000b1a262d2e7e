// Reading restore points where they live (SPEC.md 5.10): one small interface
// over the places Flink keeps checkpoints and savepoints. sp only ever looks:
// stat, list a directory, read a small file. `file:` is implemented here;
// `hdfs:` (WebHDFS) and `s3:` (SigV4) implement the same interface.
//
// The one rule every caller relies on: "the store could not be asked" is an
// error of kind `unreachable` (exit 5), never an answer. A missing path is an
// answer (nullopt, or a listing that says the directory does not exist), so
// that a restore point is only ever called invalid on evidence.
#pragma once

#include "sp/core/restore.hpp"
#include "sp/util/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::storage {

struct Stat {
  bool directory = false;
  bool readable = true;
  std::optional<std::int64_t> modified_ms;
  std::optional<std::int64_t> size_bytes;
};

struct DirectoryEntry {
  std::string name; // the last path component
  bool directory = false;
};

struct Listing {
  bool exists = true;                  // false: the directory is not there (an answer, not an error)
  std::vector<DirectoryEntry> entries; // in no particular order
  bool truncated = false;              // more entries than the limit asked for
};

class StateStorage {
public:
  virtual ~StateStorage() = default;
  // Whether this storage can look into `uri` (by its scheme).
  virtual bool can_read(std::string_view uri) const = 0;
  // nullopt: nothing at `uri`.
  virtual Result<std::optional<Stat>> stat(const std::string& uri) = 0;
  // At most `limit` entries of directory `uri`.
  virtual Result<Listing> list(const std::string& uri, std::size_t limit) = 0;
  // The whole file, refused (usage) when it is larger than `max_bytes`.
  virtual Result<std::string> read_small(const std::string& uri, std::size_t max_bytes) = 0;
};

// file:/x, file:///x, file://localhost/x and bare absolute paths.
std::unique_ptr<StateStorage> make_local_storage();

// Each URI to the first storage that can read it.
std::unique_ptr<StateStorage> make_storage_router(std::vector<std::unique_ptr<StateStorage>> storages);

// SPEC 5.4: a checkpoint or savepoint is valid when its `_metadata` exists and
// is readable (`path` may name the directory or the _metadata file). A scheme
// no storage reads is `unverified`; a store that cannot be asked is `unreachable`.
core::PathCheck check_restore_point(StateStorage& storage, const std::string& path);

// The scheme of a URI for messages ("hdfs", "s3"); "file" for bare paths.
std::string scheme_of(std::string_view uri);

} // namespace sp::storage
