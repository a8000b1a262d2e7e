#!/usr/bin/env bash
# SPEC 14 on a real Flink cluster of VERSION: a Flink SQL job run by sp.
#   - the example script (examples/sql, datagen → GROUP BY → blackhole) from
#     a file, its rate a variable: start (one Flink job named after the sp
#     job, run by the SQL runner, the runner recorded on the release with
#     its sha256) → checkpoints → stop with a savepoint → start restores it
#     (verified) → cancel → start restores the newest retained checkpoint;
#   - an inline statement set with two INSERTs: one Flink job, two sinks;
#   - `sp job verify`: the example passes Flink's planner through the
#     JobManager (POST /jars/:id/plan) and locally with the registered
#     distribution; an unknown column and an unknown connector fail with
#     Flink's message and the statement's line (exit 6), no job appearing;
#   - upgrade safety with compiled plans (the cluster names its distribution):
#     a filter constant changed restores the savepoint (stateless-only); a
#     changed grouping key is refused naming the operator, and starts with
#     --allow-non-restored;
#   - plan: pinned: the job runs from its release's compiled plan (EXECUTE
#     PLAN); the stored plan holds the secret's reference, never its value;
#     stop with a savepoint, start restores it (verified);
#   - bad scripts stop before anything is released or started: a SELECT
#     (exit 2, its line), an unterminated quote (exit 2, line and column),
#     undefined variables (exit 4, every name at once), a missing file (exit 3).
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
: "${SP_SQL_RUNNER_DIR:?SP_SQL_RUNNER_DIR must name the directory of the SQL runner jars}"
name="sql-${line//./-}-$$"
rundir=$(bash "$flink_tests/cluster.sh" rundir "$version")

cat >"$SP_TEST_TMP/two-sinks.sql" <<'SQL'
CREATE TEMPORARY TABLE numbers (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TEMPORARY TABLE evens (n BIGINT) WITH ('connector' = 'blackhole');
CREATE TEMPORARY TABLE odds (n BIGINT) WITH ('connector' = 'blackhole');
EXECUTE STATEMENT SET BEGIN
  INSERT INTO evens SELECT n FROM numbers WHERE MOD(n, 2) = 0;
  INSERT INTO odds SELECT n FROM numbers WHERE MOD(n, 2) = 1;
END;
SQL
printf 'CREATE TEMPORARY TABLE t (n INT) WITH (%s);\nSELECT * FROM t;\n' "'connector' = 'datagen'" \
  >"$SP_TEST_TMP/select.sql"
printf "CREATE TEMPORARY TABLE t (n INT) WITH ('connector' = 'datagen);\n" >"$SP_TEST_TMP/unterminated.sql"
printf "INSERT INTO \${sink.table} SELECT '\${missing.one}', '\${missing.two}';\n" >"$SP_TEST_TMP/undefined.sql"
sed 's/SUM(amount)/SUM(amount_typo)/' "$repo/examples/sql/orders-per-customer.sql" >"$SP_TEST_TMP/column.sql"
sed "s/'connector' = 'blackhole'/'connector' = 'blackhole-nowhere'/" "$repo/examples/sql/orders-per-customer.sql" \
  >"$SP_TEST_TMP/connector.sql"
# The script the upgrade steps edit: a filter constant (stateless), then the grouping key.
sed 's/^FROM orders$/FROM orders WHERE amount > 0/' "$repo/examples/sql/orders-per-customer.sql" >"$SP_TEST_TMP/upgrade.sql"
grep -q "WHERE amount > 0" "$SP_TEST_TMP/upgrade.sql" || { echo "the example's FROM line moved"; exit 1; }
# A secret in the pinned plan: the constant lands in the compiled plan's literals.
cat >"$SP_TEST_TMP/pinned.sql" <<'SQL'
CREATE TEMPORARY TABLE orders (customer INT, amount DOUBLE)
  WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.customer.min' = '1', 'fields.customer.max' = '50');
CREATE TEMPORARY TABLE tagged (customer INT, tag STRING, orders BIGINT, PRIMARY KEY (customer) NOT ENFORCED)
  WITH ('connector' = 'blackhole');
INSERT INTO tagged SELECT customer, '${pinned.tag}', COUNT(*) FROM orders GROUP BY customer;
SQL
home=$(bash "$flink_tests/cluster.sh" home "$version") || { echo "Flink $version is not installed"; exit 1; }

{ itest_clusters; cat <<YAML; } >"$SP_TEST_TMP/objects.yaml"
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local
  sql: {file: "$repo/examples/sql/orders-per-customer.sql"}
  parallelism: 1
  flinkConfiguration: {execution.checkpointing.interval: 1s}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-two-sinks, environment: itest}
