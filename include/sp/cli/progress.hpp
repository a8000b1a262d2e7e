// Progress on stderr: on a terminal, one line rewritten in place with what is
// happening and the elapsed time; anywhere else (a pipe, a file, -q) nothing
// at all, so scripts and logs only get the plain final lines. The text comes
// from util::progress_line.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>

namespace sp::cli {

class ProgressDisplay {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `live`: stderr is a terminal and not --quiet. `width`: its columns.
  ProgressDisplay(std::ostream& err, bool live, std::size_t width,
                  Clock clock = std::chrono::steady_clock::now);
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;
  ~ProgressDisplay(); // ends a line left open, so an error message starts on its own line

  // A new step: the previous one's line is finished with its time, and this
  // one's starts counting.
  void phase(const std::string& label);
  // What the step is at now (objects received, the build's last line).
  void detail(const std::string& text);
  // Redraws the elapsed time; cheap to call often (at most 10 redraws a second).
  void tick();
  // Finishes the current line, if any; later output starts on a fresh line.
  void end_line();

  bool live() const { return live_; }

private:
  void draw(bool force);

  std::ostream& err_;
  bool live_;
  std::size_t width_;
  Clock clock_;
  std::string label_;
  std::string detail_;
  bool open_ = false;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point drawn_{};
};

// The columns of the terminal on stderr, 80 when it cannot be told.
std::size_t stderr_columns();

} // namespace sp::cli
