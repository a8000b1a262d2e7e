// What declarative objects mean, checked before anything is written: apply
// and diff run the same checks. Parsing (parse_manifests) has already
// checked shape and types; this checks names, duplicates, references between
// objects, the rules of each cluster and channel type, and the syntax of
// every ${...} reference. Pure: what exists already is passed in.
#pragma once

#include "sp/core/manifest.hpp"

#include <map>
#include <string>
#include <vector>

namespace sp::core {

// Objects by key, as the database holds them.
using ObjectSet = std::map<ObjectKey, Manifest>;

// Clusters and jobs without metadata.environment belong to `current`.
void default_environments(std::vector<Manifest>& manifests, const std::string& current);

// Every problem at once, each naming file:line:column of the field. Kind:
// usage for malformed objects, not_found when only references are missing.
Result<void> validate_manifests(const std::vector<Manifest>& manifests, const ObjectSet& existing);

// Lines warning about variables that jobs, clusters and projects refer to
// but that their environment does not define (after this apply): release
// and render will refuse until they are set. Projects are checked against
// the environments of the jobs that build from them.
std::vector<std::string> undefined_variable_warnings(const std::vector<Manifest>& manifests,
                                                     const ObjectSet& existing);

} // namespace sp::core
