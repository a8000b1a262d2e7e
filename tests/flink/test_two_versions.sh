#!/usr/bin/env bash
# Several Flink versions side by side (SPEC 1, 9): the 1.20 and 2.2
# distributions registered with `sp flink add`, each used by its own cluster
# (submit: cli, so each cluster's own bin/flink submits), the example job of
# each line started on its cluster and RUNNING there, in one test run; a
# cluster naming the other version's distribution is refused by the version
# check before bin/flink runs. Needs both clusters running (run-all.sh starts them).
source "$SP_TEST_LIB"
flink_tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$flink_tests/../.." && pwd)
export SP_ENV=itest

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)" <<<"$out"; }

sp init >/dev/null
sp env create itest >/dev/null
for version in 1.20.5 2.2.1; do
  line=${version%.*}
  home=$(bash "$flink_tests/cluster.sh" home "$version") || { echo "Flink $version is not installed"; exit 1; }
  url=$(bash "$flink_tests/cluster.sh" url "$version") || { echo "no running Flink $version cluster"; exit 1; }
  jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
  if [ ! -f "$jar" ]; then
    mvn -B -q -Dstyle.color=never -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line" >"$SP_TEST_TMP/mvn.log" 2>&1 ||
      { cat "$SP_TEST_TMP/mvn.log"; exit 1; }
  fi
  sp flink add "flink-$line" "$home"
  expect_rc 0 "flink add $version"
  sp cluster add "cluster-$line" --type remote --url "$url" --flink "flink-$line" --submit cli
  expect_rc 0 "cluster add $line"
  cat >"$SP_TEST_TMP/job-$line.yaml" <<YAML
apiVersion: sp/v1
kind: Job
metadata: {name: two-versions-${line//./-}-$$}
spec:
  cluster: cluster-$line
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "5"]
  parallelism: 1
YAML
  sp apply -f "$SP_TEST_TMP/job-$line.yaml"
  expect_rc 0 "apply job $line"
done

sp -o json flink list
expect_rc 0 "flink list"
[ "$(json "[0]['version']") $(json "[1]['version']")" = "1.20.5 2.2.1" ] || fail "flink list: not both versions"
[ "$(json "[0]['clusters']")" = "['itest/cluster-1.20']" ] || fail "flink list: clusters of 1.20"

for line in 1.20 2.2; do
  name="two-versions-${line//./-}-$$"
  url=$(bash "$flink_tests/cluster.sh" url "$line")
  sp -o json job start "$name"
  expect_rc 0 "start on $line"
  [ "$(json "['state']")" = RUNNING ] || fail "$name is not RUNNING"
  [ "$(json "['rest_url']")" = "$url" ] || fail "$name went to $(json "['rest_url']"), not $url"
  id=$(json "['flink_job_id']")
  curl -fsS "$url/jobs/overview" | python3 -c "
import json, sys
jobs = [j for j in json.load(sys.stdin)['jobs'] if j['jid'] == sys.argv[1]]
sys.exit(0 if jobs and jobs[0]['state'] == 'RUNNING' and jobs[0]['name'] == sys.argv[2] else 1)" "$id" "$name" ||
    fail "Flink $line does not run $name as $id"
done

# A cluster pointing at the 2.2 JobManager with the 1.20 distribution: refused before bin/flink runs.
sp cluster add crossed --type remote --url "$(bash "$flink_tests/cluster.sh" url 2.2)" --flink flink-1.20 --submit cli
expect_rc 0 "cluster add crossed"
sed -e "s/cluster: cluster-1.20/cluster: crossed/" -e "s/two-versions-1-20-$$/crossed-$$/" \
  "$SP_TEST_TMP/job-1.20.yaml" >"$SP_TEST_TMP/crossed.yaml"
sp apply -f "$SP_TEST_TMP/crossed.yaml"
sp job start "crossed-$$"
expect_rc 4 "1.20 client against a 2.2 JobManager"
expect_err "runs Flink 2.2.1 but Flink flink-1.20 is 1.20.5"

for line in 1.20 2.2; do
  sp job cancel "two-versions-${line//./-}-$$"
  expect_rc 0 "cancel on $line"
done
finish
