#!/usr/bin/env bash
# The layering ARCHITECTURE.md states, checked on the sources so that an
# upward edge or a rule in the wrong place fails the build's tests, naming
# the file and the rule:
#   1. every #include "sp/<layer>/..." in src/<layer> and include/sp/<layer>
#      follows the dependency table;
#   2. src/cli opens no transaction and records no event (every write and its
#      event live in ops or store, shared by the imperative commands and apply);
#   3. no SQL outside src/store.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python3 - "$repo" <<'PY'
import pathlib, re, sys

repo = pathlib.Path(sys.argv[1])
# ARCHITECTURE.md's "may depend on" column.
allowed = {
    "util": set(),
    "core": {"util"},
    "store": {"util", "core"},
    "net": {"util"},
    "storage": {"util", "core", "net"},
    "flink": {"util", "core", "net"},
    "build": {"util", "core", "store"},
    "ops": {"util", "core", "store", "net", "flink", "build", "storage"},
    "watch": {"util", "core", "store", "net", "flink", "build", "storage", "ops"},
    "cli": {"util", "core", "store", "net", "flink", "build", "storage", "ops", "watch"},
}
problems = []
include = re.compile(r'^\s*#\s*include\s+"sp/([a-z_]+)/')
for layer, deps in allowed.items():
    for root in (repo / "src" / layer, repo / "include" / "sp" / layer):
        for path in sorted(root.rglob("*.[ch]pp")) if root.exists() else []:
            for number, line in enumerate(path.read_text().splitlines(), 1):
                m = include.match(line)
                if m and m.group(1) != layer and m.group(1) not in deps:
                    problems.append(f"{path.relative_to(repo)}:{number}: {layer} may not include sp/{m.group(1)}/ "
                                    f"(it may depend on: {', '.join(sorted(deps)) or 'nothing of sp'})")

writes = re.compile(r"\b(Transaction|record_event|write_plan)\b")
for path in sorted((repo / "src" / "cli").rglob("*.[ch]pp")):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if writes.search(line.split("//")[0]):
            problems.append(f"{path.relative_to(repo)}:{number}: cli opens no transaction and records no event "
                            f"(move the write into ops or store)")

sql = re.compile(r'"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN)\b[^"]*\b(FROM|INTO|SET|TABLE|WHERE|INDEX|user_version|IMMEDIATE)\b')
for path in sorted((repo / "src").rglob("*.[ch]pp")):
    if path.relative_to(repo).parts[1] == "store":
        continue
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if sql.search(line):
            problems.append(f"{path.relative_to(repo)}:{number}: SQL belongs in src/store")

for problem in problems:
    print("FAIL:", problem)
sys.exit(1 if problems else 0)
PY
status=$?
[ "$status" -eq 0 ] && echo ok
exit "$status"
