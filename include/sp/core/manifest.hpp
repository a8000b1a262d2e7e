// Declarative objects (SPEC.md section 2): one `apiVersion: sp/v1` document
// of a kind, a name, where applicable its environment, and its typed spec.
// Files, the database and `sp export` all meet in this one shape.
#pragma once

#include "sp/core/alert_channel.hpp"
#include "sp/core/cluster.hpp"
#include "sp/core/environment.hpp"
#include "sp/core/flink.hpp"
#include "sp/core/job.hpp"
#include "sp/core/problems.hpp"
#include "sp/core/project.hpp"

#include <nlohmann/json_fwd.hpp>

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sp::core {

inline constexpr std::string_view api_version = "sp/v1";

// In the order apply creates them, so references always point backwards.
enum class ObjectKind { environment, flink, project, alert_channel, cluster, job };

// Index i holds the spec of ObjectKind i.
using ObjectSpec =
    std::variant<EnvironmentSpec, FlinkSpec, ProjectSpec, AlertChannelSpec, ClusterSpec, JobSpec>;

// "Environment", "Flink", ..., as `kind:` spells them.
std::string_view to_string(ObjectKind kind);
// Lower-case singular ("alert-channel"), for events and messages.
std::string_view kind_noun(ObjectKind kind);
const std::vector<std::string>& kind_names();
// Exact `kind:` spelling only.
std::optional<ObjectKind> object_kind_from_string(std::string_view text);
// Forgiving spelling for the command line: any case, plural, with or without '-'/'_'.
std::optional<ObjectKind> kind_from_argument(std::string_view text);
// Clusters and jobs belong to an environment; the other kinds are global.
bool is_namespaced(ObjectKind kind);

// Object names: [A-Za-z0-9][A-Za-z0-9._-]*, at most 128 characters.
bool is_valid_object_name(std::string_view name);

struct Manifest {
  ObjectKind kind = ObjectKind::environment;
  std::string name;
  std::string environment;  // namespaced kinds only; empty until defaulted to the current one
  JobMetadata job_metadata; // jobs only
  ObjectSpec spec;
  std::optional<SourceLocation> location;                // the document, when read from a file
  std::map<std::string, SourceLocation> field_locations; // "spec.cluster" -> where it was written
};

// Where a field was written, else where its document starts.
std::optional<SourceLocation> location_of(const Manifest& manifest, const std::string& field);

// Identifies an object: the environment is empty for global kinds.
struct ObjectKey {
  ObjectKind kind = ObjectKind::environment;
  std::string environment;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
  std::string to_string() const; // "Job orders-enrich (environment prod)"
};
ObjectKey key_of(const Manifest& manifest);

// The document as a file would hold it: apiVersion, kind, metadata, spec.
// `sp export` prints this, and parse_manifests reads it back to the same Manifest.
nlohmann::ordered_json to_manifest_json(const Manifest& manifest, bool mask_secrets);

// What apply and diff compare: metadata (jobs) and spec, every field written
// out in one shape, so a change is reported at the field that changed.
nlohmann::ordered_json to_comparable_json(const Manifest& manifest, bool mask_secrets);

// Reads every document of one YAML text (documents separated by `---`;
// empty ones are skipped). Strict: unknown keys, wrong types, missing
// required fields and syntax errors are usage errors naming
// `file:line:column`; all problems of the text are reported together.
// Namespaced objects without metadata.environment get an empty environment.
Result<std::vector<Manifest>> parse_manifests(std::string_view yaml, const std::string& file_name);

} // namespace sp::core
