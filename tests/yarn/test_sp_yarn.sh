#!/usr/bin/env bash
# sp on a real YARN (tests/yarn/hadoop.sh, started once by run-all.sh) with
# Flink VERSION deployed by its own bin/flink, state on the real HDFS:
#   - yarn-application: `sp job start` to RUNNING, the JobManager found
#     through the ResourceManager's amRPCAddress and polled directly;
#     `sp job status`; a first start whose state directories sp lists
#     through WebHDFS; `sp watch --once` records a checkpoint on hdfs://;
#     stop with a savepoint on HDFS (the application ends), start again from
#     it (a new application), the savepoint verified through WebHDFS and the
#     restore confirmed through latest.restored;
#     the application killed through YARN: `sp watch` ends the run LOST
#     and the next start restores its newest checkpoint, found on HDFS;
#     cancel (the application ends, nothing of it left running);
#     the database lost: `sp job recover` over WebHDFS listings;
#   - no room on the NodeManager: a start waits in ACCEPTED, says YARN's
#     reason and gives up after --wait (exit 5), leaving nothing queued;
#   - failover: the application master killed, attempt 2 followed by watch
#     and status (UNREACHABLE at most once);
#   - a wrong session application id (exit 3), a ResourceManager that does
#     not answer (exit 5, before bin/flink);
#   - yarn-session: a session started with yarn-session.sh, a job started,
#     stopped with a savepoint and restored in it, the session left running
#     (and killed at the end through the ResourceManager).
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/../flink/job_test_lib.sh" "$@"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Deploying to YARN and starting containers is slower than a standalone cluster.
checkpoint_wait=90
home=$(bash "$repo/tests/flink/cluster.sh" home "$version") || { echo "Flink $version is not installed"; exit 1; }
bash "$here/hadoop.sh" status >/dev/null || { echo "the loopback Hadoop is not running: tests/yarn/hadoop.sh start"; exit 1; }
# HADOOP_CONF_DIR and HADOOP_CLASSPATH for the bin/flink sp runs; the URLs for the test.
set -a
# shellcheck disable=SC1091
. "$(bash "$here/hadoop.sh" rundir)/env"
set +a
name="yarn-${line//./-}-$$"
root="hdfs:///sp-test/$name"

app_state() { curl -sf "$SP_YARN_RM_URL/ws/v1/cluster/apps/$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['app']['state'])"; }
# expect_app_ended APP WHEN: the application ends within 60 s.
expect_app_ended() {
  for _ in $(seq 1 60); do
    case "$(app_state "$1")" in FINISHED | KILLED | FAILED) return 0 ;; esac
    sleep 1
  done
  fail "application $1 still $(app_state "$1") $2"
}
# kill_apps: every application of this test still alive, through the ResourceManager.
kill_apps() {
  curl -sf "$SP_YARN_RM_URL/ws/v1/cluster/apps?states=NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING" |
    python3 -c "import json,sys; [print(a['id']) for a in ((json.load(sys.stdin).get('apps') or {}).get('app') or []) if a['name'].startswith(sys.argv[1])]" "$name" |
    while read -r app; do
      curl -sf -X PUT -H 'Content-Type: application/json' -d '{"state":"KILLED"}' \
        "$SP_YARN_RM_URL/ws/v1/cluster/apps/$app/state?user.name=$(id -un)" >/dev/null || true
    done
}
trap 'kill_apps; [ -n "${SP_KEEP_TMP:-}" ] || rm -rf "$SP_TEST_TMP"' EXIT

sp flink add "f$line" "$home"
expect_rc 0 "flink add"
cat >"$SP_TEST_TMP/objects.yaml" <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: itest}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: yarn, environment: itest}
spec:
  type: yarn-application
  flink: f$line
  yarn: {resourceManager: "$SP_YARN_RM_URL"}
  state: {root: "$root"}
  storage:
    hdfs: {webhdfs: "$SP_HDFS_NAMENODE_URL", user: "$(id -un)"}
  flinkConfiguration:
    # Loopback only, and small enough for the one NodeManager.
    jobmanager.bind-host: 127.0.0.1
    taskmanager.bind-host: 127.0.0.1
    jobmanager.memory.process.size: 1024m
    taskmanager.memory.process.size: 1024m
    taskmanager.numberOfTaskSlots: "1"
    state.backend.type: hashmap
    execution.checkpointing.interval: 2s
    execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
    yarn.application-attempts: "2"
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: yarn
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "50"]
  parallelism: 1
