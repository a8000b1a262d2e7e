#include "sp/util/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::util {

std::string format_elapsed(std::chrono::milliseconds elapsed) {
  const std::int64_t ms = std::max<std::int64_t>(elapsed.count(), 0);
  if (ms < 60'000) return fmt::format("{}.{}s", ms / 1000, ms % 1000 / 100);
  const std::int64_t seconds = ms / 1000;
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60);
}

std::string human_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

namespace {

std::string cut(std::string_view text, std::size_t room) {
  if (text.size() <= room) return std::string(text);
  if (room <= 3) return std::string(room, '.');
  // Never cut inside a UTF-8 sequence: back up to the start of a character.
  std::size_t end = room - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  while (end > 0 && text[end - 1] == ' ') --end;
  return std::string(text.substr(0, end)) + "...";
}

} // namespace

std::string progress_line(std::string_view label, std::string_view detail, std::chrono::milliseconds elapsed,
                          std::size_t width) {
  const std::string time = "  " + format_elapsed(elapsed);
  std::string clean(detail);
  std::ranges::replace_if(
      clean, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, ' ');
  const auto first = clean.find_first_not_of(' ');
  clean = first == std::string::npos ? std::string()
                                     : clean.substr(first, clean.find_last_not_of(' ') + 1 - first);
  const std::size_t room = width > time.size() ? width - time.size() : 0;
  // With a detail, the label keeps at most half the room the detail wants:
  // the detail is what moves.
  const std::size_t detail_wants = clean.empty() ? 0 : std::min(clean.size() + 2, room / 2);
  std::string head = cut(label, room - detail_wants);
  if (!clean.empty() && head.size() + 2 < room) head += ": " + cut(clean, room - head.size() - 2);
  return head + (width >= head.size() + time.size() ? time : "");
}

std::optional<std::string> LastLine::feed(std::string_view chunk) {
  partial_ += chunk;
  const auto end = partial_.rfind('\n');
  if (end == std::string::npos) return std::nullopt;
  const auto before = end == 0 ? std::string::npos : partial_.rfind('\n', end - 1);
  const std::size_t start = before == std::string::npos ? 0 : before + 1;
  std::string line = partial_.substr(start, end - start);
  partial_.erase(0, end + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t\r") == std::string::npos) return std::nullopt;
  return line;
}

} // namespace sp::util
