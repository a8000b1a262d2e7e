#!/usr/bin/env bash
# SPEC 5.2-5.6 and 5.9 on a real Flink cluster of VERSION, under Flink's
# default retention of one checkpoint (the test clusters keep the default):
#   - cancel right after a checkpoint completes, then start: the newest
#     retained checkpoint of that run is restored (verified), never the older
#     savepoint, over many rounds, since the race is timing-dependent;
#   - a checkpoint `sp watch` recorded and Flink then deleted: marked
#     subsumed, and the newest retained one restored, with no race to win;
#   - a second SP_HOME with the same declarations: its start is refused while
#     the job runs elsewhere (still one Flink job), then restores what the
#     other host's run left;
#   - the database deleted: `sp job recover --all`, then start restores the newest point;
#   - sp killed between writing the run and recording the submission: the
#     next command settles the run;
#   - a JobManager that does not answer: a first start is refused with exit 5.
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
name="truth-${line//./-}-$$"
rounds=${SP_RESTORE_ROUNDS:-20}
rundir=$(bash "$flink_tests/cluster.sh" rundir "$version")

{ itest_clusters; cat <<YAML; } >"$SP_TEST_TMP/objects.yaml"
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "50"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-nowhere, environment: itest}
spec:
  cluster: dead
  artifact: {jar: "$jar"}
YAML
export SP_ENV=itest
home_a=$SP_HOME
home_b="$SP_TEST_TMP/home-b"
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"

# completed_checkpoints ID: what the JobManager reports completed for Flink job ID.
completed_checkpoints() {
  curl -fsS "$url/jobs/$1/checkpoints" | python3 -c "import json,sys; print(json.load(sys.stdin)['counts']['completed'])"
}
# newest_on_disk ID: the newest chk-N with _metadata in the run's directory.
newest_on_disk() {
  local dir="$rundir/checkpoints/$1" newest=""
  for metadata in "$dir"/chk-*/_metadata; do
    [ -f "$metadata" ] || continue
    local chk=${metadata%/_metadata}
    if [ -z "$newest" ] || [ "${chk##*/chk-}" -gt "${newest##*/chk-}" ]; then newest=$chk; fi
  done
  echo "$newest"
}
# running_copies: how many RUNNING Flink jobs carry the job's name.
running_copies() {
  curl -fsS "$url/jobs/overview" | python3 -c "
import json,sys; print(sum(1 for j in json.load(sys.stdin)['jobs'] if j['name']==sys.argv[1] and j['state']=='RUNNING'))" "$name"
}
# wait_for_new_checkpoint ID: until the JobManager reports one more completed checkpoint.
wait_for_new_checkpoint() {
  local before after
  before=$(completed_checkpoints "$1")
  for _ in $(seq 1 200); do
    after=$(completed_checkpoints "$1")
    [ "$after" -gt "$before" ] && return 0
    sleep 0.05
  done
  fail "no new checkpoint of $1 within 10 s"
}

# 1. A first start, then a stop-savepoint: the older state the race could rewind to.
sp -o json job start "$name"
expect_rc 0 "first start"
flink_id=$(json "['flink_job_id']")
[ "${#flink_id}" -eq 32 ] || fail "not a Flink job id: $flink_id"
wait_for_checkpoints 1
stop_then_restore
older_savepoint=$savepoint
flink_id=$(json "['flink_job_id']")

# 2. Cancel right after a checkpoint completes, then start, many times.
for round in $(seq 1 "$rounds"); do
  wait_for_new_checkpoint "$flink_id"
  sp job cancel "$name"
  expect_rc 0 "round $round: cancel"
  expected=$(newest_on_disk "$flink_id")
  sp -o json job start "$name"
  expect_rc 0 "round $round: start after cancel"
  restored=$(json "['restored_from']")
  [ "${restored#file:}" = "$expected" ] || fail "round $round: restored $restored, not the newest retained $expected"
  [ "$restored" != "$older_savepoint" ] || fail "round $round: rewound to the older savepoint"
  [ "$(json "['restore_verified']")" = True ] || fail "round $round: restore not verified"
  flink_id=$(json "['flink_job_id']")
  [ "$failures" -eq 0 ] || break
done

