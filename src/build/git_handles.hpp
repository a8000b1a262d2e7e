// Owners for libgit2 handles: every git_* object sp creates is held by one of
// these unique_ptrs, so early returns on errors never leak.
#pragma once

#include <git2.h>

#include <memory>

namespace sp::build::git {

template <typename T, void (*Free)(T*)> struct Deleter {
  void operator()(T* handle) const noexcept { Free(handle); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;

} // namespace sp::build::git
