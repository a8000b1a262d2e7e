#include "sp/store/events.hpp"

namespace sp::store {

void record_event(Database& database, const NewEvent& event) {
  database
      .prepare("INSERT INTO events (time, job_id, subject_kind, subject, kind, actor, host, message) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(event.time_ms, event.job_id, event.subject_kind, event.subject, event.kind,
                event.actor, event.host, event.message)
      .run();
}

} // namespace sp::store
