// A build's log file: everything the build printed, plus sp's own lines
// (what was fetched, what ran, how it ended), kept after failures.
#pragma once

#include "sp/util/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::build {

class BuildLog {
public:
  // Creates (mode 0600) or appends to the file; its directory is created private.
  static Result<BuildLog> open(const std::filesystem::path& path);
  BuildLog(BuildLog&& other) noexcept;
  BuildLog& operator=(BuildLog&&) = delete;
  BuildLog(const BuildLog&) = delete;
  BuildLog& operator=(const BuildLog&) = delete;
  ~BuildLog();

  // Raw output of the build command. A failed write does not fail the
  // build (a full disk must not turn a good build into a failed one); the
  // first failure is kept, so the build can say its log is incomplete.
  void write(std::string_view bytes);
  // One of sp's own lines, marked so it stands out from the build's output.
  void note(std::string_view line);
  // Why the log is incomplete ("No space left on device"); nullopt while every write succeeded.
  const std::optional<std::string>& failure() const { return failure_; }

private:
  explicit BuildLog(int fd) : fd_(fd) {}
  int fd_ = -1;
  std::optional<std::string> failure_;
};

// The last `count` lines of a file (fewer when it is shorter; empty when unreadable).
std::vector<std::string> tail_lines(const std::filesystem::path& path, std::size_t count);

} // namespace sp::build
