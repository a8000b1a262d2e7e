// sp version: what this binary is and what it links. Opens no database and no
// network, so it stays instant.
#include "build_info.hpp"
#include "commands.hpp"

#include "sp/build/source.hpp"
#include "sp/net/http.hpp"
#include "sp/store/database.hpp"

#include <CLI/Version.hpp>
#include <fmt/format.h>

namespace sp::cli {

namespace {

View version_view() {
  const net::CurlVersion curl = net::libcurl_version();
  Data libraries = Data::object();
  libraries["sqlite"] = store::sqlite_version();
  libraries["libcurl"] = curl.version;
  libraries["tls"] = curl.tls;
  libraries["libgit2"] = build::libgit2_version();
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
