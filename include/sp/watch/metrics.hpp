// The watch loop's metrics in Prometheus' text exposition format, written
// after every cycle to a file (node_exporter's textfile collector, or any
// scraper that reads files).
#pragma once

#include "sp/watch/cycle.hpp"

#include <string>

namespace sp::watch {

// Pure: the report of one cycle as exposition text, ages relative to `now_ms`.
std::string prometheus_text(const CycleReport& report, std::int64_t now_ms, std::int64_t poll_errors_total);

} // namespace sp::watch
