#include "sp/store/migrations.hpp"

#include <array>
#include <string>

namespace sp::store {

namespace {

// Times are integer milliseconds since the Unix epoch (UTC). Declarative
// objects keep their spec as canonical JSON text (`spec`), so apply, diff and
// export work on exactly what the user wrote; the columns beside it are the
// ones queries filter or join on.
constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE environments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
-- `default` is where sp acts when no environment is chosen, so it always exists.
INSERT INTO environments (name, created_at, updated_at)
  VALUES ('default', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE variables (
  id              INTEGER PRIMARY KEY,
  environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  value           TEXT NOT NULL,
  secret          INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
  description     TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL,
  UNIQUE (environment_id, name)
);

CREATE TABLE flinks (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  home        TEXT NOT NULL,
  version     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE alert_channels (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL CHECK (type IN ('webhook', 'command', 'email')),
  spec        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE projects (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  spec        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE clusters (
  id              INTEGER PRIMARY KEY,
  environment_id  INTEGER NOT NULL REFERENCES environments(id),
  name            TEXT NOT NULL,
  type            TEXT NOT NULL CHECK (type IN ('remote', 'yarn-session', 'yarn-application',
                                                'kubernetes-session', 'kubernetes-application')),
  flink           TEXT,            -- the Flink distribution's name, for "which clusters use it"
  spec            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (environment_id, name)
);

CREATE TABLE jobs (
  id              INTEGER PRIMARY KEY,
  environment_id  INTEGER NOT NULL REFERENCES environments(id),
  name            TEXT NOT NULL,
  cluster         TEXT NOT NULL,   -- the cluster's name in the same environment
  metadata        TEXT NOT NULL DEFAULT '{}',
  spec            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (environment_id, name)
);

CREATE TABLE builds (
  id               INTEGER PRIMARY KEY,
  project_id       INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- A `building` row whose builder no longer holds the project lock was
  -- killed midway; readers report it as failed and the next build of the
  -- project records it so.
  status           TEXT NOT NULL CHECK (status IN ('building', 'success', 'failed')),
  ref              TEXT NOT NULL,
  command          TEXT NOT NULL,  -- the argv that ran, as a JSON array
  commit_sha       TEXT,
  commit_author    TEXT,
  commit_subject   TEXT,
  started_at       INTEGER NOT NULL,
  checked_out_at   INTEGER,        -- source ready; the build command started here
  finished_at      INTEGER,
  exit_code        INTEGER,
  log_path         TEXT NOT NULL,
  artifact_path    TEXT,
  artifact_sha256  TEXT,
  artifact_size    INTEGER,
  error            TEXT,
  host             TEXT NOT NULL,
  pid              INTEGER NOT NULL
);
CREATE INDEX builds_by_project ON builds (project_id, id);

CREATE TABLE releases (
  id               INTEGER PRIMARY KEY,
  job_id           INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  build_id         INTEGER REFERENCES builds(id) ON DELETE SET NULL,
  artifact_path    TEXT NOT NULL,
  artifact_sha256  TEXT NOT NULL,
  rendered         TEXT NOT NULL,
  -- sha256 of the clear rendered spec: equal fingerprints mean the
  -- configuration did not change, even where masked secrets hide it.
  fingerprint      TEXT NOT NULL,
  flink_jar_id     TEXT,
  created_at       INTEGER NOT NULL
);
CREATE INDEX releases_by_job ON releases (job_id, id);

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  job_id            INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  release_id        INTEGER REFERENCES releases(id) ON DELETE SET NULL,
  flink_job_id      TEXT,
  application_id    TEXT,
  rest_url          TEXT NOT NULL,
  state             TEXT NOT NULL,
  adopted           INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1)),
  restore_point_id  INTEGER REFERENCES restore_points(id) ON DELETE SET NULL,
  restore_path      TEXT,
  restore_verified  INTEGER CHECK (restore_verified IN (0, 1)),
  started_at        INTEGER NOT NULL,
  ended_at          INTEGER,
  end_state         TEXT,
  poll_failures     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_job ON runs (job_id, id);
CREATE INDEX live_runs ON runs (rest_url) WHERE ended_at IS NULL;

CREATE TABLE restore_points (
  id                   INTEGER PRIMARY KEY,
  job_id               INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  run_id               INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('checkpoint', 'savepoint', 'stop-savepoint')),
  flink_checkpoint_id  INTEGER,
  path                 TEXT NOT NULL,
  trigger_time         INTEGER,
  completion_time      INTEGER NOT NULL,
  size_bytes           INTEGER,
  valid                INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1)),
  invalid_reason       TEXT,
  disposed             INTEGER NOT NULL DEFAULT 0 CHECK (disposed IN (0, 1)),
  recorded_at          INTEGER NOT NULL
);
-- Checkpoint ids restart at 1 in every run, so a point is unique per run, never by id alone.
CREATE UNIQUE INDEX restore_points_per_run ON restore_points (run_id, flink_checkpoint_id)
  WHERE run_id IS NOT NULL AND flink_checkpoint_id IS NOT NULL;
CREATE INDEX restore_points_newest ON restore_points (job_id, completion_time DESC);

CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  time          INTEGER NOT NULL,
  job_id        INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  subject_kind  TEXT NOT NULL,
  subject       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  actor         TEXT NOT NULL,
  host          TEXT NOT NULL,
  message       TEXT NOT NULL
);
CREATE INDEX events_by_job ON events (job_id, time);
CREATE INDEX events_by_time ON events (time);

