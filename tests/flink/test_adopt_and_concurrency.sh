#!/usr/bin/env bash
# On a real Flink cluster of VERSION: adopting a job started by hand, the
# cluster's job list, a savepoint that fails (exit 6, the job keeps running),
# and two concurrent starts of one job (one starts, the other exits 4).
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
name="adopt-${line//./-}-$$"

{ itest_clusters; cat <<YAML; } >"$SP_TEST_TMP/objects.yaml"
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--name", "\${sp.job}"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-race, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--name", "\${sp.job}"]
  parallelism: 1
YAML
export SP_ENV=itest
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"

# A job started by hand, outside sp, named like the sp job.
jar_id=$(curl -fsS -X POST -F "jarfile=@$jar" "$url/jars/upload" | python3 -c "import json,sys; print(json.load(sys.stdin)['filename'].rsplit('/',1)[1])")
flink_id=$(curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"programArgsList\": [\"--name\", \"$name\"]}" "$url/jars/$jar_id/run" |
  python3 -c "import json,sys; print(json.load(sys.stdin)['jobid'])")
for _ in $(seq 1 60); do
  state=$(curl -fsS "$url/jobs/$flink_id" | python3 -c "import json,sys; print(json.load(sys.stdin)['state'])")
  [ "$state" = RUNNING ] && break
  sleep 1
done

sp -o json cluster jobs local
expect_rc 0 "cluster jobs before adopt"
python3 -c "
import json,sys; rows=json.load(sys.stdin); r=[x for x in rows if x['flink_job_id']=='$flink_id'][0]
assert r['sp_job'] is None and r['adopted'] is False, r" <<<"$out" || fail "the hand-started job looks known before adopt"

sp -o json job adopt "$name"
expect_rc 0 "adopt by name"
[ "$(json "['flink_job_id']")" = "$flink_id" ] || fail "adopted the wrong job"
sp job adopt "$name"
expect_rc 4 "adopting twice"

sp -o json cluster jobs local
python3 -c "
import json,sys; rows=json.load(sys.stdin); r=[x for x in rows if x['flink_job_id']=='$flink_id'][0]
assert r['sp_job'] == '$name' and r['adopted'] is True, r" <<<"$out" || fail "cluster jobs does not show the adoption"

# A savepoint into a place that cannot be written fails: exit 6, the job keeps running.
sp job savepoint "$name" --dir "file:///etc/hostname/cannot-be-a-directory" --wait 60s
expect_rc 6 "failing savepoint"
expect_err "the savepoint failed"
sp -o json job status "$name"
[ "$(json "['flink_state']")" = RUNNING ] || fail "the job stopped after a failed savepoint"

# The adopted job is now stopped by sp with a savepoint and restored from it.
stop_then_restore
sp job cancel "$name"
expect_rc 0 "cancel"

# Two starts of one job at once: one starts, the other is refused (exit 4).
"$SP_BIN" job start "$name-race" >"$SP_TEST_TMP/a.out" 2>"$SP_TEST_TMP/a.err" &
first=$!
"$SP_BIN" job start "$name-race" >"$SP_TEST_TMP/b.out" 2>"$SP_TEST_TMP/b.err" &
second=$!
wait "$first"; rc_a=$?
wait "$second"; rc_b=$?
codes=$(printf '%s\n' "$rc_a" "$rc_b" | sort | tr '\n' ' ')
[ "$codes" = "0 4 " ] || { rc="$rc_a/$rc_b"; err=$(cat "$SP_TEST_TMP/a.err" "$SP_TEST_TMP/b.err"); fail "concurrent starts gave $codes"; }
running=$(curl -fsS "$url/jobs/overview" | python3 -c "
import json,sys; print(sum(1 for j in json.load(sys.stdin)['jobs'] if j['name']=='$name-race' and j['state']=='RUNNING'))")
[ "$running" = 1 ] || fail "$running copies of the job run after concurrent starts"
sp job cancel "$name-race"
expect_rc 0 "cancel the raced job"

finish
