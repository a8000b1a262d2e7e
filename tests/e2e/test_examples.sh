#!/usr/bin/env bash
# The examples stay true: the declarative set applies in dev and prod, every
# job renders with each environment's values, a second apply changes nothing;
# the CI script is valid bash; the alert rules are valid YAML that use only
# the metric names sp watch documents.
source "$SP_TEST_LIB"
root=$(cd "$(dirname "$SP_TEST_LIB")/../.." && pwd)
config="$root/examples/config"

for environment in dev prod; do
  sp --env "$environment" apply -f "$config"
  expect_rc 0 "apply examples/config in $environment"
  sp --env "$environment" diff -f "$config"
  expect_rc 0 "a second look at examples/config in $environment finds no change"
  for job in orders-enrich clicks-sessionize orders-per-customer; do
    sp --env "$environment" -o json render "$job"
    expect_rc 0 "render $job in $environment"
    [[ $out != *'${'* ]] || fail "render $job in $environment left a variable unresolved"
  done
  sp --env "$environment" -o json render orders-enrich
  expect_out "\"$environment\""      # ${sp.env} in the consumer group
  [[ $out != *change-me* && $out != *dev-only* ]] || fail "render showed a secret value"
done
sp --env prod -o json render orders-enrich
expect_out "kafka-1.prod.example.com:9093"
sp --env dev -o json var get jobmanager.url
expect_out "http://localhost:8081"
sp --env prod -o json cluster list
expect_out '"name": "session"'

sp -o json job list -A
[ "$(grep -o '"name"' <<<"$out" | wc -l)" -eq 6 ] || fail "expected three jobs in each of two environments"
# The SQL job's script is where its file says, relative to the job's file.
sp --env dev -o json render orders-per-customer
expect_out "$root/examples/sql/orders-per-customer.sql"
sp --env dev -o json var usages example.rate
expect_out "orders-per-customer"

bash -n "$root/examples/ops/ci-release.sh" || fail "examples/ops/ci-release.sh is not valid bash"
bash -n "$root/examples/quickstart.sh" || fail "examples/quickstart.sh is not valid bash"

# Metric names the rules use must be ones sp watch writes (listed in the man page).
report=$(python3 - "$root/examples/ops/sp-alerts.rules.yml" "$root/man/sp.1" <<'PY'
import re, sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))
documented = set(re.findall(r"sp_[a-z_]+", open(sys.argv[2]).read()))
used = set()
for group in rules["groups"]:
    for rule in group["rules"]:
        assert rule["alert"] and rule["expr"], rule
        used |= set(re.findall(r"sp_[a-z_]+", str(rule["expr"])))
for name in sorted(used - documented):
    print("undocumented metric", name)
print(len(used), "metrics used")
PY
)
rc=$?
out=$report err=""
expect_rc 0 "the alert rules parse"
grep -q undocumented <<<"$report" && fail "the alert rules use metrics sp does not write"
grep -qE '^[5-9] metrics used' <<<"$report" || fail "the alert rules use too few metrics"

# The cron lines and the unit run sp commands the man page documents.
for file in sp.cron sp-watch.service; do
  grep -qE '(^|/| )sp( -q)? watch ' "$root/examples/ops/$file" || fail "$file does not run sp watch"
done
grep -qE 'sp -o json check' "$root/examples/ops/sp.cron" || fail "sp.cron does not run sp check"

finish
