#!/usr/bin/env bash
# sp apply / diff / export: idempotent, all or nothing, round trips, exit codes.
source "$SP_TEST_LIB"

files="$SP_TEST_TMP/files"
mkdir -p "$files/jobs" "$SP_TEST_TMP/flink/lib"
touch "$SP_TEST_TMP/flink/lib/flink-dist-1.20.0.jar"
cat >"$files/base.yaml" <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec:
  variables:
    kafka.cluster: broker:9092
    db.password: {value: s3cr3t-value, secret: true, description: the database}
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink-1.20}
spec: {home: ../flink}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: ops}
spec: {type: command, argv: [/bin/true]}
---
apiVersion: sp/v1
kind: Project
metadata: {name: orders}
spec: {url: "https://git.example.com/orders.git"}
YAML
cat >"$files/jobs/cluster.yml" <<YAML
apiVersion: sp/v1
kind: Cluster
metadata: {name: session}
spec: {type: remote, url: "http://jm:8081", flink: flink-1.20}
YAML
cat >"$files/jobs/orders.yaml" <<YAML
apiVersion: sp/v1
kind: Job
metadata: {name: orders-enrich, owner: me@example.com}
spec:
  cluster: session
  artifact: {project: orders, build: latest}
  args: ["--brokers", "\${kafka.cluster}", "--password", "\${db.password}", "--group", "\${sp.job}-\${sp.env}"]
  parallelism: 2
  state: {maxAge: 7d, savepointDir: "\${savepoint.root:-/tmp/sp}/orders"}
  alerts: [ops]
YAML
echo "not yaml, not a manifest" >"$files/jobs/README.txt" # ignored: not *.yaml

# Before anything exists: diff shows everything as created, exit 1, and creates nothing.
sp --env prod diff -f "$files"
expect_rc 1 "diff before apply"
expect_out "created"
[ ! -e "$SP_HOME/sp.db" ] || fail "diff created the database"

sp --env prod apply -f "$files" --dry-run
expect_rc 0 "dry run"
expect_out "created (dry run)"
[ ! -e "$SP_HOME/sp.db" ] || fail "dry run created the database"

sp --env prod apply -f "$files" -o json
expect_rc 0 "apply"
[ "$(grep -c '"result": "created"' <<<"$out")" = 6 ] || fail "expected 6 created objects"

sp --env prod apply -f "$files"
expect_rc 0 "second apply"
[ "$(grep -c unchanged <<<"$out")" = 6 ] || fail "second apply is not unchanged"
sp --env prod diff -f "$files"
expect_rc 0 "diff after apply"

# A field-level change: diff names the field, apply says configured.
sed -i 's/parallelism: 2/parallelism: 3/' "$files/jobs/orders.yaml"
sp --env prod diff -f "$files"
expect_rc 1 "diff with a change"
expect_out "spec.parallelism"
sp --env prod apply -f "$files"
expect_out "configured"

# Export round trip: exported (masked) YAML applies as unchanged and keeps the secret.
sp --env prod export
expect_rc 0 "export"
exported="$out"
grep -q "s3cr3t-value" <<<"$exported" && fail "export shows a secret"
expect_out '"******"'
echo "$exported" >"$SP_TEST_TMP/exported.yaml"
sp --env prod apply -f "$SP_TEST_TMP/exported.yaml"
expect_rc 0 "apply of export"
grep -qv unchanged <<<"$(tail -n +2 <<<"$out")" && fail "export did not round-trip: $out"
sp --env prod export --show-secrets Environment prod
expect_out "s3cr3t-value"
sp --env prod export job orders-enrich -o json
expect_rc 0 "export one job as json"
expect_out '"kind": "Job"'
sp --env prod export job orders-enrch
expect_rc 3 "export a missing job"
expect_err "did you mean orders-enrich?"
sp export widget
expect_rc 2 "export an unknown kind"

# All or nothing: a file set with one bad reference changes nothing.
cat >"$SP_TEST_TMP/partial.yaml" <<YAML
apiVersion: sp/v1
kind: Project
metadata: {name: newproject}
spec: {url: "https://git.example.com/new.git"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: broken, environment: prod}
spec: {cluster: sesion, artifact: {jar: /x.jar}}
YAML
sp apply -f "$SP_TEST_TMP/partial.yaml"
expect_rc 3 "missing cluster"
expect_err "partial.yaml:9:17: spec.cluster: cluster sesion does not exist in environment prod (did you mean session?)"
sp export project newproject
expect_rc 3 "nothing of a failed apply is written"

# Bad input: exit 2 with file:line:column.
printf 'apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  cluster: session\n  artifact: {jar: /x}\n  paralelism: 2\n' >"$SP_TEST_TMP/typo.yaml"
sp diff -f "$SP_TEST_TMP/typo.yaml"
expect_rc 2 "unknown field"
expect_err "typo.yaml:7:3: spec.paralelism: unknown field (did you mean parallelism?)"
printf 'apiVersion: sp/v1\nkind: Job\nmetadata: {name: [unterminated\n' >"$SP_TEST_TMP/broken.yaml"
sp apply -f "$SP_TEST_TMP/broken.yaml"
expect_rc 2 "invalid YAML"
expect_err "broken.yaml:"
sp apply -f "$SP_TEST_TMP/none.yaml"
expect_rc 3 "missing file"
printf 'apiVersion: sp/v1\nkind: Flink\nmetadata: {name: fake}\nspec: {home: /tmp}\n' >"$SP_TEST_TMP/fake-flink.yaml"
sp apply -f "$SP_TEST_TMP/fake-flink.yaml"
expect_rc 2 "not a Flink distribution"
expect_err "fake-flink.yaml:4:14: spec.home: /tmp: it is not a Flink distribution"
sp apply -f - </dev/null
expect_rc 2 "no objects"

# Nothing secret reached the event log.
[ "$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM events WHERE message LIKE '%s3cr3t%'")" = 0 ] ||
  fail "a secret reached the events"
[ "$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM events WHERE kind = 'configured'")" -ge 1 ] ||
  fail "apply recorded no configured event"

finish