YAML
export SP_ENV=itest
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"
[ "$failures" -eq 0 ] || finish

# 1. Start: a new YARN application; sp reaches its JobManager directly.
sp -o json job start "$name"
expect_rc 0 "start on yarn-application"
[ "$failures" -eq 0 ] || finish
app=$(json "['application_id']")
[[ "$app" == application_* ]] || { fail "no YARN application id: $app"; finish; }
[ "$(app_state "$app")" = RUNNING ] || fail "application $app is not RUNNING"
rest=$(json "['rest_url']")
case "$rest" in */proxy/*) fail "sp polls the JobManager through the ResourceManager's proxy: $rest" ;; esac
wait_for_checkpoints 1
sp -o json watch --once
expect_rc 0 "watch --once"
sp -o json job points "$name"
python3 -c "
import json,sys; d=json.load(sys.stdin)
assert any(p['kind']=='checkpoint' and p['path'].startswith('hdfs:') for p in d), d" <<<"$out" ||
  fail "watch recorded no checkpoint on HDFS"

# 1a. No room: the running application holds 2 GB of the NodeManager's 4;
# a JobManager of 3 GB waits in ACCEPTED. The start says so with YARN's
# reason and ends bin/flink after --wait, whose deployment hook then kills
# the application: nothing is left queued to start behind sp's back.
cat >"$SP_TEST_TMP/big.yaml" <<YAML
apiVersion: sp/v1
kind: Job
metadata: {name: $name-big, environment: itest}
spec:
  cluster: yarn
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}"]
  flinkConfiguration: {jobmanager.memory.process.size: 3072m}
YAML
sp apply -f "$SP_TEST_TMP/big.yaml"
expect_rc 0 "apply the job too big for what is free"
started_at=$SECONDS
sp job start "$name-big" --wait 20s
expect_rc 5 "a start YARN cannot find room for"
expect_err "is ACCEPTED"
expect_err "bin/flink was ended"
[ $((SECONDS - started_at)) -lt 120 ] || fail "the start waited $((SECONDS - started_at)) s, not about --wait"
big_alive() {
  curl -sf "$SP_YARN_RM_URL/ws/v1/cluster/apps?states=NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING" |
    python3 -c "import json,sys; sys.exit(0 if any(a['name']==sys.argv[1] for a in ((json.load(sys.stdin).get('apps') or {}).get('app') or [])) else 1)" "$name-big"
}
for _ in $(seq 1 20); do big_alive || break; sleep 1; done
big_alive && fail "the application of $name-big is still queued after the start gave up"

# 1b. JobManager failover: the application master's JVM killed (its pid from
# the NodeManager's files); YARN starts attempt 2 at a new address, which
# `sp watch` finds through the ResourceManager and `sp job status` follows.
hadoop_rd=$(bash "$here/hadoop.sh" rundir)
am_pid_file=$(compgen -G "$hadoop_rd/nm/local/nmPrivate/$app/container_*_01_000001/container_*_01_000001.pid" | head -n 1)
[ -n "$am_pid_file" ] || { fail "no pid file of $app's first container under $hadoop_rd/nm/local/nmPrivate"; finish; }
first_rest=$rest
kill -KILL -- "-$(cat "$am_pid_file")" || fail "could not kill the application master's process group"
moved=""
for _ in $(seq 1 90); do
  sp -o json watch --once
  sp -o json job show "$name"
  moved=$(json "['latest_run']['rest_url']")
  [ "$moved" != "$first_rest" ] && [ "$(json "['latest_run']['state']")" = RUNNING ] && break
  sleep 2
done
[ "$moved" != "$first_rest" ] || fail "sp still polls $first_rest after the failover"
sp job history "$name"
expect_out "jobmanager-moved"
expect_out "$moved"
unreachable_alerts=$(grep -c "UNREACHABLE" <<<"$out" || true)
[ "$unreachable_alerts" -le 1 ] || fail "UNREACHABLE raised $unreachable_alerts times for one failover"
sp -o json job status "$name"
expect_rc 0 "status after the failover"
[ "$(json "['flink_state']")" = RUNNING ] || fail "status after the failover: $(json "['flink_state']")"
wait_for_checkpoints 1

# 2. Stop with a savepoint on HDFS, then start from it.
sp -o json job stop "$name"
expect_rc 0 "stop with savepoint"
savepoint=$(json "['savepoint']")
# Flink writes hdfs:///p back as hdfs:/p.
case "$savepoint" in hdfs:*/sp-test/$name/itest/$name/savepoints/*) ;; *) fail "savepoint $savepoint not under $root" ;; esac
expect_app_ended "$app" "after the stop"
sp -o json job start "$name"
expect_rc 0 "start from the savepoint"
[ "$(json "['restored_from']")" = "$savepoint" ] || fail "restored $(json "['restored_from']"), not $savepoint"
[ "$(json "['restore_verified']")" = True ] || fail "restore not confirmed by latest.restored"
second=$(json "['application_id']")
[ "$second" != "$app" ] || fail "the restart reused application $app"

# 3. The application killed for good, outside sp: watch ends the run LOST
# (the ResourceManager says so: no UNREACHABLE wait), and the next start
# restores the newest checkpoint it finds in the run's directory on HDFS.
wait_for_checkpoints 2
curl -sf -X PUT -H 'Content-Type: application/json' -d '{"state":"KILLED"}' \
  "$SP_YARN_RM_URL/ws/v1/cluster/apps/$second/state?user.name=$(id -un)" >/dev/null || fail "could not kill $second"
for _ in $(seq 1 30); do [ "$(app_state "$second")" = KILLED ] && break; sleep 1; done
sp -o json watch --once
sp -o json job show "$name"
[ "$(json "['latest_run']['end_state']")" = LOST ] || fail "the killed application's run is $(json "['latest_run']['state']"), not LOST"
sp job history "$name"
expect_out "application-ended"
sp -o json job start "$name"
expect_rc 0 "start after the application was killed"
if [ "$rc" -ne 0 ]; then # what Flink says it restored, for the failure's reader
  sp -o json job show "$name"
  curl -s "$(json "['latest_run']['rest_url']")/jobs/$(json "['latest_run']['flink_job_id']")/checkpoints" >&2
fi
case "$(json "['restored_from']")" in hdfs:*/checkpoints/*/chk-*) ;; *) fail "restored $(json "['restored_from']"), not a checkpoint of the killed run" ;; esac
[ "$(json "['restore_verified']")" = True ] || fail "the restore after the kill is not confirmed"
third=$(json "['application_id']")

# 4. Cancel: the application ends.
wait_for_checkpoints 1
sp job cancel "$name"
expect_rc 0 "cancel"
expect_app_ended "$third" "after the cancel"

# 5. The database lost: recover from the state directories on HDFS alone
# (an application cluster has no JobManager left to ask); the plan then
# restores the retained checkpoint, verified through WebHDFS.
mv "$SP_HOME/sp.db" "$SP_TEST_TMP/sp.db.kept"
rm -f "$SP_HOME/sp.db-wal" "$SP_HOME/sp.db-shm"
sp flink add "f$line" "$home"
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply to a new database"
sp -o json job recover "$name"
expect_rc 0 "recover over WebHDFS"
python3 -c "
import json,sys; r=json.load(sys.stdin)[0]
assert r['runs_recorded'] >= 1 and r['points_recorded'] >= 1, r" <<<"$out" || fail "recover found nothing on HDFS"
sp -o json job plan "$name"
expect_rc 0 "plan after recover"
python3 -c "
import json,sys; d=json.load(sys.stdin); r=d.get('decision', d)['restore_from']
assert r and r['kind'] == 'checkpoint' and r['path'].startswith('hdfs:') and not r['unverified'], d" <<<"$out" ||
  fail "after recover the plan does not restore a verified checkpoint on HDFS"

# 4. yarn-session: a session an operator started with Flink's yarn-session.sh;
# sp submits to it and finds its JobManager through the ResourceManager.
session_conf="$SP_TEST_TMP/session-conf"
mkdir -p "$session_conf/log"
cp "$home"/conf/log4j*.properties "$session_conf/"
# yarn-session.sh records the session in a properties file (default /tmp),
# which later `bin/flink run`s anywhere on the host would follow: kept private.
cat >"$session_conf/config.yaml" <<EOF
env.java.opts.all: $(sed -n 's/^ *all: *//p' "$home/conf/config.yaml" | head -n 1)
jobmanager.bind-host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 1024m
taskmanager.numberOfTaskSlots: 1
yarn.application.name: $name-session
yarn.properties-file.location: $session_conf
EOF
FLINK_CONF_DIR=$session_conf FLINK_LOG_DIR=$session_conf/log "$home/bin/yarn-session.sh" -d \
  >"$session_conf/log/session.out" 2>&1 || fail "yarn-session.sh -d: $(tail -n 5 "$session_conf/log/session.out")"
