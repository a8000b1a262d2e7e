#!/usr/bin/env bash
# The quickstart: sets everything up on a fresh machine, builds sp, starts a
# local Flink 1.20 cluster on loopback, builds the example job from a git
# repository with sp, and runs it under sp: first start, stop with a
# savepoint, start again restoring exactly that savepoint. Then the same
# for a Flink SQL job (examples/sql), after sp job verify.
# Safe to run again; everything it makes lives in ./build-quickstart
# (downloads are cached in ~/.cache and ~/.m2).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/build-quickstart"
flink_version=1.20.5
step() { printf '\n== %s\n' "$*"; }

step "installing build dependencies"
bash "$repo/.ci/install-deps.sh"

step "building sp"
cmake -S "$repo" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSP_BUILD_TESTS=OFF \
  -DSP_SQL_RUNNER=ON >/dev/null
cmake --build "$work/build" -j 2
sp() { "$work/build/src/sp" "$@"; }
export SP_HOME="$work/home" SP_ENV=quickstart
rm -rf "$SP_HOME"
sp version

step "starting Flink $flink_version on loopback (first run downloads it)"
export SP_TEST_RUN_DIR="$work/flink"
# Ports apart from the ones the test run uses, so both can run at once.
export SP_FLINK_PORT_OFFSET=${SP_FLINK_PORT_OFFSET:-20}
cluster="$repo/tests/flink/cluster.sh"
bash "$cluster" install "$flink_version"
url=$(bash "$cluster" start "$flink_version")
echo "Flink is at $url (stop it with: SP_TEST_RUN_DIR=$SP_TEST_RUN_DIR bash $cluster stop $flink_version)"

step "the example job as a git repository"
source_repo="$work/example-repo"
rm -rf "$source_repo"
mkdir -p "$source_repo"
cp -r "$repo/examples/flink-job/." "$source_repo/"
rm -rf "$source_repo/target"
git -C "$source_repo" init -q -b main
git -C "$source_repo" add -A
git -C "$source_repo" -c user.name=quickstart -c user.email=quickstart@example.com commit -q -m "Example job"

step "sp init, a project, an environment, a cluster and a job"
sp init
sp project add example --url "$source_repo" --ref main \
  --build-cmd "mvn -B -q package -Pflink-1.20" --artifact "target/sp-example-job-1.20.jar"
cat >"$work/objects.yaml" <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: quickstart}
spec:
  variables:
    example.rate: "20"
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local}
spec: {type: remote, url: "$url"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: example, owner: you@example.com}
spec:
  cluster: local
  artifact: {project: example, build: latest}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}-\${sp.env}", "--rate", "\${example.rate}"]
  parallelism: 1
  stop: savepoint
---
apiVersion: sp/v1
kind: Job
metadata: {name: example-sql, owner: you@example.com}
spec:
  cluster: local
  sql: {file: "$repo/examples/sql/orders-per-customer.sql"}
  parallelism: 1
  flinkConfiguration: {execution.checkpointing.interval: 2s}
YAML
sp env create quickstart >/dev/null
sp apply -f "$work/objects.yaml"

step "sp project build example (git clone with libgit2, then Maven)"
sp project build example

step "sp job start example (first start: no state yet)"
sp job start example
sleep 5

step "sp job stop example (stop with a savepoint)"
sp job stop example

step "sp job plan example (what start would do, and why)"
sp job plan example

step "sp job start example (restores exactly that savepoint, verified)"
sp job start example
sp job points example
sp job list

step "sp job verify example-sql (Flink's planner on the SQL, nothing run)"
sp job verify example-sql

step "sp job start example-sql, stop with a savepoint, start again restoring it"
sp job start example-sql
sleep 5
sp job stop example-sql
sp job start example-sql
sp job list

step "done"
cat <<TXT
The example job runs on $url. Try, with SP_HOME=$SP_HOME SP_ENV=quickstart:
  $work/build/src/sp job status example
  $work/build/src/sp job history example
  $work/build/src/sp job cancel example
  $work/build/src/sp job cancel example-sql
Stop Flink with: SP_TEST_RUN_DIR=$SP_TEST_RUN_DIR bash $cluster stop $flink_version
TXT
