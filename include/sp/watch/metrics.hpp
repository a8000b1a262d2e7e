// The watch loop's metrics in Prometheus' text exposition format, written
// after every cycle to a file (node_exporter's textfile collector, or any
// scraper that reads files).
#pragma once

#include "sp/util/error.hpp"
#include "sp/watch/cycle.hpp"

#include <filesystem>
#include <string>

namespace sp::watch {

// Pure: the report of one cycle as exposition text, ages relative to `now_ms`.
std::string prometheus_text(const CycleReport& report, std::int64_t now_ms, std::int64_t poll_errors_total);

// Writes `text` to a temporary file beside `path` and renames it over
// `path`, so a reader sees the previous cycle's file or this one, never half.
Result<void> write_file_atomically(const std::filesystem::path& path, const std::string& text);

} // namespace sp::watch
