#!/usr/bin/env bash
# Alert delivery with the real libcurl transports and process runner, driven
# through `sp alert test`: a webhook receiver on loopback (500 once, then
# 200), command channels (a script keeping its stdin, a failing one) and an
# SMTP server on loopback (alert_receivers.py, standard library only).
source "$(dirname "$0")/lib.sh"

RECEIVERS="$(dirname "$0")/alert_receivers.py"
RECORD="$SP_TEST_TMP/received"
mkdir -p "$RECORD"

start_receiver() { # KIND [OPTIONS...]: starts it, sets RECEIVER_PORT
  local port_file="$SP_TEST_TMP/$1.port"
  python3 "$RECEIVERS" "$@" --port-file "$port_file" --record "$RECORD" 2>"$SP_TEST_TMP/$1.log" &
  SP_SERVER_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  RECEIVER_PORT=$(cat "$port_file")
  wait_for_port "$RECEIVER_PORT"
}

# check FILE PYTHON-EXPRESSION MESSAGE: the expression over `d` (FILE's JSON) is true.
check() {
  python3 - "$1" "$2" <<'EOF' || fail "$3"
import email, json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

start_receiver webhook --fail-first 1
WEBHOOK_PORT=$RECEIVER_PORT
start_receiver smtp
SMTP_PORT=$RECEIVER_PORT
DEAD_PORT=$(free_port) # nothing listens there

cat >"$SP_TEST_TMP/keep-stdin.sh" <<EOF
#!/bin/sh
cat >"$SP_TEST_TMP/command-stdin.json"
printf '%s|' "\$@" >"$SP_TEST_TMP/command-args.txt"
EOF
cat >"$SP_TEST_TMP/failing.sh" <<'EOF'
#!/bin/sh
echo "contacting the pager"
echo "pager said: no route" >&2
exit 3
EOF
chmod +x "$SP_TEST_TMP/keep-stdin.sh" "$SP_TEST_TMP/failing.sh"

cat >"$SP_TEST_TMP/channels.yaml" <<EOF
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: hook}
spec: {type: webhook, url: "http://127.0.0.1:$WEBHOOK_PORT/hooks/T0/secret-path", headerEnv: HOOK_AUTH}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: hook-down}
spec: {type: webhook, url: "http://127.0.0.1:$DEAD_PORT/hooks/T0/secret-path"}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: script}
spec: {type: command, argv: ["$SP_TEST_TMP/keep-stdin.sh", "--team", "data platform"], events: [job-failed]}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: failing}
spec: {type: command, argv: ["$SP_TEST_TMP/failing.sh"]}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: mail}
spec:
  type: email
  smtpUrl: smtp://127.0.0.1:$SMTP_PORT
  from: "sp alerts <sp@example.com>"
  to: [ops@example.com, "Ann <ann@example.org>"]
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: mail-rejected}
spec: {type: email, smtpUrl: "smtp://127.0.0.1:$SMTP_PORT", from: sp@example.com, to: [reject@example.com]}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: mail-auth}
spec:
  type: email
  smtpUrl: smtp://127.0.0.1:$SMTP_PORT
  from: sp@example.com
  to: [ops@example.com]
  userEnv: SMTP_USER
  passwordEnv: SMTP_PASSWORD
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: mail-down}
spec: {type: email, smtpUrl: "smtp://127.0.0.1:$DEAD_PORT", from: sp@example.com, to: [ops@example.com]}
EOF
sp apply -f "$SP_TEST_TMP/channels.yaml"
expect_rc 0 "apply the channels"

