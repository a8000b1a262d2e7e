#!/usr/bin/env bash
# Regenerates tests/fixtures/flink-<version>/ from a real cluster in one go:
#   tests/flink/record.sh VERSION        (e.g. 1.20 or 2.2)
# Installs Flink if needed, builds the example job for its line, starts a
# fresh dedicated cluster (name record-<version>, ports default + 50 unless
# SP_FLINK_PORT_OFFSET / SP_FLINK_REST_PORT say otherwise), records, and stops
# that cluster again. Clusters started by cluster.sh with other names are untouched.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 VERSION" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster="$here/cluster.sh"

version=$1
full=$("$cluster" resolve "$version")
line=$(cut -d. -f1,2 <<<"$full")
name="record-$full"
export SP_FLINK_PORT_OFFSET="${SP_FLINK_PORT_OFFSET:-50}"

"$cluster" install "$full"
build_log=$(mktemp)
if ! mvn -B -Dstyle.color=never -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line" >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  rm -f "$build_log"
  echo "record.sh: error: building the example job for Flink $line failed" >&2
  exit 1
fi
rm -f "$build_log"

if "$cluster" status "$full" "$name" >/dev/null 2>&1; then
  "$cluster" stop "$full" "$name"
fi
# A fresh run dir, so the cluster's history holds only the recorded jobs.
rm -rf "$("$cluster" rundir "$full" "$name")"
url=$("$cluster" start "$full" "$name")
trap '"$cluster" stop "$full" "$name"' EXIT

python3 "$here/record.py" "$full" --url "$url" \
  --jar "$repo/examples/flink-job/target/sp-example-job-$line.jar"
