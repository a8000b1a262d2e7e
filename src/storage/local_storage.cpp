#include "sp/storage/storage.hpp"

#include "sp/core/state_layout.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sp::storage {

namespace {

// ENOENT and ENOTDIR are answers ("not there"); anything else (EACCES on a
// parent, EIO, a stale NFS handle) means the store could not be asked.
bool is_absence(int error) { return error == ENOENT || error == ENOTDIR; }

Error local_failure(const std::string& doing, const std::string& path, int error) {
  return Error(ErrorKind::unreachable, doing, path + ": " + std::strerror(error));
}

class LocalStorage final : public StateStorage {
public:
  bool can_read(std::string_view uri) const override {
    return core::local_path_of(std::string(uri)).has_value();
  }

  Result<std::optional<Stat>> stat(const std::string& uri) override {
    const auto path = local(uri);
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) {
      if (is_absence(errno)) return std::optional<Stat>();
      return std::unexpected(local_failure("looking at " + uri, path, errno));
    }
    Stat result;
    result.directory = S_ISDIR(info.st_mode);
    result.readable = ::access(path.c_str(), R_OK) == 0;
    result.modified_ms =
        static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1'000'000;
    result.size_bytes = static_cast<std::int64_t>(info.st_size);
    return std::optional<Stat>(result);
  }

  Result<Listing> list(const std::string& uri, std::size_t limit) override {
    const auto path = local(uri);
    Listing listing;
    std::error_code error;
    std::filesystem::directory_iterator it(path, error);
    if (error) {
      if (is_absence(error.value())) {
        listing.exists = false;
        return listing;
      }
      return std::unexpected(local_failure("listing " + uri, path, error.value()));
    }
    for (const std::filesystem::directory_iterator end; it != end; it.increment(error)) {
      if (listing.entries.size() >= limit) {
        listing.truncated = true;
        break;
      }
      std::error_code type_error;
      listing.entries.push_back({it->path().filename().string(), it->is_directory(type_error)});
    }
    if (error) return std::unexpected(local_failure("listing " + uri, path, error.value()));
    return listing;
  }

  Result<std::string> read_small(const std::string& uri, std::size_t max_bytes) override {
    auto info = stat(uri);
    if (!info) return std::unexpected(info.error());
    if (!*info) return fail(ErrorKind::not_found, "reading " + uri, "no such file");
    if ((*info)->size_bytes && static_cast<std::size_t>(*(*info)->size_bytes) > max_bytes) {
      return fail(ErrorKind::usage, "reading " + uri, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    std::ifstream in(local(uri), std::ios::binary);
    if (!in) return std::unexpected(local_failure("reading " + uri, local(uri), errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

private:
  static std::string local(const std::string& uri) { return core::local_path_of(uri).value_or(uri); }
};

class StorageRouter final : public StateStorage {
public:
  explicit StorageRouter(std::vector<std::unique_ptr<StateStorage>> storages)
      : storages_(std::move(storages)) {}

  bool can_read(std::string_view uri) const override { return find(uri) != nullptr; }
  Result<std::optional<Stat>> stat(const std::string& uri) override { return route(uri).stat(uri); }
  Result<Listing> list(const std::string& uri, std::size_t limit) override {
    return route(uri).list(uri, limit);
  }
  Result<std::string> read_small(const std::string& uri, std::size_t max_bytes) override {
    return route(uri).read_small(uri, max_bytes);
  }

private:
  StateStorage* find(std::string_view uri) const {
    for (const auto& storage : storages_) {
      if (storage->can_read(uri)) return storage.get();
    }
    return nullptr;
  }
  // Callers ask can_read first; a scheme nobody reads is a bug in the caller.
  StateStorage& route(std::string_view uri) const {
    auto* storage = find(uri);
    if (storage == nullptr) {
      throw Error(ErrorKind::failure, "reading state storage", "no storage reads " + std::string(uri));
    }
    return *storage;
  }

  std::vector<std::unique_ptr<StateStorage>> storages_;
};

} // namespace

std::unique_ptr<StateStorage> make_local_storage() { return std::make_unique<LocalStorage>(); }

std::unique_ptr<StateStorage> make_storage_router(std::vector<std::unique_ptr<StateStorage>> storages) {
  return std::make_unique<StorageRouter>(std::move(storages));
}

std::string scheme_of(std::string_view uri) {
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos || uri.starts_with("/")) return "file";
  return std::string(uri.substr(0, colon));
}

core::PathCheck check_restore_point(StateStorage& storage, const std::string& path) {
  using core::PathStatus;
  if (!storage.can_read(path)) {
    return {PathStatus::unverified, "scheme " + scheme_of(path) + " is not checked by sp"};
  }
  // Most points are directories holding their _metadata: looking at it first
  // settles those with one request (one HeadObject on S3, not three). Its
  // answer is kept for the directory case below, so nothing is asked twice.
  const std::string inside = core::join_path(path, "_metadata");
  std::optional<Result<std::optional<Stat>>> looked;
  if (!path.ends_with("/_metadata")) {
    looked = storage.stat(inside);
    if (*looked && **looked && !(**looked)->directory) {
      if (!(**looked)->readable) return {PathStatus::invalid, inside + " is not readable"};
      return {PathStatus::valid, "_metadata present and readable"};
    }
  }
  auto info = storage.stat(path);
  if (!info) return {PathStatus::unreachable, info.error().why()};
  if (!*info) return {PathStatus::invalid, path + " does not exist"};
  // A savepoint may be given as its _metadata file or as its directory.
  std::string metadata = path;
  if ((*info)->directory) {
    metadata = inside;
    info = looked && *looked ? std::move(*looked) : storage.stat(metadata);
    if (!info) return {PathStatus::unreachable, info.error().why()};
    if (!*info) return {PathStatus::invalid, metadata + " is missing"};
  }
  if (!(*info)->readable) return {PathStatus::invalid, metadata + " is not readable"};
  return {PathStatus::valid, "_metadata present and readable"};
}

} // namespace sp::storage
