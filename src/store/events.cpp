#include "sp/store/events.hpp"

namespace sp::store {

void record_event(Database& database, const NewEvent& event) {
  database
      .prepare("INSERT INTO events (time, job_id, subject_kind, subject, kind, actor, host, message) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(event.time_ms, event.job_id, event.subject_kind, event.subject, event.kind, event.actor,
                event.host, event.message)
      .run();
}

std::vector<EventRow> job_events(Database& database, std::int64_t job_id) {
  auto statement = database.prepare(
      "SELECT time, kind, actor, host, message FROM events WHERE job_id = ? ORDER BY time DESC, id DESC");
  statement.bind(1, job_id);
  std::vector<EventRow> events;
  while (statement.step()) {
    events.push_back(
        {statement.int64(0), statement.text(1), statement.text(2), statement.text(3), statement.text(4)});
  }
  return events;
}

} // namespace sp::store
