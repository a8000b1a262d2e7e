#!/usr/bin/env bash
# Shell completion: `sp __complete` walks the registered commands and reads
# names from the database without creating or changing anything, and the
# bash, zsh and fish scripts, loaded in their real shells, offer them.
source "$SP_TEST_LIB"
root=$(cd "$(dirname "$SP_TEST_LIB")/../.." && pwd)
support="$root/tests/e2e/support"

for shell in bash zsh fish python3; do
  command -v "$shell" >/dev/null || { echo "$shell is missing: run .ci/install-deps.sh" >&2; exit 1; }
done
[ -f /usr/share/bash-completion/bash_completion ] || { echo "bash-completion is missing: run .ci/install-deps.sh" >&2; exit 1; }

# The scripts run `sp` from PATH, as an installed sp would be.
mkdir -p "$SP_TEST_TMP/bin" && ln -s "$SP_BIN" "$SP_TEST_TMP/bin/sp"
export PATH="$SP_TEST_TMP/bin:$PATH"

# lines_of "LINE" < harness output: the candidates printed for LINE.
lines_of() { awk -v want="== $1" '$0 == want {on = 1; next} /^== / {on = 0} on'; }
# offers OUTPUT "LINE" WORD...: each WORD is among LINE's candidates (before any tab).
offers() {
  local output=$1 line=$2 word got
  shift 2
  got=$(lines_of "$line" <<<"$output" | cut -f1)
  for word; do
    grep -qxF -- "$word" <<<"$got" || { out=$got; err=""; rc=0; fail "'$line' does not offer '$word'"; }
  done
}
# offers_only OUTPUT "LINE" WORD...: exactly these candidates, in this order
# (in any order when $unordered is set: zsh and fish sort matches themselves).
unordered=""
offers_only() {
  local got want
  got=$(lines_of "$2" <<<"$1" | cut -f1)
  want=$(printf '%s\n' "${@:3}")
  if [ -n "$unordered" ]; then
    got=$(sort -u <<<"$got")
    want=$(sort -u <<<"$want")
  fi
  [ "$got" = "$want" ] || { out=$got; err=""; rc=0; fail "'$2' offers other than: ${*:3}"; }
}

# --- before sp init: nothing is created, nothing is printed on stderr
sp __complete job start ""
expect_rc 0 "completion without a database"
[ -z "$out$err" ] || fail "completion without a database printed something"
[ ! -e "$SP_HOME" ] || fail "completion created SP_HOME"
sp __complete j
[ "$out" = "$(printf 'job\trelease, start, stop and inspect jobs')" ] || fail "commands complete without a database"

cat >"$SP_TEST_TMP/objects.yaml" <<'YAML'
apiVersion: sp/v1
kind: Environment
metadata: {name: default}
spec: {variables: {kafka.brokers: "kafka:9092"}}
---
apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec: {variables: {}}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: session}
spec: {type: remote, url: "http://127.0.0.1:1"}
---
apiVersion: sp/v1
kind: Project
metadata: {name: orders}
spec: {url: "https://git.example.com/orders.git"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders-enrich}
spec: {cluster: session, artifact: {jar: /x.jar}}
---
apiVersion: sp/v1
kind: Job
metadata: {name: payments}
spec: {cluster: session, artifact: {jar: /x.jar}}
YAML
cat >"$SP_TEST_TMP/prod.yaml" <<'YAML'
apiVersion: sp/v1
kind: Cluster
metadata: {name: prod-session}
spec: {type: remote, url: "http://127.0.0.1:1"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: prod-only}
spec: {cluster: prod-session, artifact: {jar: /x.jar}}
YAML
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"
sp --env prod apply -f "$SP_TEST_TMP/prod.yaml"
expect_rc 0 "apply prod"

# --- the protocol itself
sp __complete job start ""
[ "$out" = $'orders-enrich\npayments' ] || fail "job names"
sp __complete --env prod job start ""
[ "$out" = "prod-only" ] || fail "job names of --env prod"
SP_ENV=prod sp __complete job status ""
[ "$out" = "prod-only" ] || fail "job names of SP_ENV=prod"
sp __complete job start orders-enrich --restore ""
[ "$out" = $'auto\nnone\n:files' ] || fail "--restore values"
sp __complete -o ""
[ "$out" = $'table\njson\nyaml' ] || fail "-o values"
sp __complete env delete ""
[ "$out" = $'default\nprod' ] || fail "environment names"