-- Per-job operation locks and the watcher lease: one row per held lock.
CREATE TABLE locks (
  name         TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  acquired_at  INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
)sql";

// The watch loop (SPEC.md section 7): what it last saw of each live run, the
// alerts it raised (an outbox: written in the cycle's transaction, delivered
// after it, retried until sent, so a crash neither loses nor repeats one) and
// its own heartbeat for `sp check` and the metrics.
constexpr std::string_view schema_v2 = R"sql(
ALTER TABLE runs ADD COLUMN last_polled_at INTEGER;
ALTER TABLE runs ADD COLUMN missing_polls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN failed_checkpoints INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN last_checkpoint_at INTEGER;
ALTER TABLE runs ADD COLUMN checkpoint_health TEXT NOT NULL DEFAULT 'ok'
  CHECK (checkpoint_health IN ('ok', 'failing', 'stale'));

-- The watch loop counts a job's restarts within a window each cycle.
CREATE INDEX events_by_kind ON events (kind, time);

CREATE TABLE alerts (
  id        INTEGER PRIMARY KEY,
  time      INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  job_id    INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  subject   TEXT NOT NULL,
  document  TEXT NOT NULL
);
CREATE INDEX alerts_by_time ON alerts (time);

CREATE TABLE alert_deliveries (
  alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  channel     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (alert_id, channel)
);
CREATE INDEX pending_deliveries ON alert_deliveries (alert_id) WHERE status = 'pending';

CREATE TABLE watch_status (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  host            TEXT NOT NULL,
  pid             INTEGER NOT NULL,
  interval_ms     INTEGER NOT NULL,
  last_cycle_at   INTEGER NOT NULL,
  cycle_ms        INTEGER NOT NULL,
  requests        INTEGER NOT NULL,
  errors          INTEGER NOT NULL,
  cycles          INTEGER NOT NULL
);
)sql";

// SPEC 5.9: a run knows where its checkpoints go (so the newest chk-N can be
// found whatever sp recorded), and a restore point says where sp found it
// when it did not see it happen.
constexpr const char* schema_v3 = R"sql(
ALTER TABLE runs ADD COLUMN checkpoint_dir TEXT;
ALTER TABLE restore_points ADD COLUMN source TEXT;
CREATE INDEX runs_by_flink_job ON runs (flink_job_id);
)sql";

// A SQL job's release: the script as written (its references unresolved, so
// no secret is stored), the digest of the resolved script it was made from,
// and Flink's compiled plan of it (secret values masked), where sp could compile it.
constexpr const char* schema_v4 = R"sql(
ALTER TABLE releases ADD COLUMN sql_template TEXT;
ALTER TABLE releases ADD COLUMN sql_digest TEXT;
ALTER TABLE releases ADD COLUMN compiled_plan TEXT;
)sql";

// The watch asks a job's checkpoint statistics at the pace of its own
// checkpoint interval, read from Flink once per run and kept here.
constexpr const char* schema_v5 = R"sql(
ALTER TABLE runs ADD COLUMN checkpoint_interval_ms INTEGER;
)sql";

constexpr std::array<Migration, 5> all_migrations{{
    {1, "initial schema", schema_v1},
    {2, "watch state, alert outbox, watch heartbeat", schema_v2},
    {3, "run checkpoint directories, discovered restore points", schema_v3},
    {4, "SQL job releases", schema_v4},
    {5, "run checkpoint intervals", schema_v5},
}};

} // namespace

std::span<const Migration> migrations() { return all_migrations; }

int latest_schema_version() { return all_migrations.back().version; }

void migrate(Database& database) {
  for (const auto& migration : all_migrations) {
    // Re-read inside the transaction: another sp process may have migrated
    // the file while we waited for the write lock.
    Transaction transaction(database);
    if (database.pragma_int("user_version") >= migration.version) continue;
    database.exec(migration.sql);
    if (migration.version == 1) {
      database.exec("PRAGMA application_id = " + std::to_string(application_id));
    }
    database.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
  }
}

} // namespace sp::store
