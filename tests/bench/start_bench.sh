#!/usr/bin/env bash
# Submission benchmark (SPEC 12): on one running Flink cluster of VERSION, in
# one run, alternating repetitions of
#   (a)  sp job start JOB --restore SAVEPOINT (REST driver), end to end until
#        RUNNING (sp also verifies the restore), the jar already uploaded;
#   (a') the same after deleting the uploaded jar, so sp uploads it again;
#   (b)  bin/flink run -d -s SAVEPOINT with the same jar, class and args, then
#        polling GET /jobs/overview every 0.1 s until the job is RUNNING;
#   (c)  for information, sp job start through the CLI driver (submit: cli),
#        which runs that same bin/flink;
#   (f)  sp job start of the example SQL job (examples/sql) restoring its
#        savepoint, the SQL runner jar already uploaded: what a SQL job's
#        rendering, split and runner main add beside (a);
#   (d)  sp job start with --restore auto after a cancel, with full records,
#        against (e) the same start from an empty database (another host, a
#        lost one), which discovers the job's state on the JobManager and in
#        its checkpoint directory (SPEC 5.9); both through a counting proxy,
#        so the requests each made are reported beside the times;
# cancelling between repetitions (untimed). Then `sp job status JOB` against
# `bin/flink list -r` on the running job, with hyperfine. Prints medians and
# ratios; it does not pass or fail on time.
#
#   tests/bench/start_bench.sh VERSION [SP_BINARY]     (REPS=5; the cluster: tests/flink/cluster.sh start VERSION)
set -euo pipefail

version=${1:?usage: start_bench.sh VERSION [SP_BINARY]}
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sp_bin="${2:-${SP_BIN:-$repo/build/src/sp}}"
reps="${REPS:-5}"
[ -x "$sp_bin" ] || { echo "no sp binary at $sp_bin (build first or pass its path)" >&2; exit 1; }
version=$(bash "$repo/tests/flink/cluster.sh" resolve "$version")
url=$(bash "$repo/tests/flink/cluster.sh" url "$version") || { echo "start the cluster first" >&2; exit 1; }
home=$(bash "$repo/tests/flink/cluster.sh" home "$version")
port=${url##*:}
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
[ -f "$jar" ] || mvn -B -q -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line"
class=sp.example.StatefulCountJob
job=bench-${line//./-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-start-bench-XXXXXX")
export SP_HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" SP_ENV=bench
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# wait_state JOBID STATE...: polls /jobs/overview every 0.1 s until the job is in one of the states.
wait_state() {
  python3 - "$url" "$@" <<'PY'
import json, sys, time, urllib.request
url, jid, states = sys.argv[1], sys.argv[2], set(sys.argv[3:])
deadline = time.time() + 120
while time.time() < deadline:
    jobs = json.load(urllib.request.urlopen(url + "/jobs/overview"))["jobs"]
    if any(j["jid"] == jid and j["state"] in states for j in jobs):
        sys.exit(0)
    time.sleep(0.1)
sys.exit("job %s not in %s after 120 s" % (jid, states))
PY
}

cat >"$tmp/objects.yaml" <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: bench}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local}
spec: {type: remote, url: "$url"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $job}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  entryClass: $class
  args: ["--name", "$job"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink}
spec: {home: "$home"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local-cli}
spec: {type: remote, url: "$url", flink: flink, submit: cli}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $job-cli}
spec:
  cluster: local-cli
  artifact: {jar: "$jar"}
  entryClass: $class
  args: ["--name", "$job"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $job-sql}
spec:
  cluster: local
  sql: {file: "$repo/examples/sql/orders-per-customer.sql"}
  parallelism: 1
YAML
sp apply -f "$tmp/objects.yaml" >/dev/null

# The savepoint every repetition restores: a first run stopped with a savepoint.
sp job start "$job" --wait 2m >/dev/null
sleep 3
savepoint=$(sp -o json job stop "$job" | field "['savepoint']")
sp job start "$job-sql" --wait 2m >/dev/null
sleep 3
sql_savepoint=$(sp -o json job stop "$job-sql" | field "['savepoint']")
echo "Flink $version at $url; savepoint $savepoint; SQL job's savepoint $sql_savepoint"

