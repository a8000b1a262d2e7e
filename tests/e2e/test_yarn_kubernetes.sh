#!/usr/bin/env bash
# YARN and Kubernetes cluster types without YARN or Kubernetes (none can run
# here): `sp flink add` on distributions real and fake, `sp cluster add`, and
# `sp job start` on a yarn-application cluster end to end through a fake
# bin/flink (printing the console output of Flink 1.20's YARN client, from
# tests/fixtures/flink-cli, and recording its argv) and a real loopback HTTP
# server answering as the ResourceManager (Hadoop's documented shapes) and as
# the JobManager it points at (tests/e2e/yarn_rm_server.py).
source "$SP_TEST_LIB"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures="$here/../fixtures"

# A Flink 1.20.5 home whose bin/flink prints what the YARN client prints.
home="$SP_TEST_TMP/flink-1.20.5"
mkdir -p "$home/bin" "$home/lib"
: >"$home/lib/flink-dist-1.20.5.jar"
cat >"$home/bin/flink" <<SH
#!/bin/sh
printf '%s\n' "\$@" >"$SP_TEST_TMP/argv"
cat "$fixtures/flink-cli/1.20.5/yarn-application.txt"
SH
chmod +x "$home/bin/flink"
: >"$SP_TEST_TMP/app.jar"

sp init
expect_rc 0 "init"

# sp flink add|list|remove
mkdir -p "$SP_TEST_TMP/not-flink/lib"
sp flink add wrong "$SP_TEST_TMP/not-flink"
expect_rc 2 "a directory without flink-dist"
expect_err "it is not a Flink distribution: there is no lib/flink-dist*.jar"
sp flink add missing "$SP_TEST_TMP/nowhere"
expect_rc 2 "a path that does not exist"
expect_err "it is not a directory"
(cd "$SP_TEST_TMP" && "$SP_BIN" flink add f120 flink-1.20.5 >/dev/null) || fail "flink add with a relative path"
sp -o json flink list
expect_rc 0 "flink list"
[ "$(python3 -c "import json,sys; d=json.load(sys.stdin); print(d[0]['version'], d[0]['home'])" <<<"$out")" = "1.20.5 $home" ] ||
  fail "flink list does not show the absolute home and the detected version"
sp flink add f120 "$home"
expect_rc 4 "the same name twice"
expect_err "Flink f120 exists already"

# The local ResourceManager.
port_file="$SP_TEST_TMP/rm.port"
apps="$SP_TEST_TMP/apps"
echo "application_1700000000000_0007 accepted.json running.json" >"$apps"
python3 "$here/yarn_rm_server.py" "$port_file" "$apps" "$fixtures/yarn-rm" &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${SP_KEEP_TMP:-}" ] || rm -rf "$SP_TEST_TMP"' EXIT
for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
rm_url="http://127.0.0.1:$(cat "$port_file")"

# sp cluster add, with the checks of apply.
sp cluster add yarn --type yarn-application --flink f120 --yarn-queue root.streaming
expect_rc 2 "yarn-application without a ResourceManager"
expect_err "yarn.resourceManager (its REST URL) is needed"
sp cluster add yarn --type yarn-app --flink f120
expect_rc 2 "unknown type"
expect_err "unknown cluster type yarn-app"
sp cluster add yarn --type yarn-application --flink nope --yarn-resource-manager "$rm_url"
expect_rc 3 "unknown flink"
sp cluster add k8s --type kubernetes-session --url http://jm:8081 --kubernetes-rest-address "http://{id}:8081"
expect_rc 2 "bad address template"
expect_err "unknown placeholder {id}"
sp -o json cluster add yarn --type yarn-application --flink f120 --yarn-resource-manager "$rm_url" \
  --yarn-queue root.streaming -D execution.checkpointing.interval=10s
expect_rc 0 "cluster add"
expect_out '"resourceManager": "'"$rm_url"'"'
expect_out '"execution.checkpointing.interval": "10s"'
sp cluster add yarn --type remote --url http://jm:8081
expect_rc 4 "the same cluster name twice"
expect_err "Cluster yarn (environment default) exists already"
sp flink remove f120
expect_rc 4 "removing a Flink a cluster uses"
expect_err "clusters use it: default/yarn"
sp flink remove f12
expect_rc 3 "removing an unknown Flink"
expect_err "did you mean f120?"
# A second distribution, added and removed; the first stays.
cp -r "$home" "$SP_TEST_TMP/flink-copy"
sp flink add spare "$SP_TEST_TMP/flink-copy"
expect_rc 0 "flink add spare"
sp flink remove spare
expect_rc 0 "flink remove spare"
sp -o json flink list
[ "$(python3 -c "import json,sys; print([f['name'] for f in json.load(sys.stdin)])" <<<"$out")" = "['f120']" ] ||
  fail "flink list after remove"
