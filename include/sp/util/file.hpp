// Owned file descriptors and files that appear only when complete.
#pragma once

#include "sp/util/error.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string_view>
#include <utility>

namespace sp::util {

// A file descriptor closed exactly once, when its owner goes.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  int release() noexcept;
  void reset() noexcept;
  // Closes now and returns close(2)'s errno, or 0: a write-back failure
  // (full disk on a network filesystem) is reported here and nowhere else.
  int close() noexcept;

private:
  int fd_ = -1;
};

// Writes all of `data`, through short writes and EINTR. Returns 0 or errno.
int write_all(int fd, std::string_view data) noexcept;

// A file that shows under its name only once complete: written to a
// temporary beside it, flushed to disk, then renamed over the old one, so a
// reader (Prometheus scraping the metrics file, the next sp reading its
// config) never sees half a file, and a crash leaves the old one whole.
// Dropped without commit(), the temporary is removed.
class AtomicFile {
public:
  static Result<AtomicFile> create(const std::filesystem::path& path, mode_t mode);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) noexcept = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  Result<void> write(std::string_view data);
  // fsync, close, rename; after it the file is in place and this owns nothing.
  Result<void> commit();

private:
  AtomicFile(std::filesystem::path path, std::filesystem::path temporary, Fd fd);
  Result<void> failed(int error);

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  Fd fd_;
};

// A private directory (0700) under $TMPDIR (else /tmp), removed with all
// it holds when its owner goes: for what another program writes for sp and
// nobody else may read (a compiled SQL plan carries the script's secrets).
class PrivateTempDir {
public:
  static Result<PrivateTempDir> create(std::string_view prefix);
  PrivateTempDir(PrivateTempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  PrivateTempDir& operator=(PrivateTempDir&&) = delete;
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  ~PrivateTempDir();
  const std::filesystem::path& path() const { return path_; }

private:
  explicit PrivateTempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// The whole of `text` as the file at `path`, through AtomicFile.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode);

} // namespace sp::util