session=$(grep -o 'application_[0-9]*_[0-9]*' "$session_conf/log/session.out" | tail -n 1)
[ -n "$session" ] || fail "no application id in the yarn-session.sh output"
[ "$failures" -eq 0 ] || finish
cat >"$SP_TEST_TMP/session.yaml" <<YAML
apiVersion: sp/v1
kind: Cluster
metadata: {name: session, environment: itest}
spec:
  type: yarn-session
  flink: f$line
  yarn: {resourceManager: "$SP_YARN_RM_URL", applicationId: "$session"}
  state: {root: "$root"}
  storage:
    hdfs: {webhdfs: "$SP_HDFS_NAMENODE_URL", user: "$(id -un)"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-s, environment: itest}
spec:
  cluster: session
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "50"]
  parallelism: 1
  # A session's own configuration was set when it was started: the job's goes with the job.
  flinkConfiguration:
    execution.checkpointing.interval: 2s
    execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
YAML
sp apply -f "$SP_TEST_TMP/session.yaml"
expect_rc 0 "apply the session cluster"

# A session id YARN does not know (exit 3) and a ResourceManager that does
# not answer (exit 5 at once, before bin/flink would retry it for minutes).
cat >"$SP_TEST_TMP/wrong.yaml" <<YAML
apiVersion: sp/v1
kind: Cluster
metadata: {name: ghost, environment: itest}
spec:
  type: yarn-session
  flink: f$line
  yarn: {resourceManager: "$SP_YARN_RM_URL", applicationId: "application_1000000000000_9999"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: rm-down, environment: itest}
