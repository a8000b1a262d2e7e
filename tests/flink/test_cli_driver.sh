#!/usr/bin/env bash
# The CLI driver (SPEC 9) on a real Flink cluster of VERSION: the registered
# distribution's bin/flink submits for a remote cluster with `submit: cli`.
# Fresh start, stop with savepoint, start restoring exactly that savepoint
# (verified by the JobManager), cancel; then the refusals and failures:
# a distribution of another version, a job failing at start, a dead JobManager.
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
home=$(bash "$flink_tests/cluster.sh" home "$version") || { echo "Flink $version is not installed"; exit 1; }
name="cli-${line//./-}-$$"

# A distribution that claims another version: bin/flink must never run for it.
other="$SP_TEST_TMP/flink-9.9.0"
mkdir -p "$other/bin" "$other/lib"
: >"$other/lib/flink-dist-9.9.0.jar"
printf '#!/bin/sh\necho ran >"%s/other-ran"\n' "$SP_TEST_TMP" >"$other/bin/flink"
chmod +x "$other/bin/flink"

cat >"$SP_TEST_TMP/objects.yaml" <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: itest}
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink-$line}
spec: {home: "$home"}
---
apiVersion: sp/v1
kind: Flink
metadata: {name: other}
spec: {home: "$other"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local-cli, environment: itest}
spec:
  type: remote
  url: "$url"
  flink: flink-$line
  submit: cli
  # bin/flink compiles the job with its own configuration, not the cluster's:
  # checkpointing has to come from here (sent as -D options).
  flinkConfiguration:
    execution.checkpointing.interval: 1s
    execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: mismatched, environment: itest}
spec: {type: remote, url: "$url", flink: other, submit: cli}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: dead, environment: itest}
spec: {type: remote, url: "http://127.0.0.1:9", flink: flink-$line, submit: cli}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local-cli
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "20"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-failing, environment: itest}
spec:
  cluster: local-cli
  artifact: {jar: "$jar"}
  args: ["--fail-at-start"]
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-mismatched, environment: itest}
spec: {cluster: mismatched, artifact: {jar: "$jar"}}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-nowhere, environment: itest}
spec: {cluster: dead, artifact: {jar: "$jar"}}
YAML
export SP_ENV=itest
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"

jar_count() { curl -fsS "$url/jars" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['files']))"; }
jars_before=$(jar_count)

# 1. Fresh start through bin/flink: RUNNING, and nothing went through /jars/upload.
sp -o json job start "$name"
expect_rc 0 "first start"
[ "$(json "['restored_from']")" = "None" ] || fail "first start restored something"
[ "$(json "['state']")" = RUNNING ] || fail "first start is not RUNNING"
first_id=$(json "['flink_job_id']")
curl -fsS "$url/jobs/$first_id" | grep -qF "\"name\":\"$name\"" || fail "Flink job $first_id is not $name"
[ "$(jar_count)" = "$jars_before" ] || fail "the CLI driver uploaded through the REST API"
# The cluster's flinkConfiguration reached the job as -D options.
wait_for_checkpoints 2

# 2. Stop with savepoint, then start: bin/flink restores exactly that savepoint, verified.
stop_then_restore
[ "$(json "['flink_job_id']")" != "$first_id" ] || fail "the same Flink job id twice"
# NO_CLAIM: the savepoint's files stay after the restored run has checkpointed past it.
wait_for_checkpoints 5
[ -f "${savepoint#file:}/_metadata" ] || fail "the restored savepoint was claimed and deleted"

# 3. Cancel.
sp -o json job cancel "$name"
expect_rc 0 "cancel"
# /jobs/overview, not /jobs/:id: the latter is served from a cache that lags by seconds.
state=$(curl -fsS "$url/jobs/overview" | python3 -c "
import json, sys
print([j['state'] for j in json.load(sys.stdin)['jobs'] if j['jid'] == sys.argv[1]])" "$(json "['flink_job_id']")")
[ "$state" = "['CANCELED']" ] || fail "Flink job is $state after cancel"

# 4. A distribution of another version line is refused before bin/flink runs.
sp job start "$name-mismatched"
expect_rc 4 "mismatched distribution"
expect_err "but Flink other is 9.9.0"
[ ! -e "$SP_TEST_TMP/other-ran" ] || fail "bin/flink of the mismatched distribution ran"

# 5. A job whose main() throws: exit 6 with the cause bin/flink printed.
sp job start "$name-failing"
expect_rc 6 "failing at start"
expect_err "failing at start on purpose"
expect_err "bin/flink exited with code 1"

# 6. A JobManager that does not answer: exit 5 at once, without bin/flink's minute of retries.
started=$(date +%s)
sp job start "$name-nowhere"
expect_rc 5 "dead JobManager"
[ $(($(date +%s) - started)) -lt 20 ] || fail "the dead JobManager took $(($(date +%s) - started)) s to report"

finish
