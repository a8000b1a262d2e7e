#!/usr/bin/env bash
# sp alert test as a user meets it, with command channels only (no server
# needed): the document on stdin, a failing command, unknown channels, an
# unset variable. Real webhook and SMTP servers: integration/test_alert_delivery.sh.
source "$SP_TEST_LIB"

sp alert test ops
expect_rc 3 "before init"

cat >"$SP_TEST_TMP/channels.yaml" <<EOF2
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: keep}
spec: {type: command, argv: [sh, -c, 'cat >"\$0"', "$SP_TEST_TMP/stdin.json"]}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: broken}
spec: {type: command, argv: [sh, -c, 'echo "pager down" >&2; exit 7']}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: missing-program}
spec: {type: command, argv: [no-such-program-for-alerts]}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: hook}
spec: {type: webhook, url: "http://127.0.0.1:9/x", headerEnv: SP_TEST_UNSET_HEADER}
EOF2
sp apply -f "$SP_TEST_TMP/channels.yaml"
expect_rc 0 "apply"

sp alert test keep -o json
expect_rc 0 "command channel"
expect_out '"delivered": true'
expect_out '"kind": "test"'
grep -q '"schema":"sp/alert/v1"' "$SP_TEST_TMP/stdin.json" || fail "the command did not get the document"
grep -q '"kind":"test"' "$SP_TEST_TMP/stdin.json" || fail "the document is not the test alert"

sp alert test broken
expect_rc 6 "failing command"
expect_err "exited with code 7"
expect_err "pager down"

sp alert test missing-program
expect_rc 6 "a program that does not exist"
expect_err "no-such-program-for-alerts"

unset SP_TEST_UNSET_HEADER
sp alert test hook
expect_rc 4 "header variable unset"
expect_err "SP_TEST_UNSET_HEADER is not set"

sp alert test kep
expect_rc 3 "unknown channel"
expect_err "did you mean keep?"

sp alert
expect_rc 2 "no subcommand"

finish
