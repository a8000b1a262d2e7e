#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ and runs each for a bounded time.
#   tests/fuzz/run.sh [SECONDS]     (default 30 per target; FUZZ_JOBS=1)
# The checked-in corpus (tests/fuzz/corpus/<target>/) is replayed first, so
# every crash once found and fixed stays a regression case; new inputs the
# fuzzer finds go to build-fuzz/corpus/, crashes to build-fuzz/artifacts/.
# Needs a clang whose headers give std::expected with GCC 12's libstdc++
# (clang 19 does; Debian: apt-get install clang-19 libclang-rt-19-dev).
set -euo pipefail
seconds="${1:-30}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-fuzz"

pick_clang() {
  for candidate in "${CXX:-}" clang++-19 clang++-18 clang++-17 clang++; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null || continue
    if printf '#include <expected>\nstd::expected<int,int> e{1};\nint main(){return *e - 1;}\n' |
      "$candidate" -std=c++23 -x c++ -fsyntax-only - 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
compiler="$(pick_clang)" || {
  echo "fuzz: no clang with std::expected found; install clang-19 and libclang-rt-19-dev" >&2
  exit 2
}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$compiler" \
  -DSP_FUZZ=ON -DSP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target fuzz_substitution fuzz_manifest_yaml fuzz_sql_split fuzz_s3_listing fuzz_webhdfs_listing

mkdir -p "$build/artifacts"
status=0
for target in fuzz_substitution fuzz_manifest_yaml fuzz_sql_split fuzz_s3_listing fuzz_webhdfs_listing; do
  work="$build/corpus/$target"
  mkdir -p "$work"
  dict=()
  [ -f "$root/tests/fuzz/${target#fuzz_}.dict" ] && dict=(-dict="$root/tests/fuzz/${target#fuzz_}.dict")
  # FUZZ_RUNS (with FUZZ_SEED) bounds the run by executions instead of time:
  # the same inputs every time, so the test run is repeatable; a time bound
  # explores further and is for developers hunting new cases.
  if [ -n "${FUZZ_RUNS:-}" ]; then
    bound=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
    echo "== $target for $FUZZ_RUNS runs (seed ${FUZZ_SEED:-1})"
  else
    bound=(-max_total_time="$seconds")
    echo "== $target for ${seconds}s"
  fi
  if ! "$build/tests/fuzz/$target" "${dict[@]}" "${bound[@]}" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$work" "$root/tests/fuzz/corpus/${target#fuzz_}" 2>"$build/$target.log"; then
    status=1
    echo "fuzz: $target found a problem; see $build/$target.log and $build/artifacts/" >&2
  fi
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done|INFO: exiting)' "$build/$target.log" || true
done
exit "$status"