sp cluster add scratch --type kubernetes-session --kubernetes-cluster-id s1 --kubernetes-namespace streaming
expect_rc 0 "kubernetes-session cluster add"
# Its JobManager address: the template, with the environment's variables and the placeholders filled in.
sp var set jm.host 127.0.0.1 >/dev/null
cat >"$SP_TEST_TMP/k8s.yaml" <<'YAML'
apiVersion: sp/v1
kind: Cluster
metadata: {name: k8s-ingress}
spec:
  type: kubernetes-session
  kubernetes: {namespace: streaming, clusterId: s1, restAddress: "http://${jm.host}:9/{namespace}/{clusterId}"}
YAML
sp apply -f "$SP_TEST_TMP/k8s.yaml"
expect_rc 0 "apply a kubernetes-session with an address template"
sp cluster ping k8s-ingress
expect_rc 5 "nothing listens at the templated address"
expect_err "GET http://127.0.0.1:9/streaming/s1/config"
sp cluster remove scratch
expect_rc 0 "cluster remove"
sp cluster show scratch
expect_rc 3 "a removed cluster"

cat >"$SP_TEST_TMP/job.yaml" <<YAML
apiVersion: sp/v1
kind: Job
metadata: {name: yarn-job}
spec: {cluster: yarn, artifact: {jar: "$SP_TEST_TMP/app.jar"}, entryClass: sp.Example, args: [--rate, "5"]}
YAML
sp apply -f "$SP_TEST_TMP/job.yaml"
expect_rc 0 "apply job"
sp cluster remove yarn
expect_rc 4 "removing a cluster a job uses"
expect_err "jobs run on it: yarn-job"

# Start: bin/flink run-application, the application id from its output, the
# JobManager from the ResourceManager (ACCEPTED first, then RUNNING), the job
# from that JobManager, RUNNING.
sp -o json job start yarn-job
expect_rc 0 "start on yarn-application"
expect_out '"flink_job_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90"'
expect_out '"rest_url": "'"$rm_url"'"'
expect_out '"state": "RUNNING"'
[ "$(head -4 "$SP_TEST_TMP/argv" | tr '\n' ' ')" = "run-application -t yarn-application -d " ] ||
  fail "bin/flink was not run as run-application: $(cat "$SP_TEST_TMP/argv")"
for word in -Dexecution.checkpointing.interval=10s -Dyarn.application.name=yarn-job \
  -Dyarn.application.queue=root.streaming "$SP_TEST_TMP/app.jar"; do
  grep -qxF -- "$word" "$SP_TEST_TMP/argv" || fail "bin/flink did not get $word"
done
sp -o json job show yarn-job
expect_out '"application_id": "application_1700000000000_0007"'
sp -o json job status yarn-job
expect_rc 0 "status talks to the run's JobManager"
expect_out '"state": "RUNNING"'

# The application is KILLED and its JobManager gone: the next start learns
# that from the ResourceManager, records the run's end, and (the job ran
# before and left no restore point) refuses without --force.
echo "application_1700000000000_0007 killed.json" >"$apps"
sp -o json job plan yarn-job
expect_rc 4 "plan after the application ended"
expect_out "ended with its application application_1700000000000_0007"
sp job start yarn-job
expect_rc 4 "start after the application ended, nothing to restore"
sp -o json job show yarn-job
expect_out '"end_state": "LOST"'
echo "application_1700000000000_0007 running.json" >"$apps"
sp -o json job start yarn-job --restore none --force
expect_rc 0 "a fresh start, forced"
expect_out '"state": "RUNNING"'

# A yarn-session cluster: its JobManager is the ResourceManager's answer for
# its application id: unknown (404) exit 3, RUNNING found, ended exit 6,
# ResourceManager down exit 5.
sp cluster add yarn-session --type yarn-session --flink f120 --yarn-resource-manager "$rm_url" \
  --yarn-application-id application_1700000000000_0003
expect_rc 0 "yarn-session cluster add"
sp cluster ping yarn-session
expect_rc 3 "an application the ResourceManager does not know"
expect_err "does not know it"
printf '%s\n' "application_1700000000000_0003 running.json" >>"$apps"
sp -o json cluster ping yarn-session
expect_rc 0 "ping a running session"
expect_out '"url": "'"$rm_url"'"'
expect_out '"flink_version": "1.20.5"'
printf '%s\n' "application_1700000000000_0003 failed.json" >"$apps"
sp cluster ping yarn-session
expect_rc 6 "an ended session"
expect_err "the application ended: FAILED (final status FAILED)"
kill $server; wait $server 2>/dev/null
sp cluster ping yarn-session
expect_rc 5 "ResourceManager down"
expect_err "the ResourceManager at $rm_url does not answer"

finish
