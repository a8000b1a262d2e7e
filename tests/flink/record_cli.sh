#!/usr/bin/env bash
# Records what `bin/flink run` prints, for the CLI driver's parser tests:
# tests/fixtures/flink-cli/<version>/*.txt (stdout and stderr together, as sp
# reads them). Needs a running cluster of VERSION (cluster.sh start VERSION);
# takes about two minutes, most of it the unreachable case (Flink retries).
#
#   tests/flink/record_cli.sh VERSION
set -euo pipefail
version=${1:?usage: record_cli.sh VERSION}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
version=$(bash "$here/cluster.sh" resolve "$version")
url=$(bash "$here/cluster.sh" url "$version")
home=$(bash "$here/cluster.sh" home "$version")
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
[ -f "$jar" ] || mvn -B -q -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line"
out="$repo/tests/fixtures/flink-cli/$version"
mkdir -p "$out"
port=${url##*:}
flink_run() { # NAME ARGS...: records `bin/flink run -t remote -d ARGS` into NAME.txt; prints its JobID, if any
  local name=$1; shift
  "$home/bin/flink" run -t remote -d -Drest.address=127.0.0.1 "$@" >"$out/$name.txt" 2>&1 || true
  sed -n 's/^Job has been submitted with JobID \([0-9a-f]*\)$/\1/p' "$out/$name.txt"
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

job=$(flink_run run-fresh "-Drest.port=$port" -c sp.example.StatefulCountJob -p 1 "$jar" --name record-cli)
[ -n "$job" ] || { cat "$out/run-fresh.txt"; exit 1; }
for _ in $(seq 1 60); do
  [ "$(curl -fsS "$url/jobs/$job" | json "['state']")" = RUNNING ] && break
  sleep 1
done
sleep 2
trigger=$(curl -fsS -X POST "$url/jobs/$job/stop" -H 'Content-Type: application/json' -d '{"drain": false}' |
  json "['request-id']")
savepoint=
for _ in $(seq 1 60); do
  savepoint=$(curl -fsS "$url/jobs/$job/savepoints/$trigger" | json ".get('operation', {}).get('location', '')")
  [ -n "$savepoint" ] && break
  sleep 1
done
[ -n "$savepoint" ] || { echo "no savepoint"; exit 1; }

job=$(flink_run run-restore "-Drest.port=$port" -s "$savepoint" --claimMode NO_CLAIM -n \
  -c sp.example.StatefulCountJob -p 1 "$jar" --name record-cli)
[ -n "$job" ] && curl -fsS -X PATCH "$url/jobs/$job?mode=cancel" >/dev/null
flink_run missing-savepoint "-Drest.port=$port" -s "file:/nonexistent/savepoint-0" --claimMode NO_CLAIM \
  -c sp.example.StatefulCountJob "$jar" >/dev/null
flink_run fail-at-start "-Drest.port=$port" -c sp.example.StatefulCountJob "$jar" --fail-at-start >/dev/null
flink_run unreachable -Drest.port=9 -c sp.example.StatefulCountJob "$jar" >/dev/null
echo "recorded $(ls "$out" | wc -l) files in $out"