# 2b. The same rule without the race: a checkpoint `sp watch` recorded is
# subsumed for certain by two newer ones before the cancel. The start marks
# it subsumed, says so in the history, and restores the newest retained one.
wait_for_new_checkpoint "$flink_id"
sp -o json watch --once
expect_rc 0 "watch --once records the newest checkpoint"
sp -o json job points "$name"
watched=$(python3 -c "
import json,sys; d=json.load(sys.stdin)
print([p['path'] for p in d if p['kind']=='checkpoint' and p['valid']][0])" <<<"$out")
wait_for_new_checkpoint "$flink_id"
wait_for_new_checkpoint "$flink_id"
[ ! -e "${watched#file:}" ] || fail "$watched survived two newer checkpoints: the cluster retains more than one"
sp job cancel "$name"
expect_rc 0 "cancel after the watched checkpoint was subsumed"
expected=$(newest_on_disk "$flink_id")
sp -o json job start "$name"
expect_rc 0 "start after the watched checkpoint was subsumed"
[ "$(json "['restored_from']")" = "file:$expected" ] || fail "restored $(json "['restored_from']"), not $expected"
[ "$(json "['restore_verified']")" = True ] || fail "restore after subsumption not verified"
flink_id=$(json "['flink_job_id']")
sp job history "$name"
expect_out "restore-point-subsumed"
expect_out "${watched#file:}"

# 3. Another host: its own SP_HOME, the same declarations.
export SP_HOME=$home_b
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply on host B"
sp job start "$name"
expect_rc 4 "host B's start while the job runs on host A"
expect_err "$flink_id"
expect_err "sp job adopt"
[ "$(running_copies)" -eq 1 ] || fail "a second copy runs beside the first"
export SP_HOME=$home_a
wait_for_new_checkpoint "$flink_id"
sp job cancel "$name"
expect_rc 0 "host A cancels"
expected=$(newest_on_disk "$flink_id")
export SP_HOME=$home_b
sp -o json job start "$name"
expect_rc 0 "host B starts after host A cancelled"
[ "$(json "['restored_from']")" = "file:$expected" ] || fail "host B restored $(json "['restored_from']"), not host A's $expected"
[ "$(json "['restore_verified']")" = True ] || fail "host B's restore not verified"
flink_id=$(json "['flink_job_id']")
wait_for_new_checkpoint "$flink_id"
sp job cancel "$name"
expect_rc 0 "host B cancels"

# 4. A lost database: recover, then start from the newest point.
expected=$(newest_on_disk "$flink_id")
rm -f "$SP_HOME/sp.db" "$SP_HOME/sp.db-wal" "$SP_HOME/sp.db-shm"
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply after the database was lost"
sp -o json job recover "$name" --dry-run
expect_rc 0 "recover --dry-run"
sp -o json job points "$name"
[ "$out" = "[]" ] || fail "recover --dry-run recorded points: $out"
sp -o json job recover --all
# The job on the dead cluster could not be checked: exit 5, and what the
# other job left is recorded all the same.
expect_rc 5 "recover --all with one cluster down"
expect_err "could not check the JobManager at http://127.0.0.1:9"
python3 -c "
import json,sys; d=json.load(sys.stdin); r=[j for j in d if j['job']==sys.argv[1]][0]
assert r['runs_recorded'] >= 1 and r['points_recorded'] >= 1, r" "$name" <<<"$out" || fail "recover found nothing"
sp -o json job recover "$name"
expect_rc 0 "recover again"
[ "$(json "[0]['runs_recorded']")" = 0 ] && [ "$(json "[0]['points_recorded']")" = 0 ] || fail "recover is not idempotent"
sp -o json job start "$name"
expect_rc 0 "start after recover"
[ "$(json "['restored_from']")" = "file:$expected" ] || fail "after recover restored $(json "['restored_from']"), not $expected"
flink_id=$(json "['flink_job_id']")

# 5. sp killed between writing the run and recording the submission.
wait_for_new_checkpoint "$flink_id"
sp job cancel "$name"
expect_rc 0 "cancel before the fault"
SP_FAULT_INJECT=start-after-submit sp job start "$name"
[ "$rc" -eq 137 ] || fail "the fault hook did not kill sp (rc=$rc)"
sp -o json job show "$name"
[ "$(json "['latest_run']['state']")" = SUBMITTING ] || fail "the killed start left no SUBMITTING run"
sp job start "$name"
expect_rc 4 "start after the killed start: Flink has the job"
expect_err "already RUNNING"
sp -o json job show "$name"
[ "$(json "['latest_run']['state']")" = RUNNING ] || fail "the SUBMITTING run was not settled as RUNNING"
[ "$(running_copies)" -eq 1 ] || fail "more than one copy after the killed start"
sp job cancel "$name"
expect_rc 0 "cancel the settled run"

# 6. A JobManager that does not answer: never a first start from empty state.
sp job start "$name-nowhere"
expect_rc 5 "first start with the JobManager down"
expect_err "cannot tell whether the job ran before"
sp job plan "$name-nowhere"
expect_rc 5 "plan with the JobManager down"
sp -o json job show "$name-nowhere"
[ "$(json "['latest_run']")" = None ] || fail "a run was recorded for a start that could not check"

finish
