#include "sp/util/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace sp::util {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int Fd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset() noexcept { (void)close(); }

int Fd::close() noexcept {
  if (fd_ < 0) return 0;
  // Linux releases the descriptor even when close fails, EINTR included: never retry.
  const int result = ::close(release());
  return result == 0 ? 0 : errno;
}

int write_all(int fd, std::string_view data) noexcept {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

namespace {

std::string writing(const std::filesystem::path& path) { return "writing " + path.string(); }

// Best effort: the rename is already visible; this only makes it survive a
// power cut sooner, and not every filesystem can sync a directory.
void sync_directory(const std::filesystem::path& directory) {
  const Fd fd(::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) (void)::fsync(fd.get());
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path path, std::filesystem::path temporary, Fd fd)
    : path_(std::move(path)), temporary_(std::move(temporary)), fd_(std::move(fd)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), temporary_(std::exchange(other.temporary_, {})),
      fd_(std::move(other.fd_)) {}

Result<AtomicFile> AtomicFile::create(const std::filesystem::path& path, mode_t mode) {
  // The pid keeps two processes writing the same file from sharing a temporary.
  auto temporary =
      path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd.valid()) return fail(ErrorKind::failure, writing(path), std::strerror(errno));
  return AtomicFile(path, std::move(temporary), std::move(fd));
}

AtomicFile::~AtomicFile() {
  if (temporary_.empty()) return; // committed, or moved from
  fd_.reset();
  (void)::unlink(temporary_.c_str());
}

Result<void> AtomicFile::failed(int error) {
  fd_.reset();
  (void)::unlink(temporary_.c_str());
  temporary_.clear();
  return fail(ErrorKind::failure, writing(path_), std::strerror(error));
}

Result<void> AtomicFile::write(std::string_view data) {
  if (!fd_.valid()) return fail(ErrorKind::failure, writing(path_), "the file was already committed");
  if (const int error = write_all(fd_.get(), data); error != 0) return failed(error);
  return {};
}

Result<void> AtomicFile::commit() {
  if (!fd_.valid()) return fail(ErrorKind::failure, writing(path_), "the file was already committed");
  if (::fsync(fd_.get()) != 0) return failed(errno);
  if (const int error = fd_.close(); error != 0) return failed(error);
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) return failed(errno);
  temporary_.clear();
  sync_directory(path_.parent_path());
  return {};
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode) {
  auto file = AtomicFile::create(path, mode);
  if (!file) return std::unexpected(file.error());
  if (auto written = file->write(text); !written) return written;
  return file->commit();
}

Result<PrivateTempDir> PrivateTempDir::create(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) { // mkdtemp makes it 0700
    return fail(ErrorKind::external, "creating a temporary directory", std::strerror(errno));
  }
  return PrivateTempDir(pattern);
}

PrivateTempDir::~PrivateTempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

} // namespace sp::util
