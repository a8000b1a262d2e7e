#!/usr/bin/env bash
# Format and lint, as the test run enforces them:
#   tests/lint.sh BUILD_DIR     clang-format --dry-run -Werror over every C++
#                               file git tracks, then clang-tidy (the repo's
#                               .clang-tidy) over src/ with BUILD_DIR's
#                               compile_commands.json.
# clang 19 from Debian's packages (.ci/install-deps.sh installs it).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: lint.sh BUILD_DIR}
jobs=${SP_TEST_JOBS:-2}
cd "$repo"

mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
echo "lint: clang-format over ${#files[@]} files"
clang-format-19 --dry-run -Werror "${files[@]}"

[ -f "$build/compile_commands.json" ] || { echo "lint: no $build/compile_commands.json" >&2; exit 1; }
echo "lint: clang-tidy over src/"
# libstdc++ 12's stable_sort uses get_temporary_buffer, which clang 19 calls deprecated: not ours.
# cli's precompiled header is GCC's: clang reads the header itself instead (-Wno-ignored-gch).
run-clang-tidy-19 -quiet -j "$jobs" -p "$build" -clang-tidy-binary clang-tidy-19 \
  -extra-arg=-Wno-deprecated-declarations -extra-arg=-Wno-ignored-gch "$repo/src/" >"$build/clang-tidy.log" 2>&1 ||
  { grep -E "(warning|error): " "$build/clang-tidy.log" | sort -u; echo "lint: clang-tidy found the above" >&2; exit 1; }
echo "lint: clean"
