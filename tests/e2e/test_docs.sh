#!/usr/bin/env bash
# The man page renders without a warning and documents every command and flag
# the binary registers, so it cannot fall behind the code.
source "$SP_TEST_LIB"
root=$(cd "$(dirname "$SP_TEST_LIB")/../.." && pwd)

command -v man >/dev/null || { echo "man is missing: run .ci/install-deps.sh" >&2; exit 1; }
for page in "$root"/man/*.1; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  rc=$?
  [ "$rc" -eq 0 ] && [ -z "$warnings" ] || { out=""; err=$warnings; fail "man ${page##*/} renders with warnings"; }
done

sp __commands
expect_rc 0 "__commands"
commands=$out
# Sanity: the list really is the registered tree, not an empty success.
for expected in "job start" "job start --restore" "project build --follow" "--home" "-o"; do
  grep -qxF -- "$expected" <<<"$commands" || fail "__commands lacks '$expected'"
done
grep -q "^__" <<<"$commands" && fail "__commands lists a hidden command"

report=$(python3 "$root/tests/e2e/support/check_man.py" "$root/man/sp.1" <<<"$commands")
rc=$?
[ "$rc" -eq 0 ] || { out=$report; err=""; fail "the man page lacks registered commands or flags"; }

# The checker itself notices a missing command and a missing flag.
broken="$SP_TEST_TMP/broken.1"
grep -v '^\.SS "sp job savepoint' "$root/man/sp.1" | sed 's/^\.B \\-\\-allow\\-old\\-state$/.B --nothing/' |
  sed '/^\.SS "sp job release/a .B \\-\\-frobnicate' >"$broken"
report=$(python3 "$root/tests/e2e/support/check_man.py" "$broken" <<<"$commands")
rc=$?
expect_rc 1 "checker on a page without job savepoint"
grep -qF 'command `sp job savepoint`' <<<"$report" || { out=$report; fail "checker did not name sp job savepoint"; }
grep -qF 'flag --allow-old-state of `sp job start`' <<<"$report" || { out=$report; fail "checker did not name the flag"; }
grep -qF 'names --frobnicate under `sp job release`' <<<"$report" || { out=$report; fail "checker missed a stale flag"; }

# docs/json.md documents every key the golden -o json outputs hold, and each
# of its examples is one of those outputs verbatim.
report=$(python3 - "$root/docs/json.md" "$root"/tests/fixtures/golden/json/*.json <<'PY'
import json, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
goldens = {path: open(path, encoding="utf-8").read() for path in sys.argv[2:]}
if len(goldens) < 8:
    print("only", len(goldens), "golden json files")
def keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)
for path, text in goldens.items():
    for key in sorted(set(keys(json.loads(text)))):
        if f"`{key}`" not in doc:
            print(f"docs/json.md lacks key `{key}` of {path.rsplit('/', 1)[-1]}")
examples = re.findall(r"```json\n(.*?)```", doc, re.S)
if not examples:
    print("docs/json.md has no examples")
for example in examples:
    if example not in goldens.values():
        print("docs/json.md has an example that is no golden output:", example[:60])
PY
)
rc=$?
[ "$rc" -eq 0 ] && [ -z "$report" ] || { out=$report; err=""; fail "docs/json.md is out of step with the golden outputs"; }

finish
