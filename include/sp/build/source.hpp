// Getting a project's source at a ref: clone or fetch into the workspace and
// check the commit out detached. An interface so the build logic can be
// tested with a fake; the real one is libgit2 (no git2.h in this header).
#pragma once

#include "sp/core/build.hpp"
#include "sp/core/project.hpp"
#include "sp/util/env.hpp"
#include "sp/util/error.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace sp::build {

struct TransferProgress {
  unsigned received_objects = 0;
  unsigned total_objects = 0;
  std::size_t received_bytes = 0;
};

struct SourceRequest {
  std::string url; // may carry user:password; never printed unredacted
  std::string ref; // branch, tag, full ref name or (abbreviated) commit SHA
  std::filesystem::path checkout_dir;
  core::ProjectAuth auth;
  util::EnvLookup env; // where auth.token_env is read
  // Called now and then while objects arrive; empty for no progress.
  std::function<void(const TransferProgress&)> on_progress;
};

class SourceFetcher {
public:
  virtual ~SourceFetcher() = default;
  // Errors: unknown ref → not_found; unreachable remote → unreachable;
  // authentication rejected or anything else the remote or git refused → external.
  virtual Result<core::CommitInfo> checkout(const SourceRequest& request) = 0;
};

// libgit2's global state for the lifetime of this object. Only commands that
// use git create one, so the others never pay for its initialisation.
class GitLibrary {
public:
  GitLibrary();
  GitLibrary(const GitLibrary&) = delete;
  GitLibrary& operator=(const GitLibrary&) = delete;
  ~GitLibrary();
};

// "1.5.1": the libgit2 this binary runs with, for `sp version`.
std::string libgit2_version();

// The libgit2 fetcher; `library` must outlive it.
std::unique_ptr<SourceFetcher> make_git_fetcher(const GitLibrary& library);

// So a SQL job can take its script from the commit its build pinned, not from
// whatever the checkout holds now: read from the object database only, never
// the work tree or the index (both change with the next checkout).
// The bytes of `path` (relative to the repository root, '/'-separated) in the
// tree of `commit` (a full or abbreviated SHA, at least 4 hex digits) of the
// git repository at `repository_dir` (a checkout made by the fetcher: a work
// tree with .git). Errors: repository missing or unreadable, commit unknown →
// not_found; path absent from that commit's tree, or naming a directory,
// submodule or symbolic link → not_found naming the path and the commit; a path
// that escapes the root (`..`, absolute) or is empty, or a commit that is not
// a SHA or is an ambiguous abbreviation → usage.
Result<std::string> read_file_at_commit(const GitLibrary& library,
                                        const std::filesystem::path& repository_dir,
                                        const std::string& commit, const std::string& path);

} // namespace sp::build
