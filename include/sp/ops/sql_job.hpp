// A SQL job (SPEC 14) as operations see it: its script read from where the
// spec says, rendered with the job's variables, split and checked in core,
// and run by the SQL runner jar sp ships for the cluster's Flink line. To
// everything after the release a SQL job is a jar job of that runner.
#pragma once

#include "sp/core/plan_compat.hpp"
#include "sp/core/restore.hpp"
#include "sp/core/sql_script.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/releases.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

// A job's script as written, before substitution: what a release pins.
struct SqlTemplate {
  std::string text;
  std::string source; // for messages: a file, spec.sql.inline, "project P build N: PATH"
  std::optional<std::int64_t> build_id;
};

// Reads the job's script: the file (missing: not_found, exit 3), the inline
// text, or the file in the tree of a successful build's commit of the project
// (`build_id` overrides spec.sql.build; missing in that commit: not_found).
Result<SqlTemplate> read_sql_template(const OpsContext& context, const JobTarget& job,
                                      std::optional<std::int64_t> build_id);

// The script `sp var usages` searches: the file as it is now, or for a
// project's script the one the latest release pinned (a search does not
// read git). nullopt for inline scripts (a template field like any other)
// and when there is nothing to read.
std::optional<SqlTemplate> sql_text_for_search(store::Database& database, std::int64_t job_id,
                                               const std::string& job, const core::JobSpec& spec);

// The script resolved and split: what the runner gets, what output may show.
struct PreparedSql {
  core::SqlScript script;
  std::string masked; // the script with secrets masked
  std::string digest; // sha256 of the resolved script: a release compares it, never stores the text
  std::vector<core::SecretUse> secrets; // what `masked` hides, to template what Flink derives from the script
};

// Renders with the job's variables (every undefined name at once, exit 4),
// splits (exit 2 naming line and column) and requires an INSERT.
Result<PreparedSql> prepare_sql(const JobTarget& job, const SqlTemplate& sql);

// The SQL runner jar for a Flink version: sp-sql-runner-flink-<line>.jar in
// the first of context.sql_runner_dirs holding it (not_found, exit 3, naming
// where it looked, when none does).
Result<std::filesystem::path> find_sql_runner(const OpsContext& context, const std::string& flink_version);

// The Flink version the job's cluster runs: the registered distribution's
// when the cluster names one, else its JobManager's (unreachable: exit 5).
Result<std::string> cluster_flink_version(const OpsContext& context, const JobTarget& job);

// The runner's program arguments: `--script` and base64 of the gzip of the
// script's JSON, and for a pinned job `--mode execute-plan --plan` with the
// compiled plan (clear) the same way. A script or plan too large for one
// argument is refused (usage).
Result<std::vector<std::string>>
sql_runner_arguments(const JobTarget& job, const core::SqlScript& script,
                     const std::optional<std::string>& pinned_plan = std::nullopt);

// Whether the job runs its release's compiled plan (`sql.plan: pinned`).
bool plan_is_pinned(const JobTarget& job);

// A pinned job's compiled plan from its release, its secrets' references
// rendered back to values, for sql_runner_arguments; nullopt for a job that
// plans at each start. Refused when the release holds no plan.
Result<std::optional<std::string>> pinned_plan(const JobTarget& job, const store::ReleaseRow& release);

// The largest `--script` value sp passes: below Linux's limit on one
// argument (MAX_ARG_STRLEN, 128 KiB) for the bin/flink driver, and far below
// the JobManager's REST body limit.
inline constexpr std::size_t max_runner_argument = std::size_t{120} * 1024;

// `sp job verify` (SPEC 14): the pure checks, then Flink's planner on the
// script, which runs nothing: the runner's explain mode with the cluster's
// registered distribution on this host, else the runner jar planned by the
// cluster's JobManager (POST /jars/:id/plan, the jar removed afterwards).
struct SqlVerification {
  std::string source;
  std::size_t statements = 0;
  std::size_t inserts = 0;
  std::string flink_version;
  std::string runner;  // the jar's path
  std::string planner; // where the planner ran: "local <FLINK_HOME>" or the JobManager's URL
  std::vector<std::string> warnings;
};

// Errors: those of read_sql_template and prepare_sql; the planner's refusal
// (unknown connector, table, column or type) is external (exit 6) with
// Flink's message; a planner that cannot be reached is unreachable (exit 5).
Result<SqlVerification> verify_sql(const OpsContext& context, const JobTarget& job,
                                   std::optional<std::int64_t> build_id);

// The planner half of verify_sql, which every new release of a SQL job
// also passes: where the planner ran, and Flink's compiled plan of the
// script (COMPILE PLAN, each secret value replaced by its reference, see
// core::template_secrets) when it ran on this host. A pinned job needs the
// plan: without one (no registered distribution) it is refused.
struct PlannedSql {
  std::string planner;
  std::optional<std::string> compiled_plan;
};
Result<PlannedSql> plan_sql(const OpsContext& context, const JobTarget& job, const PreparedSql& sql,
                            const std::filesystem::path& runner);

// SPEC 14, upgrade safety: before a start restores a point another release
// of the job wrote, the two releases' compiled plans compared. nullopt when
// nothing is restored or the point's release is this one.
struct UpgradeCheck {
  std::int64_t from_release = 0;
  std::optional<core::PlanComparison> comparison; // nullopt: a plan is missing, `note` says which
  std::string note;
};
std::optional<UpgradeCheck> check_upgrade(const OpsContext& context, const store::ReleaseRow& release,
                                          const std::optional<core::KnownPoint>& chosen);

} // namespace sp::ops
