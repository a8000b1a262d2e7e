#!/usr/bin/env bash
# CTest runs each Catch2 test case by name: a name starting with '-' is read
# as a flag and one containing ';' is split in two, and either way the test
# runs nothing and passes. Refuse such names so no test can pass that way.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bad=$(grep -rnE 'TEST_CASE\("(-|[^"]*;)' "$here/unit")
if [ -n "$bad" ]; then
  echo "test names CTest cannot pass to Catch2:"
  echo "$bad"
  exit 1
fi
echo ok
