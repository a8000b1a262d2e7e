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

} // namespace sp::build