spec:
  cluster: local
  sql: {inline: "$(sed 's/"/\\"/g' "$SP_TEST_TMP/two-sinks.sql" | tr '\n' ' ')"}
  parallelism: 1
YAML
cat >>"$SP_TEST_TMP/objects.yaml" <<YAML
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink-$line}
spec: {home: "$home"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local-with-home, environment: itest}
spec: {type: remote, url: "$url", flink: flink-$line}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-local, environment: itest}
spec:
  cluster: local-with-home
  sql: {file: "$SP_TEST_TMP/upgrade.sql"}
  parallelism: 1
  flinkConfiguration: {execution.checkpointing.interval: 1s}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-pinned, environment: itest}
spec:
  cluster: local-with-home
  sql: {file: "$SP_TEST_TMP/pinned.sql", plan: pinned}
  parallelism: 1
  flinkConfiguration: {execution.checkpointing.interval: 1s}
YAML
for bad in select unterminated undefined missing column connector; do
  cat >>"$SP_TEST_TMP/objects.yaml" <<YAML
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-$bad, environment: itest}
spec:
  cluster: local
  sql: {file: "$SP_TEST_TMP/$bad.sql"}
YAML
done
export SP_ENV=itest
# flink_jobs: how many jobs the JobManager lists, whatever their state.
flink_jobs() { curl -fsS "$url/jobs/overview" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['jobs']))"; }
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"
pinned_secret="tag-$$-not-for-storage"
printf '%s' "$pinned_secret" | sp var set pinned.tag - --secret
expect_rc 0 "set the pinned job's secret"

# 1. The example script: a first start, then stop and restore its savepoint.
sp -o json job start "$name"
expect_rc 0 "first start of the SQL job"
flink_id=$(json "['flink_job_id']")
overview=$(curl -fsS "$url/jobs/$flink_id")
python3 -c "import json,sys; assert json.load(sys.stdin)['name'] == sys.argv[1]" "$name" <<<"$overview" ||
  fail "the Flink job is not named $name: ${overview:0:300}"
sp -o json job history "$name"
expect_out "sp-sql-runner-flink-$line.jar"
runner_sha=$(sha256sum "$SP_SQL_RUNNER_DIR/sp-sql-runner-flink-$line.jar" | cut -c1-12)
expect_out "$runner_sha"
wait_for_checkpoints 2
stop_then_restore
flink_id=$(json "['flink_job_id']")
[ "$(json "['release']")" = 1 ] || fail "an unchanged script made a new release"

# 2. Cancel, then start: the newest retained checkpoint, verified.
wait_for_checkpoints 1
sp job cancel "$name"
expect_rc 0 "cancel the SQL job"
newest=""
for metadata in "$rundir/checkpoints/$flink_id"/chk-*/_metadata; do
  [ -f "$metadata" ] && newest=${metadata%/_metadata}
done
[ -n "$newest" ] || fail "the cancelled run left no checkpoint in $rundir/checkpoints/$flink_id"
sp -o json job start "$name"
expect_rc 0 "start after cancel"
[ "$(json "['restored_from']")" = "file:$newest" ] || fail "restored $(json "['restored_from']"), not $newest"
[ "$(json "['restore_verified']")" = True ] || fail "the checkpoint restore was not verified"
sp job cancel "$name"
expect_rc 0 "cancel again"