# Webhook: the first answer is 500, the retry after a pause gets 200.
export HOOK_AUTH="Bearer hook-token"
started=$(date +%s%N)
sp alert test hook -o json
expect_rc 0 "webhook delivered after a retry"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
[ "$(json_field delivered)" = "True" ] || fail "delivered is not true"
[ "$elapsed_ms" -ge 1000 ] || fail "the retry came after ${elapsed_ms} ms, not after the 1 s pause"
check "$RECORD/webhook-1.json" 'd["status"] == 500' "the first try did not get 500"
check "$RECORD/webhook-2.json" 'd["status"] == 200' "the second try did not get 200"
[ ! -e "$RECORD/webhook-3.json" ] || fail "delivered, yet tried a third time"
check "$RECORD/webhook-2.json" 'd["path"] == "/hooks/T0/secret-path"' "wrong path"
check "$RECORD/webhook-2.json" 'd["headers"]["Authorization"] == "Bearer hook-token"' "no Authorization header"
check "$RECORD/webhook-2.json" 'd["headers"]["Content-Type"] == "application/json"' "wrong Content-Type"
check "$RECORD/webhook-2.json" 'd["headers"]["User-Agent"].startswith("sp/")' "no sp User-Agent"
check "$RECORD/webhook-2.json" \
  'json.loads(d["body"])["schema"] == "sp/alert/v1" and json.loads(d["body"])["kind"] == "test"' "wrong body"
check "$RECORD/webhook-1.json" 'd["body"] == json.load(open(sys.argv[1].replace("-1", "-2")))["body"]' \
  "the retry sent another body"

sp alert test hook-down
expect_rc 5 "webhook nobody listens to"
expect_err "tried 3 times"
grep -q "secret-path" <<<"$err" && fail "the webhook's path (often a token) was printed"

unset HOOK_AUTH
sp alert test hook
expect_rc 4 "webhook whose header variable is unset"
expect_err "HOOK_AUTH"

# Command: the document on stdin, argv as written (no shell), events do not
# filter the test alert.
sp alert test script
expect_rc 0 "command delivered"
check "$SP_TEST_TMP/command-stdin.json" 'd["kind"] == "test" and d["schema"] == "sp/alert/v1"' "stdin lacks the document"
[ "$(cat "$SP_TEST_TMP/command-args.txt")" = "--team|data platform|" ] || fail "argv changed on the way"

sp alert test failing
expect_rc 6 "failing command"
expect_err "exited with code 3"
expect_err "pager said: no route"

# Email through the SMTP server.
sp alert test mail
expect_rc 0 "email delivered"
check "$RECORD/mail-1.json" 'd["mail_from"] == "<sp@example.com>"' "wrong MAIL FROM"
check "$RECORD/mail-1.json" 'd["rcpt_to"] == ["<ops@example.com>", "<ann@example.org>"]' "wrong RCPT TO"
check "$RECORD/mail-1.json" 'all(line.endswith("\r\n") for line in d["data"].splitlines(True))' "a line without CRLF"
check "$RECORD/mail-1.json" \
  'email.message_from_string(d["data"])["Subject"] == "[sp] test alert from sp: this channel works"' "wrong Subject"
check "$RECORD/mail-1.json" \
  'all(email.message_from_string(d["data"])[h] for h in ("Date", "From", "To", "Message-ID"))' "a header is missing"
check "$RECORD/mail-1.json" '"\"schema\": \"sp/alert/v1\"" in email.message_from_string(d["data"]).get_payload()' \
  "the body lacks the document"

sp alert test mail-rejected
expect_rc 6 "recipient rejected by the server"
expect_err "550"

# Credentials are never sent over a connection without TLS.
SMTP_USER=alerts SMTP_PASSWORD=pw-not-to-print sp alert test mail-auth
expect_rc 6 "credentials without STARTTLS"
expect_err "STARTTLS"
grep -q "pw-not-to-print" <<<"$err" && fail "the password was printed"
[ ! -e "$RECORD/mail-2.json" ] || fail "a message was sent without TLS"

sp alert test mail-down
expect_rc 5 "SMTP server nobody listens to"

sp alert test hok
expect_rc 3 "unknown channel"
expect_err "did you mean hook?"

finish