# A database sp cannot read: still silent, exit 0, the file untouched.
mkdir -p "$SP_TEST_TMP/bad" && head -c 4096 /dev/urandom >"$SP_TEST_TMP/bad/sp.db"
before=$(sha256sum <"$SP_TEST_TMP/bad/sp.db")
sp __complete --home "$SP_TEST_TMP/bad" job start ""
expect_rc 0 "completion over a broken database"
[ -z "$out$err" ] || fail "completion over a broken database printed something"
[ "$before" = "$(sha256sum <"$SP_TEST_TMP/bad/sp.db")" ] || fail "completion changed a broken database"
[ ! -e "$SP_TEST_TMP/bad/sp.db-wal" ] || fail "completion left a WAL file"

# --- each shell, loaded for real
lines=("sp job sta" "sp job start " "sp --env prod job start " "sp job start orders-enrich --restore " "sp -o j"
  "sp --output=y" "sp env delete p" "sp project build " "sp cluster show " "sp var get ")
check_shell() {
  local name=$1 output=$2
  offers_only "$output" "sp job sta" status start
  offers_only "$output" "sp job start " orders-enrich payments
  offers_only "$output" "sp --env prod job start " prod-only
  offers "$output" "sp job start orders-enrich --restore " auto none
  offers_only "$output" "sp -o j" json
  offers_only "$output" "sp env delete p" prod
  offers_only "$output" "sp project build " orders
  offers_only "$output" "sp cluster show " session
  offers_only "$output" "sp var get " kafka.brokers
  [ "$failures" -eq 0 ] || echo "(in $name)" >&2
}

bash_out=$(bash "$support/bash_complete.sh" "$root/completions/sp.bash" "${lines[@]}")
check_shell bash "$bash_out"
offers_only "$bash_out" "sp --output=y" yaml # readline keeps the text before '='
bare_out=$(bash "$support/bash_complete.sh" "$root/completions/sp.bash" --bare "${lines[@]}")
check_shell "bash without bash-completion" "$bare_out"
offers_only "$bare_out" "sp --output=y" yaml

fish_run() { fish --no-config -c 'source $argv[1]; for l in $argv[2..-1]; echo "== $l"; complete -C "$l"; end' "$@"; }
fish_out=$(fish_run "$root/completions/sp.fish" "${lines[@]}")
unordered=1 # fish sorts matches itself
check_shell fish "$fish_out"
unordered=""
offers_only "$fish_out" "sp --output=y" --output=yaml
lines_of "sp job sta" <<<"$fish_out" | grep -qF $'start\tstart the job' || fail "fish shows no description"

zsh_out=""
for line in "${lines[@]}"; do
  zsh_out+="== $line"$'\n'$(timeout 30 zsh "$support/zsh_complete.zsh" "$root/completions" "$line")$'\n'
done
unordered=1 # zsh sorts matches itself
check_shell zsh "$zsh_out"
offers_only "$zsh_out" "sp --output=y" --output=yaml
unordered=""

# --- every registered command and flag completes (bash and fish; zsh runs the same __complete)
sp __commands
commands=$out
coverage=()
while IFS= read -r entry; do
  [ -n "$entry" ] && coverage+=("sp $entry")
done <<<"$commands"
bash_all=$(bash "$support/bash_complete.sh" "$root/completions/sp.bash" "${coverage[@]}")
fish_all=$(fish_run "$root/completions/sp.fish" "${coverage[@]}")
missing=0
for line in "${coverage[@]}"; do
  word=${line##* }
  for output in "$bash_all" "$fish_all"; do
    lines_of "$line" <<<"$output" | cut -f1 | grep -qxF -- "$word" || missing=$((missing + 1))
  done
  [ "$missing" -eq 0 ] || { out=""; err=""; rc=0; fail "'$line' does not complete to '$word'"; missing=0; }
done
[ "${#coverage[@]}" -gt 60 ] || fail "only ${#coverage[@]} commands and flags listed"

finish
