#include "sp/core/artifact.hpp"

#include "sp/util/glob.hpp"

namespace sp::core {

namespace {

std::string_view file_name_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_default_candidate(std::string_view path) {
  return util::glob_match("target/*.jar", path) && !is_secondary_jar(file_name_of(path));
}

} // namespace

bool is_secondary_jar(std::string_view file_name) {
  return file_name.starts_with("original-") || file_name.ends_with("-sources.jar") ||
         file_name.ends_with("-javadoc.jar") || file_name.ends_with("-tests.jar");
}

Result<FileEntry> choose_artifact(std::span<const FileEntry> files, const std::optional<std::string>& glob) {
  const FileEntry* best = nullptr;
  for (const auto& file : files) {
    const bool candidate = glob ? util::glob_match(*glob, file.path) : is_default_candidate(file.path);
    if (!candidate) continue;
    if (best == nullptr || file.size > best->size || (file.size == best->size && file.path < best->path)) {
      best = &file;
    }
  }
  if (best != nullptr) return *best;

  std::string jars;
  for (const auto& file : files) {
    if (!file.path.ends_with(".jar")) continue;
    jars += (jars.empty() ? "" : ", ") + file.path;
  }
  const std::string seen = jars.empty() ? "no jar at all was built" : "jars seen: " + jars;
  if (glob) {
    return fail(ErrorKind::external, "choosing the build's artifact",
                "no file matches the project's artifact glob '" + *glob + "' (" + seen + ")",
                "fix the glob (relative to the project's subdirectory) with the project's artifact setting");
  }
  return fail(ErrorKind::external, "choosing the build's artifact",
              "no target/*.jar other than original-*, *-sources, *-javadoc or *-tests jars (" + seen + ")",
              "set an artifact glob on the project (sp project add ... --artifact GLOB)");
}

} // namespace sp::core