spec:
  type: yarn-application
  flink: f$line
  yarn: {resourceManager: "http://127.0.0.1:9"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-ghost, environment: itest}
spec: {cluster: ghost, artifact: {jar: "$jar"}, entryClass: sp.example.StatefulCountJob}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-norm, environment: itest}
spec: {cluster: rm-down, artifact: {jar: "$jar"}, entryClass: sp.example.StatefulCountJob}
YAML
sp apply -f "$SP_TEST_TMP/wrong.yaml"
expect_rc 0 "apply the clusters that cannot work"
sp job start "$name-ghost"
expect_rc 3 "a session application YARN does not know"
expect_err "does not know it"
started_at=$SECONDS
sp job start "$name-norm"
expect_rc 5 "a ResourceManager that does not answer"
expect_err "does not answer"
[ $((SECONDS - started_at)) -lt 30 ] || fail "a dead ResourceManager took $((SECONDS - started_at)) s to report"
sp -o json job start "$name-s"
expect_rc 0 "start on the yarn-session"
[ "$(json "['state']")" = RUNNING ] || fail "the session job is not RUNNING"
case "$(json "['rest_url']")" in */proxy/*) fail "sp polls the session through the proxy" ;; esac
# The job is RUNNING before the session's TaskManager container is; a
# savepoint needs its tasks running (Flink refuses it otherwise).
wait_for_checkpoints 1 "$name-s"
sp -o json job stop "$name-s"
expect_rc 0 "stop the session job with a savepoint"
sp -o json job start "$name-s"
expect_rc 0 "start the session job from its savepoint"
[ "$(json "['restore_verified']")" = True ] || fail "the session job's restore is not confirmed"
sp job cancel "$name-s"
expect_rc 0 "cancel the session job"
[ "$(app_state "$session")" = RUNNING ] || fail "the session ended with its job"
finish
