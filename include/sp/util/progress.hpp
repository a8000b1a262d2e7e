// The text of a progress line, kept apart from the terminal so it can be
// tested: what is happening, a detail, and the elapsed time, fitted to the
// terminal's width (a line that wraps can no longer be rewritten with \r).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::util {

// Elapsed time as a counter: `0.4s`, `12.0s`, `1m05s`, `1h02m`.
std::string format_elapsed(std::chrono::milliseconds elapsed);

// Bytes for people: `512 B`, `4.0 KiB`, `1.5 MiB`, `2.0 GiB`.
std::string human_bytes(std::uint64_t bytes);

// `label: detail  elapsed` (or `label  elapsed`), at most `width` columns:
// a long label yields up to half the line to the detail, then the detail is
// cut, each cut marked with "...". Control
// characters in the detail (a build's own \r progress bars) become spaces.
std::string progress_line(std::string_view label, std::string_view detail, std::chrono::milliseconds elapsed,
                          std::size_t width);

// The newest complete, non-blank line of output that arrives in chunks (a
// build's output, shown beside the elapsed time).
class LastLine {
public:
  // The newest line `chunk` completed, if it completed one.
  std::optional<std::string> feed(std::string_view chunk);

private:
  std::string partial_; // the unfinished line so far
};

} // namespace sp::util