# 3. A statement set of two INSERTs: one Flink job with two sinks.
sp -o json job start "$name-two-sinks"
expect_rc 0 "start the statement set"
two=$(json "['flink_job_id']")
# One source feeding both sinks' writers ("evens[28]: Writer"), in one Flink job.
vertices=$(curl -fsS "$url/jobs/$two" | python3 -c "
import json,sys; print('\n'.join(v['name'] for v in json.load(sys.stdin)['vertices']))")
for table in evens odds; do
  grep -qE "^$table\[[0-9]+\]: Writer" <<<"$vertices" || fail "job $two has no writer of $table: $vertices"
done
copies=$(curl -fsS "$url/jobs/overview" | python3 -c "
import json,sys; print(sum(1 for j in json.load(sys.stdin)['jobs'] if j['name']==sys.argv[1]))" "$name-two-sinks")
[ "$copies" -eq 1 ] || fail "the statement set made $copies Flink jobs"
sp job cancel "$name-two-sinks"
expect_rc 0 "cancel the statement set"

# 4. Verify: Flink's planner, nothing run.
jobs_before=$(flink_jobs)
started=$(date +%s%N)
sp -o json job verify "$name"
expect_rc 0 "verify the example through the JobManager"
echo "sp job verify through the JobManager: $((($(date +%s%N) - started) / 1000000)) ms"
[ "$(json "['planner']")" = "$url" ] || fail "verify did not plan on the JobManager"
[ "$(json "['inserts']")" = 1 ] || fail "verify counted $(json "['inserts']") INSERTs"
started=$(date +%s%N)
sp -o json job verify "$name-local"
expect_rc 0 "verify the example with the registered distribution"
echo "sp job verify with the local planner: $((($(date +%s%N) - started) / 1000000)) ms"
[ "$(json "['planner']")" = "local $home" ] || fail "verify did not plan locally"
sp job verify "$name-column"
expect_rc 6 "verify: an unknown column"
expect_err "amount_typo"
expect_err "line 27"
sp job verify "$name-connector"
expect_rc 6 "verify: an unknown connector"
expect_err "blackhole-nowhere"
sp job start "$name-connector"
expect_rc 6 "start: the release refuses what the planner refuses"
[ "$(flink_jobs)" -eq "$jobs_before" ] || fail "verify or a refused release reached Flink"

# 5. Upgrade safety: the releases' compiled plans compared before a restore.
sp -o json job start "$name-local"
expect_rc 0 "first start of the job whose plans sp compiles"
wait_for_local_checkpoint() {
  local id=$1
  for _ in $(seq 1 60); do
    [ "$(curl -fsS "$url/jobs/$id/checkpoints" | python3 -c "import json,sys; print(json.load(sys.stdin)['counts']['completed'])")" -ge 1 ] && return 0
    sleep 1
  done
  fail "no checkpoint of $id after 60 s"
}
wait_for_local_checkpoint "$(json "['flink_job_id']")"
sp -o json job stop "$name-local"
expect_rc 0 "stop with a savepoint before the edits"
savepoint=$(json "['savepoint']")
sed -i 's/WHERE amount > 0/WHERE amount > 1/' "$SP_TEST_TMP/upgrade.sql"
sp -o json job start "$name-local"
expect_rc 0 "a filter constant changed: stateless, restored"
[ "$(json "['upgrade']['change']")" = stateless-only ] || fail "a filter change was not stateless-only: $out"
[ "$(json "['restored_from']")" = "$savepoint" ] || fail "restored $(json "['restored_from']"), not $savepoint"
[ "$(json "['restore_verified']")" = True ] || fail "the stateless upgrade's restore was not verified"
wait_for_local_checkpoint "$(json "['flink_job_id']")"
sp -o json job stop "$name-local"
expect_rc 0 "stop with a savepoint before the key change"
savepoint=$(json "['savepoint']")
python3 - "$SP_TEST_TMP/upgrade.sql" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
text = text.replace("SELECT customer, COUNT(*)", "SELECT CAST(order_id AS INT) AS customer, COUNT(*)")
text = text.replace("GROUP BY customer;", "GROUP BY order_id;")
open(path, "w").write(text)
PY
upgrade_before=$(flink_jobs)
sp job start "$name-local"
expect_rc 4 "a changed grouping key is refused"
expect_err "stream-exec-group-aggregate"
expect_err "--allow-non-restored"
[ "$(flink_jobs)" -eq "$upgrade_before" ] || fail "the refused upgrade reached Flink"
sp -o json job plan "$name-local"
[ "$(json "['upgrade']['change']")" = breaking ] || fail "plan does not show the breaking change: $out"
sp -o json job diff "$name-local"
expect_rc 0 "diff the running release and the newest"
expect_out "+GROUP BY order_id;"
expect_out "-GROUP BY customer;"
[ "$(json "['plan']['change']")" = breaking ] || fail "diff does not show the breaking change: $out"
sp -o json job start "$name-local" --allow-non-restored
expect_rc 0 "the key change forced with --allow-non-restored"
[ "$(json "['restored_from']")" = "$savepoint" ] || fail "the forced start restored $(json "['restored_from']")"
sp job cancel "$name-local"
expect_rc 0 "cancel after the upgrades"

# 5b. A pinned plan: EXECUTE PLAN of the release's compiled plan, restored like any start.
sp -o json job start "$name-pinned"
expect_rc 0 "first start of the pinned job"
pinned_id=$(json "['flink_job_id']")
plans=$(sqlite3 "$SP_HOME/sp.db" "SELECT compiled_plan FROM releases r JOIN jobs j ON j.id = r.job_id WHERE j.name = '$name-pinned'")
[[ "$plans" == *'${pinned.tag}'* ]] || fail "the stored plan lacks the secret's reference: ${plans:0:400}"
[[ "$plans" != *"$pinned_secret"* ]] || fail "the stored plan holds the secret's value"
wait_for_local_checkpoint "$pinned_id"
sp -o json job stop "$name-pinned"
expect_rc 0 "stop the pinned job with a savepoint"
savepoint=$(json "['savepoint']")
sp -o json job start "$name-pinned"
expect_rc 0 "the pinned job restores its savepoint"
[ "$(json "['restored_from']")" = "$savepoint" ] || fail "the pinned job restored $(json "['restored_from']")"
[ "$(json "['restore_verified']")" = True ] || fail "the pinned job's restore was not verified"
[ "$(json "['release']")" = "$(sqlite3 "$SP_HOME/sp.db" "SELECT MAX(r.id) FROM releases r JOIN jobs j ON j.id = r.job_id WHERE j.name = '$name-pinned'")" ] ||
  fail "the pinned restart made a new release"
sp job cancel "$name-pinned"
expect_rc 0 "cancel the pinned job"

# 6. Bad scripts: nothing released, nothing started.
jobs_before=$(flink_jobs)
sp job start "$name-select"
expect_rc 2 "a SELECT"
expect_err "select.sql:2:1"
expect_err "SELECT"
sp job start "$name-unterminated"
expect_rc 2 "an unterminated quote"
expect_err "unterminated.sql:1:"
sp job start "$name-undefined"
expect_rc 4 "undefined variables"
for missing in sink.table missing.one missing.two; do expect_err "$missing"; done
sp job start "$name-missing"
expect_rc 3 "a missing file"
expect_err "missing.sql"
for bad in select unterminated undefined missing connector; do
  sp -o json job show "$name-$bad"
  [ "$(json "['latest_run']")" = None ] || fail "$bad: a run was recorded"
done
jobs_after=$(flink_jobs)
[ "$jobs_after" -eq "$jobs_before" ] || fail "a bad script reached Flink ($jobs_before jobs before, $jobs_after after)"

finish
