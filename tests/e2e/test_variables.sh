#!/usr/bin/env bash
# sp env, sp var and sp render: environments as namespaces, secrets masked
# in every format, unresolved variables refused with exit 4.
source "$SP_TEST_LIB"

sp env list
expect_rc 0 "env list before init"
expect_out "default"

sp init >/dev/null
sp env create prod
expect_rc 0 "env create"
sp env create prod -o json
expect_out '"result": "unchanged"'
sp env create "bad name"
expect_rc 2 "bad environment name"

sp var set kafka.cluster broker:9092 --env prod
expect_rc 0 "var set"
sp var set db.password hunter2-secret --env prod --secret --description "the database"
expect_rc 0 "secret var set"
printf 'from-stdin\n' | "$SP_BIN" var set stdin.var - --env prod >/dev/null || fail "var set from stdin"
sp var get stdin.var --env prod
[ "$out" = "from-stdin" ] || fail "stdin value: $out"
sp var set 1bad x --env prod
expect_rc 2 "invalid variable name"
sp var set sp.job x --env prod
expect_rc 2 "reserved variable name"
sp var set a b --env nope
expect_rc 3 "unknown environment"
expect_err "sp env create nope"

# Secrets are masked in every format.
for format in table json yaml; do
  sp --env prod -o "$format" var list
  expect_rc 0 "var list -o $format"
  grep -q hunter2 <<<"$out" && fail "var list -o $format shows a secret"
  expect_out "******"
  sp --env prod -o "$format" var get db.password
  grep -q hunter2 <<<"$out" && fail "var get -o $format shows a secret"
done
# An update without --secret does not reveal it.
sp var set db.password changed --env prod -o json
expect_out '"secret": true'

cat >"$SP_TEST_TMP/job.yaml" <<YAML
apiVersion: sp/v1
kind: Cluster
metadata: {name: session}
spec: {type: remote, url: "http://\${jm.host:-localhost}:8081"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders}
spec:
  cluster: session
  artifact: {jar: "/jars/\${sp.env}/orders.jar"}
  args: ["\${kafka.cluster}", "\${db.password}", "\${group.id}", "\${env:SP_TEST_TOKEN}"]
YAML
sp --env prod apply -f "$SP_TEST_TMP/job.yaml"
expect_rc 0 "apply job"
expect_err "warning: job orders: spec.args[2]: undefined variable group.id in environment prod"

SP_TEST_TOKEN=tok sp --env prod render orders
expect_rc 4 "render with an undefined variable"
expect_err "job orders: spec.args[2]: undefined variable group.id in environment prod"
sp --env prod var set group.id g1
export SP_TEST_TOKEN=token-from-ci
for format in table json yaml; do
  sp --env prod -o "$format" render orders
  expect_rc 0 "render -o $format"
  grep -qE "changed|token-from-ci" <<<"$out" && fail "render -o $format shows a secret"
  expect_out "/jars/prod/orders.jar"
done
sp --env prod render orders --show-secrets
expect_out "changed"
expect_out "token-from-ci"
unset SP_TEST_TOKEN
sp --env prod render orders
expect_rc 4 "render without the CI variable"
expect_err "environment variable SP_TEST_TOKEN is not set"
sp --env dev render orders
expect_rc 3 "render in an unknown environment"
sp --env prod render ordres
expect_rc 3 "render a missing job"
expect_err "did you mean orders?"

sp var usages kafka.cluster
expect_rc 0 "var usages"
expect_out "spec.args[0]"
sp var usages jm.host
expect_out "spec.url"

# Environments are namespaces: the same file applies to dev as a separate job.
sp env create dev
sp --env dev apply -f "$SP_TEST_TMP/job.yaml"
expect_rc 0 "apply to dev"
sp env list -o json
[ "$(grep -c '"jobs": 1' <<<"$out")" = 2 ] || fail "prod and dev should hold one job each"
sp env delete dev
expect_rc 4 "delete an environment holding jobs"
sp env delete default
expect_rc 4 "delete default"

# env use writes the config file and keeps what else is there.
mkdir -p "$XDG_CONFIG_HOME/sp"
printf '# my settings\noutput: json\nenvironment: default\ncolor: false\n' >"$XDG_CONFIG_HOME/sp/config.yaml"
sp env use prod
expect_rc 0 "env use"
grep -q '^environment: prod$' "$XDG_CONFIG_HOME/sp/config.yaml" || fail "environment not written"
grep -q '^# my settings$' "$XDG_CONFIG_HOME/sp/config.yaml" || fail "comment lost"
grep -q '^output: json$' "$XDG_CONFIG_HOME/sp/config.yaml" || fail "other key lost"
[ "$(stat -c %a "$XDG_CONFIG_HOME/sp/config.yaml")" = 600 ] || fail "config file is not 0600"
sp var get kafka.cluster -o table
[ "$out" = "broker:9092" ] || fail "env use did not make prod current: $out"
sp env use nowhere
expect_rc 3 "use an unknown environment"

sp var unset kafka.cluster
expect_rc 0 "var unset"
sp var unset kafka.cluster
expect_rc 3 "unset twice"

[ "$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM events WHERE message LIKE '%hunter2%' OR message LIKE '%changed%'")" = 0 ] ||
  fail "a secret reached the events"
[ "$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM events WHERE subject_kind = 'variable'")" -ge 5 ] ||
  fail "variable changes were not recorded"

finish
