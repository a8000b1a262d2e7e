// The event log: status transitions and operations, with who did them and where.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct NewEvent {
  std::int64_t time_ms = 0;
  std::optional<std::int64_t> job_id;
  std::string subject_kind; // "job", "project", "home", ...
  std::string subject;      // the object's name
  std::string kind;         // "started", "stopped", "applied", ...
  std::string actor;        // the acting user
  std::string host;
  std::string message; // already free of secrets
};

// Appends one event; runs inside the caller's transaction when there is one.
void record_event(Database& database, const NewEvent& event);

// One event as `sp job history` shows it.
struct EventRow {
  std::int64_t time_ms = 0;
  std::string kind;
  std::string actor;
  std::string host;
  std::string message;
};

// The job's events, newest first (ties in the order they were recorded, newest first).
std::vector<EventRow> job_events(Database& database, std::int64_t job_id);

} // namespace sp::store
