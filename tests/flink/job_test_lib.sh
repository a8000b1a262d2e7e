# Shared by the tests that drive sp against a real Flink cluster: sourced after
# tests/e2e/lib.sh with the Flink VERSION as $1. Sets $url (the running
# cluster of that version, started by run-all.sh), $line (1.20, 2.2), $jar
# (the example job for that line, built when missing) and defines json().
version=${1:?usage: $(basename "$0") VERSION}
flink_tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$flink_tests/../.." && pwd)
url=$(bash "$flink_tests/cluster.sh" url "$version") || { echo "no running Flink $version cluster"; exit 1; }
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
if [ ! -f "$jar" ]; then
  mvn -B -q -Dstyle.color=never -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line" >"$SP_TEST_TMP/mvn.log" 2>&1 ||
    { cat "$SP_TEST_TMP/mvn.log"; exit 1; }
fi

# json EXPR: a Python subscript of the last sp output, e.g. json "['state']".
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)" <<<"$out"; }
