// sp version: what this binary is and what it links. Opens no database and no
// network, so it stays instant.
#include "build_info.hpp"
#include "commands.hpp"

#include <CLI/Version.hpp>
#include <curl/curl.h>
#include <fmt/format.h>
#include <git2.h>
#include <sqlite3.h>

namespace sp::cli {

namespace {

View version_view() {
  int git_major = 0, git_minor = 0, git_patch = 0;
  git_libgit2_version(&git_major, &git_minor, &git_patch);
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);

  Data libraries = Data::object();
  libraries["sqlite"] = sqlite3_libversion();
  libraries["libcurl"] = curl->version;
  libraries["tls"] = curl->ssl_version != nullptr ? curl->ssl_version : "none";
  libraries["libgit2"] = fmt::format("{}.{}.{}", git_major, git_minor, git_patch);
  libraries["yaml_cpp"] = build_info::yaml_cpp_version;
  libraries["fmt"] = fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
  libraries["nlohmann_json"] = fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                           NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  libraries["cli11"] = CLI11_VERSION;

  Data data = Data::object();
  data["version"] = build_info::version;
  data["source_commit"] = build_info::source_commit;
  data["build_type"] = build_info::build_type;
  data["compiler"] = build_info::compiler;
  data["libraries"] = std::move(libraries);
  return {std::move(data), {}};
}

} // namespace

void add_version_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("version", "version, build info and linked library versions");
  command->callback([&chosen] {
    chosen = [](Invocation& invocation) {
      invocation.print(version_view());
      return 0;
    };
  });
}

} // namespace sp::cli
