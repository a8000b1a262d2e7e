// The restore rules of SPEC.md section 5: which state a job starts from.
// This is the decision that protects users from losing state, so it is pure:
// every fact (known points, history, time, how a path looks on disk) is passed
// in, and the result says what to do and why, for `start`, `plan` and
// `--dry-run` alike.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

enum class PointKind { checkpoint, savepoint, stop_savepoint };

std::string_view to_string(PointKind kind);
std::optional<PointKind> point_kind_from_string(std::string_view text);

// A restore point as sp knows it.
struct KnownPoint {
  std::int64_t id = 0; // sp's id
  PointKind kind = PointKind::checkpoint;
  std::optional<std::int64_t> flink_checkpoint_id; // only meaningful within its run
  std::optional<std::int64_t> run_id;
  std::string path;
  std::int64_t completion_ms = 0;
  bool valid = true;
  bool disposed = false;
  std::string invalid_reason;
  std::optional<std::string> source; // where sp found it, when it did not record it as it happened
};

// How a path looked when checked. `unverified`: a scheme sp cannot look into,
// accepted and reported as such. `unreachable`: the store could not be asked;
// that says nothing about the point, so nothing is marked and nothing starts.
enum class PathStatus { valid, unverified, invalid, unreachable };

struct PathCheck {
  PathStatus status = PathStatus::valid;
  std::string detail; // why invalid, or what was verified
};

// The side-effect boundary: looks at a path (for file: paths, the directory or
// file and its _metadata). Production code passes a filesystem check; tests pass a table.
using PathChecker = std::function<PathCheck(const std::string& path)>;

// Parses `file:/x`, `file:///x` and bare absolute paths to a local path;
// nullopt for other schemes.
std::optional<std::string> local_path_of(const std::string& path);

// A location as Flink prints it, so two spellings of one place compare
// equal: file:/x for file:///x, file://localhost/x and /x; scheme:/x for
// scheme:///x (an empty authority: Flink prints hdfs:///x back as
// hdfs:/x); no trailing '/'. Other authorities are kept as written:
// hdfs://nn:8020/x and hdfs:/x may be one place, but only the cluster's
// default file system could say so.
std::string canonical_location(std::string_view uri);

// canonical_location without a last "/_metadata": a point's directory and
// its metadata file are one restore point.
std::string restore_location(std::string_view uri);

// Whether two spellings name one restore point. Beyond restore_location, a
// path without an authority (hdfs:/p, as sp and operators write it) is the
// same path on the default file system, which is what Flink names when it
// reports the point it restored (hdfs://namenode:8020/p): an empty
// authority matches any authority of the same scheme.
bool same_restore_location(std::string_view a, std::string_view b);

enum class RestoreMode { automatic, none, explicit_path };

struct RestoreRequest {
  RestoreMode mode = RestoreMode::automatic;
  std::string explicit_path;              // with explicit_path
  bool force = false;                     // --force, with --restore none
  bool allow_old_state = false;           // --allow-old-state
  std::optional<std::int64_t> max_age_ms; // the job's state.maxAge
  std::int64_t now_ms = 0;
};

struct RestoreFacts {
  std::vector<KnownPoint> points; // every point sp knows for the job, in any order
  bool has_run_before = false;    // any earlier run of the job, here or found on the cluster or its storage
  std::optional<std::int64_t> last_run_id; // the newest run, to say so when a point of an older one is chosen
  // SPEC 5.6: "never run" must be known. What could not be asked (the
  // JobManager, a state directory) while sp's records were thin; empty when
  // everything that could hold the job's history answered.
  std::vector<std::string> unchecked;
};

// One line of the decision's evidence: a candidate and what became of it.
struct CandidateOutcome {
  KnownPoint point;
  enum class Verdict { chosen, skipped, invalid, not_tried } verdict = Verdict::not_tried;
  std::string reason;
};

struct RestoreDecision {
  // cannot_check: a store or the JobManager could not be asked (exit 5); refuse: a rule said no (exit 4).
  enum class Action { restore, start_fresh, refuse, cannot_check } action = Action::refuse;
  std::optional<KnownPoint> chosen; // with restore (id 0 when an explicit path sp did not know)
  bool unverified = false;          // the chosen path could not be looked into
  std::string reason;               // one sentence for the user
  // Set when a point of an older run is chosen: what the user must see first.
  std::string warning;
  std::vector<CandidateOutcome> candidates; // newest first, as considered
  // Points found invalid now: the caller marks them invalid and records an event each.
  std::vector<CandidateOutcome> newly_invalid;
};

// The newest-first order of SPEC 5.3: completion time, then sp's id (later
// recorded first) so equal times are ordered the same way every time.
std::vector<KnownPoint> newest_first(std::vector<KnownPoint> points);

RestoreDecision decide_restore(const RestoreRequest& request, const RestoreFacts& facts,
                               const PathChecker& check_path);

// "3d 4h", "25m", "12s": a short age for messages.
std::string describe_age(std::int64_t milliseconds);

} // namespace sp::core
