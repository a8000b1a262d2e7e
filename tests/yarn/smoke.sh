#!/usr/bin/env bash
# End-to-end check of the loopback Hadoop with a real Flink on YARN:
#   tests/yarn/smoke.sh VERSION [application|session]     (e.g. 1.20 or 2.2)
#
# application (default): deploys examples/flink-job's jar with
#   -t yarn-application (1.x: `flink run-application`, 2.x: `flink run`),
# session: starts `yarn-session.sh -d`, then submits the jar to it with
#   `flink run -d -t yarn-session -Dyarn.application.id=...`.
# Then: the application RUNNING in the ResourceManager's REST, the JobManager's
# REST reached at the application's amRPCAddress, the job RUNNING, a completed
# checkpoint whose _metadata WebHDFS lists and reads, the job cancelled, the
# application ended, and no container process of it left. Prints the times.
#
# Needs `hadoop.sh start` done and Flink VERSION installed (tests/flink/cluster.sh
# install VERSION); builds nothing: the example job's jar must be there. On a
# failure, the application is killed through the ResourceManager. Exit 0 on
# success; otherwise prints what failed and exits 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
timeout="${SP_SMOKE_TIMEOUT:-300}"

fail() { printf 'yarn/smoke.sh: FAILED: %s\n' "$*" >&2; exit 1; }
note() { printf 'yarn/smoke.sh: %s\n' "$*" >&2; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
version=$(bash "$repo/tests/flink/cluster.sh" resolve "$1")
mode=${2:-application}
case "$mode" in application | session) ;; *) fail "mode is application or session, not '$mode'" ;; esac
line=$(cut -d. -f1,2 <<<"$version")
major=${version%%.*}
home=$(bash "$repo/tests/flink/cluster.sh" home "$version") || fail "Flink $version is not installed"
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
[ -f "$jar" ] || fail "no $jar: build it with mvn -B package -Pflink-$line in examples/flink-job"

env_file="$(bash "$here/hadoop.sh" rundir)/env"
bash "$here/hadoop.sh" status >/dev/null || fail "the loopback Hadoop is not running: tests/yarn/hadoop.sh start"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
rm_url=$SP_YARN_RM_URL
nn_url=$SP_HDFS_NAMENODE_URL

# A private client conf dir: the properties file `yarn-session.sh -d` writes
# (default: java.io.tmpdir, i.e. /tmp/.yarn-properties-$USER) would make every
# later `flink run` on this machine without -t or -m go to this YARN session.
# Its location is read from the conf file only, not from -D.
name="sp-smoke-$version-$mode-$$"
conf="$(dirname "$env_file")/flink-client/$name"
rm -rf "$conf"
mkdir -p "$conf/log"
cp "$home"/conf/log4j*.properties "$conf/"
java_opts=$(sed -n 's/^ *all: *//p' "$home/conf/config.yaml" | head -n 1)
cat >"$conf/config.yaml" <<EOF
env.java.opts.all: $java_opts
# On YARN, Flink replaces a bind-host of 'localhost' with 0.0.0.0; 127.0.0.1 stays.
jobmanager.bind-host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 1024m
taskmanager.numberOfTaskSlots: 1
parallelism.default: 1
yarn.application.name: $name
yarn.properties-file.location: $conf
state.backend.type: hashmap
execution.checkpointing.interval: 2s
execution.checkpointing.dir: hdfs:///sp-smoke/$name/checkpoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
EOF
export FLINK_CONF_DIR=$conf FLINK_LOG_DIR=$conf/log

json() {  # json URL PYTHON-EXPR-OF-d: prints the value, or nothing when absent
  curl -sf --max-time 10 "$1" 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    v = eval(sys.argv[1])
except Exception:
    sys.exit(0)
if v is not None and v != "":
    print(v)' "$2" || true
}

wait_for() {  # wait_for WHAT COMMAND...: until COMMAND prints something; prints it
  local what=$1 deadline=$((SECONDS + timeout)) out
  shift
  while :; do
    out=$("$@")
    if [ -n "$out" ]; then echo "$out"; return 0; fi
    [ "$SECONDS" -lt "$deadline" ] || fail "no $what within ${timeout}s (client logs: $conf/log)"
    sleep 1
  done
}

app_id=""
kill_app() {
  [ -n "$app_id" ] || return 0
  curl -sf -X PUT -H 'Content-Type: application/json' -d '{"state":"KILLED"}' \
    "$rm_url/ws/v1/cluster/apps/$app_id/state?user.name=$(id -un)" >/dev/null || true
}
trap kill_app EXIT

app_by_name() {
  json "$rm_url/ws/v1/cluster/apps" "[a['id'] for a in (d['apps'] or {}).get('app', []) if a['name'] == '$name'][0]"
}
app_field() { json "$rm_url/ws/v1/cluster/apps/$app_id" "d['app']['$1']"; }

