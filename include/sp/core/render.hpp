// Substitution applied to whole objects (SPEC.md section 4): every string
// field of a job (entry class, args, Flink configuration values, savepoint
// directory, jar path), a cluster's addresses, savepoint directory and Flink
// configuration values, and a project's url and ref.
#pragma once

#include "sp/core/cluster.hpp"
#include "sp/core/job.hpp"
#include "sp/core/project.hpp"
#include "sp/core/substitution.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sp::core {

// Calls `visit(field, text)` for each string of the object that substitution
// applies to, in a fixed order, with field paths as files spell them
// ("spec.args[1]", `spec.flinkConfiguration["a.b"]`).
using TemplateVisitor = std::function<void(const std::string& field, const std::string& text)>;
void for_each_template_field(const JobSpec& spec, const TemplateVisitor& visit);
void for_each_template_field(const ClusterSpec& spec, const TemplateVisitor& visit);
void for_each_template_field(const ProjectSpec& spec, const TemplateVisitor& visit);

// An object with every reference resolved. `clear` is for submitting to
// Flink; `masked` is what output may show.
template <typename Spec> struct Rendered {
  Spec clear;
  Spec masked;
  std::vector<VariableUse> uses;
  bool uses_secret = false;
};

// The built-ins of a job; `release` unknown (nullopt) keeps ${sp.release} for the release to fill.
Builtins job_builtins(const std::string& job, const std::string& environment, const std::string& cluster,
                      std::optional<std::string> release);
Builtins cluster_builtins(const std::string& cluster, const std::string& environment);

// Errors: refused (exit 4) listing every undefined name with its field, or
// usage for a malformed reference. The context's builtins are used as given.
Result<Rendered<JobSpec>> render_job(const std::string& name, const JobSpec& spec,
                                     const SubstitutionContext& context);
Result<Rendered<ClusterSpec>> render_cluster(const std::string& name, const ClusterSpec& spec,
                                             const SubstitutionContext& context);

// A SQL job's script with every reference resolved: `clear` for the runner,
// `masked` for output. `source` names the script in messages (a file, or
// spec.sql.inline). Errors as render_job: every undefined name at once.
Result<ResolvedText> render_sql(const std::string& job, const std::string& source, std::string_view text,
                                const SubstitutionContext& context);

} // namespace sp::core
