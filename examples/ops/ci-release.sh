#!/usr/bin/env bash
# A CI step that builds the job's project, releases the job and restarts it
# with its state, failing the pipeline on any refusal. Works in any CI that
# runs a shell; .gitlab-ci.yml and GitHub Actions snippets below call it.
#
#   SP_ENV=prod JOB=orders-enrich PROJECT=orders bash ci-release.sh
#
# Needs: sp on PATH, SP_HOME on a persistent volume shared with `sp watch`,
# GIT_TOKEN (the project's tokenEnv) in the CI secrets.
set -euo pipefail
: "${SP_ENV:?}" "${JOB:?}" "${PROJECT:?}"
export SP_ENV

# Declarations live in the repository: apply them first (all or nothing).
sp apply -f deploy/sp/

# Build at this pipeline's commit; exit 6 when Maven fails (its log's tail is printed).
sp -q -o json project build "$PROJECT" --ref "${CI_COMMIT_SHA:-main}" > build.json
build=$(jq -r .id build.json)
echo "built $PROJECT build $build"

# Release exactly that build, then ask what a start would restore, before acting.
sp -q job release "$JOB" --build "$build"
code=0
sp -o json job plan "$JOB" > plan.json || code=$?
if [ "$code" -ne 0 ]; then
  # 4: a safety rule refuses (no valid restore point, state too old, ...): a human decides.
  echo "sp job plan says start would be refused (exit $code):" >&2
  jq . plan.json >&2 || true
  exit "$code"
fi

# restart = stop with a savepoint (per the job's policy), start from it.
# A job that is not running is started under the same restore rules.
state=$(sp -o json job status "$JOB" | jq -r '.flink_state // "NONE"')
if [ "$state" = RUNNING ]; then
  sp -o json job restart "$JOB" --wait 5m > start.json
else
  sp -o json job start "$JOB" --wait 5m > start.json
fi
jq -r '"started \(.flink_job_id) restored from \(.restored_from // "nothing")"' start.json

# --- .gitlab-ci.yml
# deploy-orders:
#   stage: deploy
#   environment: production
#   resource_group: orders-enrich      # one deploy at a time (sp also locks per job)
#   variables: {SP_ENV: prod, JOB: orders-enrich, PROJECT: orders, SP_HOME: /srv/sp}
#   script: [bash examples/ops/ci-release.sh]
#   rules: [{if: '$CI_COMMIT_BRANCH == "main"'}]
#
# --- GitHub Actions
# jobs:
#   deploy:
#     runs-on: [self-hosted, flink-ops]
#     concurrency: orders-enrich
#     env: {SP_ENV: prod, JOB: orders-enrich, PROJECT: orders, SP_HOME: /srv/sp, CI_COMMIT_SHA: "${{ github.sha }}"}
#     steps:
#       - uses: actions/checkout@v4
#       - run: bash examples/ops/ci-release.sh
#         env: {GIT_TOKEN: "${{ secrets.GIT_TOKEN }}"}