t0=$SECONDS
if [ "$mode" = application ]; then
  # 1.x has a separate action for application mode; 2.x folded it into run.
  if [ "$major" -ge 2 ]; then action=run; else action=run-application; fi
  note "Flink $version: flink $action -t yarn-application $(basename "$jar")"
  "$home/bin/flink" "$action" -t yarn-application "$jar" --name "$name" >"$conf/log/deploy.out" 2>&1 ||
    { tail -n 20 "$conf/log/deploy.out" >&2; fail "flink $action -t yarn-application"; }
  app_id=$(app_by_name)
else
  note "Flink $version: yarn-session.sh -d, then flink run -d -t yarn-session"
  "$home/bin/yarn-session.sh" -d >"$conf/log/session.out" 2>&1 ||
    { tail -n 20 "$conf/log/session.out" >&2; fail "yarn-session.sh -d"; }
  app_id=$(app_by_name)
  [ -n "$app_id" ] || fail "no application named $name in $rm_url/ws/v1/cluster/apps"
  t_session=$((SECONDS - t0))
  "$home/bin/flink" run -d -t yarn-session "-Dyarn.application.id=$app_id" "$jar" --name "$name" \
    >"$conf/log/deploy.out" 2>&1 || { tail -n 20 "$conf/log/deploy.out" >&2; fail "flink run -t yarn-session"; }
fi
[ -n "$app_id" ] || fail "no application named $name in $rm_url/ws/v1/cluster/apps"
t_client=$((SECONDS - t0))

app_running() { [ "$(app_field state)" = RUNNING ] && app_field amRPCAddress; }
am=$(wait_for "RUNNING application $app_id" app_running)
tracking=$(app_field trackingUrl)
jm="http://$am"
note "$app_id RUNNING; amRPCAddress $am, trackingUrl $tracking"
job_id=$(wait_for "job in $jm/jobs" json "$jm/jobs/overview" "[j['jid'] for j in d['jobs'] if j['name'] == '$name'][0]")
all_running() {
  json "$jm/jobs/$job_id" "'yes' if d['state'] == 'RUNNING' and all(v['status'] == 'RUNNING' for v in d['vertices']) else None"
}
wait_for "job $job_id with all tasks RUNNING" all_running >/dev/null
t_running=$((SECONDS - t0))
[ -n "$(json "${tracking%/}/jobs/overview" "d['jobs'][0]['jid']")" ] || fail "the trackingUrl $tracking does not proxy the JobManager's REST"

checkpoint=$(wait_for "completed checkpoint" json "$jm/jobs/$job_id/checkpoints" "d['latest']['completed']['external_path']")
t_checkpoint=$((SECONDS - t0))
path=${checkpoint#hdfs:}
path=/${path#"${path%%[!/]*}"}  # hdfs:/x and hdfs:///x alike
user=$(id -un)
listed=$(json "$nn_url/webhdfs/v1$path?op=LISTSTATUS&user.name=$user" \
  "[f['length'] for f in d['FileStatuses']['FileStatus'] if f['pathSuffix'] == '_metadata'][0]")
[ -n "$listed" ] || fail "WebHDFS does not list $path/_metadata"
read_bytes=$(curl -sfL "$nn_url/webhdfs/v1$path/_metadata?op=OPEN&user.name=$user" | wc -c)
[ "$read_bytes" = "$listed" ] || fail "WebHDFS OPEN of $path/_metadata gave $read_bytes bytes, LISTSTATUS says $listed"
note "checkpoint $checkpoint: _metadata $listed bytes, listed and read through WebHDFS"

if [ "$mode" = application ]; then
  # The job's end ends the application: cancel through the CLI, as a user would.
  "$home/bin/flink" cancel -t yarn-application "-Dyarn.application.id=$app_id" "$job_id" >"$conf/log/cancel.out" 2>&1 ||
    { tail -n 20 "$conf/log/cancel.out" >&2; fail "flink cancel -t yarn-application"; }
else
  curl -sf -X PATCH "$jm/jobs/$job_id?mode=cancel" >/dev/null || fail "cancel of $job_id through $jm"
  wait_for "CANCELED job" json "$jm/jobs/$job_id" "'yes' if d['state'] == 'CANCELED' else None" >/dev/null
  kill_app
fi
app_ended() { case "$(app_field state)" in FINISHED | KILLED | FAILED) app_field finalStatus ;; esac; }
final=$(wait_for "end of $app_id" app_ended)
t_end=$((SECONDS - t0))

# The NodeManager kills a container's whole process group; give it a moment.
leftover() {
  local d
  for d in /proc/[0-9]*; do
    if { tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null | grep -qF "$app_id"; then echo "${d#/proc/}"; fi
  done
}
deadline=$((SECONDS + 30))
while [ -n "$(leftover)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
[ -z "$(leftover)" ] || fail "processes of $app_id still run: $(leftover | tr '\n' ' ')"
app_id=""

printf 'yarn/smoke.sh: OK Flink %s %s mode: client %ss%s, all tasks RUNNING %ss, checkpoint %ss, ended (%s) %ss\n' \
  "$version" "$mode" "$t_client" "${t_session:+ (session up ${t_session}s)}" "$t_running" "$t_checkpoint" "$final" "$t_end"