flink_cmd=("$home/bin/flink" run -d -t remote -Drest.address=127.0.0.1 "-Drest.port=$port"
  -s "$savepoint" -c "$class" -p 1 "$jar" --name "$job")
run_sp() { # [JOB [SAVEPOINT]]
  local t json name=${1:-$job} from=${2:-$savepoint}
  t=$(now)
  json=$(sp -o json job start "$name" --restore "$from")
  elapsed_ms "$t"
  [ "$(field "['restore_verified']" <<<"$json")" = True ] || echo "sp did not verify the restore" >&2
  # Quiet: the submit: cli job does not checkpoint (bin/flink compiles it
  # with the distribution's configuration), and cancel warns about that.
  sp job cancel "$name" >/dev/null 2>&1
}
run_sp_upload() {
  local jar_id
  for jar_id in $(curl -fsS "$url/jars" | python3 -c "import json,sys; [print(f['id']) for f in json.load(sys.stdin)['files']]"); do
    curl -fsS -X DELETE "$url/jars/$jar_id" >/dev/null
  done
  run_sp
}
run_flink() {
  local t jid
  t=$(now)
  jid=$("${flink_cmd[@]}" 2>&1 | sed -n 's/^Job has been submitted with JobID \([0-9a-f]*\)$/\1/p')
  [ -n "$jid" ] || { echo "bin/flink run printed no job id" >&2; exit 1; }
  wait_state "$jid" RUNNING
  elapsed_ms "$t"
  curl -fsS -X PATCH "$url/jobs/$jid?mode=cancel" >/dev/null
  wait_state "$jid" CANCELED
}

# One untimed round warms the page cache, the JVM's class data and sp's jar upload.
run_sp >/dev/null
run_flink >/dev/null
run_sp "$job-cli" >/dev/null
run_sp "$job-sql" "$sql_savepoint" >/dev/null

sp_ms=() upload_ms=() flink_ms=() cli_ms=() sql_ms=()
for rep in $(seq "$reps"); do
  # Alternate which goes first, so neither always runs right after a cancel of its own.
  if [ $((rep % 2)) -eq 1 ]; then
    sp_ms+=("$(run_sp)"); upload_ms+=("$(run_sp_upload)"); flink_ms+=("$(run_flink)")
  else
    flink_ms+=("$(run_flink)"); upload_ms+=("$(run_sp_upload)"); sp_ms+=("$(run_sp)")
  fi
  cli_ms+=("$(run_sp "$job-cli")")
  sql_ms+=("$(run_sp "$job-sql" "$sql_savepoint")")
done
m_sp=$(median "${sp_ms[@]}") m_upload=$(median "${upload_ms[@]}") m_flink=$(median "${flink_ms[@]}") m_cli=$(median "${cli_ms[@]}")
m_sql=$(median "${sql_ms[@]}")

echo
echo "start, restoring the savepoint, until RUNNING: median of $reps"
printf '%-58s %10s\n' "case" "ms"
printf '%-58s %10s\n' "(a)  sp job start --restore (jar already uploaded)" "$m_sp"
printf '%-58s %10s\n' "(a') sp job start --restore (jar uploaded again)" "$m_upload"
printf '%-58s %10s\n' "(b)  bin/flink run -d -s + poll /jobs/overview" "$m_flink"
printf '%-58s %10s\n' "(c)  sp job start --restore, submit: cli (for information)" "$m_cli"
printf '%-58s %10s\n' "(f)  sp job start --restore, the example SQL job" "$m_sql"
echo "ratio flink run / sp start: $(ratio "$m_flink" "$m_sp")x (with upload: $(ratio "$m_flink" "$m_upload")x)"
echo "ratio SQL start / jar start: $(ratio "$m_sql" "$m_sp")x"
echo "runs (ms): sp ${sp_ms[*]}; sp+upload ${upload_ms[*]}; flink ${flink_ms[*]}; sp cli ${cli_ms[*]}; sp sql ${sql_ms[*]}"
echo "flink command: ${flink_cmd[*]}"

