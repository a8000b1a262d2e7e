#include "sp/build/artifacts.hpp"

#include "sp/util/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace sp::build {

namespace {

Error io_error(const std::string& doing, int error) {
  return Error(ErrorKind::failure, doing, std::strerror(error));
}

// Creates each missing directory of `dir` with mode 0700 (SPEC.md section 11).
Result<void> make_private_directories(const std::filesystem::path& dir) {
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return std::unexpected(io_error("creating " + partial.string(), errno));
    }
  }
  return {};
}

} // namespace

Result<std::vector<core::FileEntry>> list_files(const std::filesystem::path& dir) {
  std::vector<core::FileEntry> files;
  std::error_code error;
  auto it = std::filesystem::recursive_directory_iterator(dir, error);
  if (error) return fail(ErrorKind::failure, "listing " + dir.string(), error.message());
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (error) return fail(ErrorKind::failure, "listing " + dir.string(), error.message());
    if (it->is_directory(error) && it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(error) || it->is_symlink(error)) continue;
    const auto size = it->file_size(error);
    if (error) continue; // vanished while listing
    files.push_back({it->path().lexically_relative(dir).generic_string(), size});
  }
  std::ranges::sort(files, {}, &core::FileEntry::path);
  return files;
}

Result<core::ArtifactInfo> store_artifact(const std::filesystem::path& source,
                                          const std::filesystem::path& destination_dir) {
  const std::string doing = "storing artifact " + source.string();
  if (auto made = make_private_directories(destination_dir); !made) return std::unexpected(made.error());
  const auto destination = destination_dir / source.filename();
  const auto partial = destination_dir / ("." + source.filename().string() + ".partial");

  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return std::unexpected(io_error(doing, errno));
  const int out = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    const int saved = errno;
    ::close(in);
    return std::unexpected(io_error(doing + " to " + partial.string(), saved));
  }
  util::Sha256 hash;
  std::uint64_t size = 0;
  std::array<char, 1 << 16> buffer{};
  int failure = 0;
  for (;;) {
    const ssize_t n = ::read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failure = errno;
      break;
    }
    if (n == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
    for (ssize_t written = 0; written < n;) {
      const ssize_t w = ::write(out, buffer.data() + written, static_cast<std::size_t>(n - written));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        failure = errno;
        break;
      }
      written += w;
    }
    if (failure != 0) break;
  }
  ::close(in);
  if (failure == 0 && ::fsync(out) != 0) failure = errno;
  if (::close(out) != 0 && failure == 0) failure = errno;
  if (failure == 0 && ::rename(partial.c_str(), destination.c_str()) != 0) failure = errno;
  if (failure != 0) {
    ::unlink(partial.c_str());
    return std::unexpected(io_error(doing + " to " + destination.string(), failure));
  }
  return core::ArtifactInfo{destination.string(), hash.hex(), size};
}

} // namespace sp::build
