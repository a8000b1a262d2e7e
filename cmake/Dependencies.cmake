# Every dependency comes from a Debian package; nothing is downloaded at
# configure or build time. The package names are listed in .ci/install-deps.sh.
find_package(PkgConfig REQUIRED)
find_package(CLI11 2.1 REQUIRED CONFIG)
find_package(SQLite3 3.35 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED CONFIG)
# 7.85: CURLOPT_PROTOCOLS_STR (mail transport); Debian 12 ships 7.88.
find_package(CURL 7.85 REQUIRED)
find_package(fmt 9 REQUIRED CONFIG)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
# Parsing checkpoint statistics: the watch loop reads ~70 MB per
# cycle at 10,000 jobs, where a nlohmann DOM costs more than the transport.
find_package(simdjson 3 REQUIRED CONFIG)
# gzip of a SQL job's script, so it fits one argument of the SQL runner.
find_package(ZLIB 1.2 REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
if(SP_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED CONFIG)
endif()

# yaml-cpp has no runtime version call, so record the one we were built with.
set(SP_YAML_CPP_VERSION "${yaml-cpp_VERSION}")
