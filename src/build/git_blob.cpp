// One file's bytes at a commit, straight from the object database: the work
// tree and the index are never read, so what a later checkout left there (or
// a build wrote there) cannot change the script a pinned build runs.
#include "sp/build/source.hpp"

#include "git_handles.hpp"
#include "sp/util/redact.hpp"

#include <cctype>
#include <string_view>
#include <system_error>

namespace sp::build {

namespace {

std::string git_message(int code) {
  const git_error* last = git_error_last();
  if (last == nullptr || last->message == nullptr || *last->message == '\0') {
    return "libgit2 error " + std::to_string(code);
  }
  return util::redact_urls(last->message);
}

// "a/./b//c/" → "a/b/c": the form git_tree_entry_bypath takes. Nothing may
// leave the root, since the caller asked for a file of this repository.
Result<std::string> tree_path(const std::string& path, const std::string& doing) {
  if (path.find('\0') != std::string::npos) {
    return fail(ErrorKind::usage, doing, "the path contains a NUL byte");
  }
  if (path.starts_with('/')) {
    return fail(ErrorKind::usage, doing, "the path is absolute",
                "give it relative to the repository root, e.g. sql/job.sql");
  }
  std::string normal;
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      return fail(ErrorKind::usage, doing, "the path leaves the repository root ('..')",
                  "give it relative to the repository root, without '..'");
    }
    if (!normal.empty()) normal += '/';
    normal += part;
  }
  if (normal.empty()) return fail(ErrorKind::usage, doing, "the path names no file");
  return normal;
}

// Only a work tree with .git (or a bare repository) exactly there: never a
// repository found by searching upwards from a directory that has none.
Result<git::Repository> open_checkout(const std::filesystem::path& dir, const std::string& doing) {
  std::error_code ignored;
  if (!std::filesystem::is_directory(dir, ignored)) {
    return fail(ErrorKind::not_found, doing, "no directory " + dir.string(),
                "build the project first, so that its checkout exists");
  }
  git_repository* raw = nullptr;
  if (const int rc = git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
      rc != 0) {
    return fail(ErrorKind::not_found, doing, "no readable git repository there (" + git_message(rc) + ")",
                "build the project again to recreate its checkout");
  }
  return git::Repository(raw);
}

bool is_sha_prefix(const std::string& text) {
  if (text.size() < GIT_OID_MINPREFIXLEN || text.size() > GIT_OID_HEXSZ) return false;
  for (const char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// By object id only, not git_revparse_single: a branch or tag that happens to
// be named like the abbreviation must not win over the pinned commit.
Result<git::Commit> find_commit(git_repository* repository, const std::string& sha,
                                const std::string& doing) {
  if (!is_sha_prefix(sha)) {
    return fail(ErrorKind::usage, doing, "'" + sha + "' is not a commit SHA",
                "give 4 to 40 hexadecimal digits of the commit");
  }
  git_oid id{};
  if (const int rc = git_oid_fromstrn(&id, sha.data(), sha.size()); rc != 0) {
    return fail(ErrorKind::usage, doing, git_message(rc));
  }
  git_object* raw = nullptr;
  const int rc = git_object_lookup_prefix(&raw, repository, &id, sha.size(), GIT_OBJECT_ANY);
  if (rc == GIT_EAMBIGUOUS) {
    return fail(ErrorKind::usage, doing, "the abbreviation matches more than one object",
                "give more digits of the commit");
  }
  if (rc == GIT_ENOTFOUND) {
    return fail(ErrorKind::not_found, doing, "no such commit in the repository",
                "the commit may be from a build of an older checkout; build the project again");
  }
  if (rc != 0) return fail(ErrorKind::failure, doing, git_message(rc));
  git::Object object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
    return fail(ErrorKind::not_found, doing, "that object is not a commit");
  }
  return git::Commit(reinterpret_cast<git_commit*>(peeled));
}

// Why an entry that exists is still not a file we can return, or empty.
std::string_view not_a_file(git_filemode_t mode) {
  switch (mode) {
  case GIT_FILEMODE_BLOB:
  case GIT_FILEMODE_BLOB_EXECUTABLE:
    return {};
  case GIT_FILEMODE_TREE:
    return "it is a directory in that commit";
  case GIT_FILEMODE_COMMIT:
    return "it is a submodule in that commit";
  case GIT_FILEMODE_LINK:
    return "it is a symbolic link in that commit, not a file";
  default:
    return "it is not a file in that commit";
  }
}

Result<std::string> read_blob(git_repository* repository, git_commit* commit, const std::string& path,
                              const std::string& doing) {
  git_tree* raw_tree = nullptr;
  if (const int rc = git_commit_tree(&raw_tree, commit); rc != 0) {
    return fail(ErrorKind::failure, doing, git_message(rc));
  }
  git::Tree tree(raw_tree);
  git_tree_entry* raw_entry = nullptr;
  const int rc = git_tree_entry_bypath(&raw_entry, tree.get(), path.c_str());
  if (rc == GIT_ENOTFOUND) {
    return fail(ErrorKind::not_found, doing, "no such file in that commit",
                "paths are relative to the repository root and case-sensitive");
  }
  if (rc != 0) return fail(ErrorKind::failure, doing, git_message(rc));
  git::TreeEntry entry(raw_entry);
  if (const auto why = not_a_file(git_tree_entry_filemode(entry.get())); !why.empty()) {
    return fail(ErrorKind::not_found, doing, std::string(why));
  }
  git_blob* raw_blob = nullptr;
  if (const int rc_blob = git_blob_lookup(&raw_blob, repository, git_tree_entry_id(entry.get()));
      rc_blob != 0) {
    return fail(ErrorKind::failure, doing, git_message(rc_blob));
  }
  git::Blob blob(raw_blob);
  // Raw content: no filters, so line endings are exactly as committed.
  const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(bytes, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

} // namespace

Result<std::string> read_file_at_commit(const GitLibrary& /*library*/,
                                        const std::filesystem::path& repository_dir,
                                        const std::string& commit, const std::string& path) {
  const std::string doing = "reading " + path + " at commit " + commit + " in " + repository_dir.string();
  auto in_tree = tree_path(path, doing);
  if (!in_tree) return std::unexpected(in_tree.error());
  auto repository = open_checkout(repository_dir, doing);
  if (!repository) return std::unexpected(repository.error());
  auto found = find_commit(repository->get(), commit, doing);
  if (!found) return std::unexpected(found.error());
  return read_blob(repository->get(), found->get(), *in_tree, doing);
}

} // namespace sp::build
