#!/usr/bin/env bash
# Clean build of `sp` (no tests, no ccache, -j2) at two commits, one after the other, then
# `sp version` of both with hyperfine. Prints figures; never passes or fails.
#   tests/bench/build_time.sh BEFORE_REV [AFTER_REV=HEAD]   (about 7 minutes on 2 cores)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
before=${1:?usage: build_time.sh BEFORE_REV [AFTER_REV]}
after=${2:-HEAD}
work=$(mktemp -d "${TMPDIR:-/tmp}/sp-build-time-XXXXXX")
trap 'rm -rf "$work"' EXIT
for side in "before:$before" "after:$after"; do
  name=${side%%:*} rev=${side#*:}
  src=$work/src-$name bld=$work/build-$name
  rm -rf "$src" "$bld"; mkdir -p "$src"
  git -C "$repo" archive "$rev" | tar -x -C "$src"
  CCACHE_DISABLE=1 cmake -S "$src" -B "$bld" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DSP_BUILD_TESTS=OFF >/dev/null
  echo "== $name ($(git -C "$repo" rev-parse --short "$rev"))"
  CCACHE_DISABLE=1 /usr/bin/time -f "$name wall %e s user %U s sys %S s maxrss %M kB" ninja -C "$bld" -j2 sp >/dev/null
done
hyperfine -N --warmup 20 --runs 300 --export-json "$work/version.json" \
  -n before "$work/build-before/src/sp version" -n after "$work/build-after/src/sp version"
python3 - "$work/version.json" <<'PY'
import json; import sys; d=json.load(open(sys.argv[1]))
for r in d['results']:
    t=sorted(r['times']); print(r['command'], 'median %.2f ms' % (1000*t[len(t)//2]), 'mean %.2f ms' % (1000*r['mean']))
PY
