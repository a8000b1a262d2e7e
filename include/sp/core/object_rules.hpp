// The rules of declarative objects that hold whichever way an object is
// written: `sp apply -f`, or an imperative `add`, `set`, `remove`. Pure, so
// the two ways cannot disagree and each rule is tested once.
#pragma once

#include "sp/core/environment.hpp"
#include "sp/core/manifest_validation.hpp"
#include "sp/util/error.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// A build timeout as stored (whole seconds): rounded up, never below 1 s,
// so a timeout is never shorter than asked for ("1500ms" is 2 s).
Result<std::chrono::seconds> build_timeout(std::chrono::milliseconds requested);

// A local path as stored: absolute against `base_dir` (the directory of the
// file it was written in, or the working directory of the command), normal,
// without a trailing slash. Relative paths would change meaning with the
// directory sp runs in.
std::string absolute_local_path(std::string_view path, std::string_view base_dir);

// Once secret, always secret: an update that does not say `secret` must not
// reveal a value that was secret; a missing description keeps the old one.
VariableSpec updated_variable(const std::optional<VariableSpec>& existing, std::string value, bool secret,
                              const std::optional<std::string>& description);

// The same rule for a whole environment written by apply.
void keep_secret_flags(EnvironmentSpec& desired, const EnvironmentSpec* current);

// Removal guards: who still uses the object. An object in use is not removed
// (exit 4); sp never removes what depends on it as a side effect.
std::vector<std::string> clusters_using_flink(const ObjectSet& objects, std::string_view flink);
std::vector<std::string> jobs_on_cluster(const ObjectSet& objects, std::string_view environment,
                                         std::string_view cluster);
Result<void> check_removal(const ObjectKey& key, const ObjectSet& objects);

} // namespace sp::core
