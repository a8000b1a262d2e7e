#include "sp/cli/progress.hpp"

#include "sp/util/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <ostream>

namespace sp::cli {

namespace {

constexpr auto redraw_every = std::chrono::milliseconds(100);
// Carriage return, then "erase to the end of the line": a shorter line leaves no tail.
constexpr const char* rewrite = "\r\x1b[K";

} // namespace

ProgressDisplay::ProgressDisplay(std::ostream& err, bool live, std::size_t width, Clock clock)
    : err_(err), live_(live), width_(width), clock_(std::move(clock)) {}

ProgressDisplay::~ProgressDisplay() {
  try {
    end_line();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor never throws; the line stays open
  }
}

void ProgressDisplay::phase(const std::string& label) {
  if (!live_) return;
  end_line();
  label_ = label;
  detail_.clear();
  started_ = clock_();
  open_ = true;
  draw(true);
}

void ProgressDisplay::detail(const std::string& text) {
  if (!live_ || !open_) return;
  detail_ = text;
  draw(false);
}

void ProgressDisplay::tick() {
  if (live_ && open_) draw(false);
}

void ProgressDisplay::end_line() {
  if (!live_ || !open_) return;
  draw(true);
  err_ << '\n' << std::flush;
  open_ = false;
}

void ProgressDisplay::draw(bool force) {
  const auto now = clock_();
  if (!force && now - drawn_ < redraw_every) return;
  drawn_ = now;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
  // One column spare: a line that fills the last column wraps on some terminals.
  err_ << rewrite << util::progress_line(label_, detail_, elapsed, width_ > 1 ? width_ - 1 : width_)
       << std::flush;
}

std::size_t stderr_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

} // namespace sp::cli