# (d)/(e): what discovery costs a start. The proxy counts each start's requests.
proxy_port=$((port + 700))
python3 "$here/counting_proxy.py" "$proxy_port" "$url" "$tmp/requests.log" &
proxy_pid=$!
trap 'kill "$proxy_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$proxy_port/config" >/dev/null 2>&1 && break; sleep 0.1; done
sed "s|$url|http://127.0.0.1:$proxy_port|" "$tmp/objects.yaml" >"$tmp/objects-proxy.yaml"
# Its own SP_HOME, so losing that database leaves the one above alone.
disc_home="$tmp/home-discovery"
dsp() { SP_HOME="$disc_home" sp "$@"; }
reset_discovery_home() {
  rm -rf "$disc_home"
  dsp init >/dev/null
  dsp apply -f "$tmp/objects-proxy.yaml" >/dev/null
}
reset_discovery_home
dsp job start "$job" --restore none --force >/dev/null
run_auto() { # full|empty
  local t json
  sleep 1.5 # at least one checkpoint of the running job
  dsp job cancel "$job" >/dev/null 2>&1
  [ "$1" = empty ] && reset_discovery_home # a new host, or a lost database
  # The decision half alone (what discovery adds); the start itself also
  # uploads the jar again after a lost database, which is not discovery.
  : >"$tmp/requests.log"
  t=$(now)
  dsp job plan "$job" >/dev/null
  elapsed_ms "$t"
  cp "$tmp/requests.log" "$tmp/requests-$1.log"
  json=$(dsp -o json job start "$job")
  [ "$(field "['restore_verified']" <<<"$json")" = True ] || echo "sp did not verify the $1 restore" >&2
}
full_ms=() empty_ms=()
for rep in $(seq "$reps"); do
  full_ms+=("$(run_auto full)")
  empty_ms+=("$(run_auto empty)")
done
dsp job cancel "$job" >/dev/null 2>&1
m_full=$(median "${full_ms[@]}") m_empty=$(median "${empty_ms[@]}")
echo
echo "sp job plan after a cancel (the decision a start takes, through the proxy): median of $reps"
printf '%-58s %10s %10s
' "case" "ms" "requests"
printf '%-58s %10s %10s
' "(d)  full records" "$m_full" "$(wc -l <"$tmp/requests-full.log")"
printf '%-58s %10s %10s
' "(e)  empty database: discovery" "$m_empty" "$(wc -l <"$tmp/requests-empty.log")"
echo "ratio discovery / full records: $(ratio "$m_empty" "$m_full")x"
echo "requests with full records:"; sort "$tmp/requests-full.log" | sed 's/[0-9a-f]\{32\}/ID/g' | uniq -c
echo "requests with discovery:"; sort "$tmp/requests-empty.log" | sed 's/[0-9a-f]\{32\}/ID/g' | uniq -c

# Status of a running job: what sp knows plus the JobManager's view, against the CLI's list.
sp job start "$job" --restore "$savepoint" >/dev/null
echo
hyperfine -N --warmup 2 --runs 10 --style basic --export-json "$tmp/status.json" \
  -n "sp job status" "env SP_HOME=$SP_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME SP_ENV=bench $sp_bin -q job status $job" \
  -n "flink list -r" "$home/bin/flink list -r -t remote -Drest.address=127.0.0.1 -Drest.port=$port" >/dev/null
sp job cancel "$job" >/dev/null
python3 - "$tmp/status.json" <<'PY'
import json, statistics, sys
results = {r["command"]: statistics.median(r["times"]) * 1000 for r in json.load(open(sys.argv[1]))["results"]}
sp, flink = results["sp job status"], results["flink list -r"]
print("status of a running job: median of 10 (hyperfine -N, 2 warmups)")
print("%-58s %10.1f" % ("sp job status JOB", sp))
print("%-58s %10.1f" % ("bin/flink list -r", flink))
print("ratio flink list / sp status: %.1fx" % (flink / sp))
PY
