#include "sp/build/artifacts.hpp"

#include "sp/util/file.hpp"
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
  const util::Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return std::unexpected(io_error(doing, errno));
  auto out = util::AtomicFile::create(destination, 0600);
  if (!out) return std::unexpected(out.error().within(doing));
  // Hashed while copied, so the recorded digest is of the bytes stored.
  util::Sha256 hash;
  std::uint64_t size = 0;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(io_error(doing, errno));
    if (n == 0) break;
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
    hash.update(chunk.data(), chunk.size());
    size += chunk.size();
    if (auto written = out->write(chunk); !written) return std::unexpected(written.error().within(doing));
  }
  if (auto committed = out->commit(); !committed) return std::unexpected(committed.error().within(doing));
  return core::ArtifactInfo{destination.string(), hash.hex(), size};
}

} // namespace sp::build
