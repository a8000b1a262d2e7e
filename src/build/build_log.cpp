#include "sp/build/build_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <utility>

namespace sp::build {

Result<BuildLog> BuildLog::open(const std::filesystem::path& path) {
  std::filesystem::path partial;
  for (const auto& part : path.parent_path()) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return fail(ErrorKind::failure, "opening build log " + path.string(),
                  "creating " + partial.string() + ": " + std::strerror(errno));
    }
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail(ErrorKind::failure, "opening build log " + path.string(), std::strerror(errno));
  return BuildLog(fd);
}

BuildLog::BuildLog(BuildLog&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), failure_(std::move(other.failure_)) {}

BuildLog::~BuildLog() {
  if (fd_ >= 0) ::close(fd_);
}

void BuildLog::write(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!failure_) failure_ = n < 0 ? std::strerror(errno) : "the file takes no more bytes";
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void BuildLog::note(std::string_view line) {
  std::string text = "[sp] ";
  text += line;
  text += '\n';
  write(text);
}

std::vector<std::string> tail_lines(const std::filesystem::path& path, std::size_t count) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > count) lines.pop_front();
  }
  return {lines.begin(), lines.end()};
}

} // namespace sp::build
