#include "sp/store/builds.hpp"

#include "sp/store/locks.hpp"

#include <nlohmann/json.hpp>

namespace sp::store {

namespace {

constexpr const char* select_columns =
    "SELECT id, project_id, status, ref, command, commit_sha, commit_author, commit_subject, started_at, "
    "checked_out_at, finished_at, exit_code, log_path, artifact_path, artifact_sha256, artifact_size, error, "
    "host, pid FROM builds ";

BuildRow read_row(const Statement& row) {
  BuildRow build;
  build.id = row.int64(0);
  build.project_id = row.int64(1);
  const auto status = core::build_status_from_string(row.text(2));
  if (!status)
    throw Error(ErrorKind::failure, "reading build " + std::to_string(build.id),
                "unknown status '" + row.text(2) + "'");
  build.status = *status;
  build.ref = row.text(3);
  const auto command = nlohmann::json::parse(row.text(4), nullptr, false);
  if (command.is_array()) {
    for (const auto& word : command) {
      if (word.is_string()) build.command.push_back(word.get<std::string>());
    }
  }
  if (auto sha = row.optional_text(5)) {
    build.commit = core::CommitInfo{*sha, row.text(6), row.text(7)};
  }
  build.started_at = row.int64(8);
  build.checked_out_at = row.optional_int64(9);
  build.finished_at = row.optional_int64(10);
  build.exit_code = row.optional_int64(11);
  build.log_path = row.text(12);
  if (auto path = row.optional_text(13)) {
    build.artifact = core::ArtifactInfo{*path, row.text(14), static_cast<std::uint64_t>(row.int64(15))};
  }
  build.error = row.optional_text(16);
  build.host = row.text(17);
  build.pid = row.int64(18);
  return build;
}

} // namespace

std::string project_lock_name(const std::string& project) { return "project:" + project; }

BuildRow start_build(Database& database, const NewBuild& build, const std::filesystem::path& log_dir) {
  Transaction transaction(database);
  database
      .prepare("INSERT INTO builds (project_id, status, ref, command, started_at, log_path, host, pid) "
               "VALUES (?, 'building', ?, ?, ?, '', ?, ?)")
      .bind_all(build.project_id, build.ref, nlohmann::json(build.command).dump(), build.started_at,
                build.host, build.pid)
      .run();
  const std::int64_t id = database.last_insert_rowid();
  const std::string log_path = (log_dir / (std::to_string(id) + ".log")).string();
  database.prepare("UPDATE builds SET log_path = ? WHERE id = ?").bind_all(log_path, id).run();
  transaction.commit();
  return BuildRow{.id = id,
                  .project_id = build.project_id,
                  .status = core::BuildStatus::building,
                  .ref = build.ref,
                  .command = build.command,
                  .started_at = build.started_at,
                  .log_path = log_path,
                  .host = build.host,
                  .pid = build.pid};
}

void record_checkout(Database& database, std::int64_t build_id, const core::CommitInfo& commit,
                     std::int64_t at_ms) {
  database
      .prepare("UPDATE builds SET commit_sha = ?, commit_author = ?, commit_subject = ?, checked_out_at = ? "
               "WHERE id = ?")
      .bind_all(commit.sha, commit.author, commit.subject, at_ms, build_id)
      .run();
}

void finish_build(Database& database, std::int64_t build_id, const BuildEnding& ending) {
  std::optional<std::string> path, sha256;
  std::optional<std::int64_t> size;
  if (ending.artifact) {
    path = ending.artifact->path;
    sha256 = ending.artifact->sha256;
    size = static_cast<std::int64_t>(ending.artifact->size);
  }
  database
      .prepare("UPDATE builds SET status = ?, finished_at = ?, exit_code = ?, artifact_path = ?, "
               "artifact_sha256 = ?, artifact_size = ?, error = ? WHERE id = ?")
      .bind_all(std::string(core::to_string(ending.status)), ending.finished_at, ending.exit_code, path,
                sha256, size, ending.error, build_id)
      .run();
}

int fail_abandoned_builds(Database& database, std::int64_t project_id, std::int64_t now_ms) {
  database
      .prepare("UPDATE builds SET status = 'failed', finished_at = ?, error = ? "
               "WHERE project_id = ? AND status = 'building'")
      .bind_all(now_ms, std::string(core::abandoned_build_error), project_id)
      .run();
  return database.changes();
}

std::vector<BuildRow> list_builds(Database& database, std::int64_t project_id) {
  auto row = database.prepare(std::string(select_columns) + "WHERE project_id = ? ORDER BY id DESC");
  row.bind(1, project_id);
  std::vector<BuildRow> builds;
  while (row.step()) builds.push_back(read_row(row));
  return builds;
}

std::optional<BuildRow> find_build(Database& database, std::int64_t project_id, std::int64_t build_id) {
  auto row = database.prepare(std::string(select_columns) + "WHERE project_id = ? AND id = ?");
  row.bind_all(project_id, build_id);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::optional<BuildRow> latest_build(Database& database, std::int64_t project_id) {
  auto row = database.prepare(std::string(select_columns) + "WHERE project_id = ? ORDER BY id DESC LIMIT 1");
  row.bind(1, project_id);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

void apply_liveness(Database& database, const std::string& project, std::vector<BuildRow>& builds,
                    const std::string& this_host, std::int64_t now_ms, const core::PidProbe& pid_alive) {
  std::optional<std::optional<core::LockState>> lock; // read once, only when needed
  for (auto& build : builds) {
    if (build.status != core::BuildStatus::building) continue;
    if (!lock) lock = find_lock(database, project_lock_name(project));
    const core::LockHolder builder{.owner = {}, .host = build.host, .pid = build.pid};
    if (core::builder_alive(*lock, builder, this_host, now_ms, pid_alive)) continue;
    build.status = core::BuildStatus::failed;
    build.error = std::string(core::abandoned_build_error);
  }
}

} // namespace sp::store
