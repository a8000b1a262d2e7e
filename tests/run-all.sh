#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs every test tier:
#   1. unit and end-to-end tests, in a warnings-as-errors build and in an
#      ASan+UBSan build;
#   2. integration tests against real components this script starts once:
#      Flink standalone clusters (1.20 and 2.x, from PyPI), git servers on
#      loopback, Maven building examples/, an S3 server (s3proxy) that the
#      clusters keep checkpoints in through Flink's S3 plugin, a loopback
#      YARN and HDFS (Hadoop's minicluster) that Flink deploys onto;
#   3. bounded fuzzing of the parsers (libFuzzer, clang 19);
#   4. format and lint: clang-format and clang-tidy (clang 19), tests/lint.sh.
# Flink and Maven downloads are cached in the usual user cache directories
# (~/.cache/sp-tests, ~/.cache/pip, ~/.m2), so only the first run pays for them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/build-test"
jobs=${SP_TEST_JOBS:-2}
flink_versions=${SP_FLINK_VERSIONS:-"1.20.5 2.2.1"}
tiers=${SP_TEST_TIERS:-"lint unit asan integration fuzz"}

# Each step says how long the run has taken so far, so tier times can be read off the log.
step() { printf '\n== [%4d s] %s\n' "$SECONDS" "$*"; }
has_tier() { [[ " $tiers " == *" $1 "* ]]; }

step "installing build and test dependencies"
bash "$repo/.ci/install-deps.sh"

step "building (warnings are errors)"
# -O2 as shipped, without debug info: on two cores, generating it for these
# template-heavy files is a large share of the build.
# The SQL runner jars (Maven, Flink's Table API from ~/.m2) come with it,
# for the SQL job tests.
cmake -S "$repo" -B "$out/release" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DSP_WERROR=ON -DSP_SQL_RUNNER=ON >/dev/null
cmake --build "$out/release" -j "$jobs"

if has_tier lint; then
  step "format and lint"
  bash "$repo/tests/lint.sh" "$out/release"
fi

step "unit and end-to-end tests"
ctest --test-dir "$out/release" -L 'unit|e2e' -j "$jobs" --output-on-failure

if has_tier asan; then
  step "building with AddressSanitizer and UndefinedBehaviorSanitizer"
  cmake -S "$repo" -B "$out/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSP_WERROR=ON -DSP_SANITIZE=ON >/dev/null
  cmake --build "$out/asan" -j "$jobs"
  step "unit and end-to-end tests under sanitizers"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$out/asan" -L 'unit|e2e' -j "$jobs" --output-on-failure
fi

if has_tier integration; then
  cluster="$repo/tests/flink/cluster.sh"
  export SP_TEST_RUN_DIR="$out/flink-run"
  s3_server="$repo/tests/s3/server.sh"
  hadoop="$repo/tests/yarn/hadoop.sh"
  started=()
  stop_clusters() {
    for version in "${started[@]}"; do bash "$cluster" stop "$version" || true; done
    bash "$s3_server" stop || true
    bash "$hadoop" stop || true
  }
  trap stop_clusters EXIT
  # Before the clusters: they are configured with its endpoint and keys.
  step "S3 server (s3proxy): install (cached) and start"
  bash "$s3_server" start
  step "YARN and HDFS (Hadoop minicluster): install (cached) and start"
  bash "$hadoop" start >/dev/null
  for version in $flink_versions; do
    step "Flink $version: install (cached) and start"
    bash "$cluster" install "$version"
    bash "$cluster" start "$version"
    started+=("$version")
  done
  export SP_FLINK_VERSIONS="$flink_versions"
  step "integration tests (real Flink, git servers, Maven, SQLite files)"
  ctest --test-dir "$out/release" -L 'integration|flink' --output-on-failure
  stop_clusters
  started=()
fi

if has_tier fuzz; then
  step "fuzzing the parsers for a bounded time"
  # Bounded by executions with a fixed seed, so every run tries the same inputs.
  FUZZ_RUNS=${SP_FUZZ_RUNS:-50000} FUZZ_SEED=1 bash "$repo/tests/fuzz/run.sh"
fi

step "all tests passed"
