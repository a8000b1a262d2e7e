#!/usr/bin/env bash
# sp project build with real Maven and real processes: the artifact, failed
# builds, no matching artifact, the timeout, --follow, and concurrent builds
# of one project (including one whose sp was killed midway).
source "$(dirname "$0")/lib.sh"
command -v mvn >/dev/null || { echo "mvn is not installed"; exit 1; }

make_repo hello
repo="$SP_GIT_ROOT/hello.git"

# The default command (mvn -B clean package -DskipTests) and the default artifact rule.
sp project add hello --url "$repo"
sp project build hello -o json
expect_rc 0 "maven build"
artifact=$(json_field artifact)
[ "$(basename "$artifact")" = "maven-hello-1.0.0.jar" ] || fail "artifact is $artifact"
[ "$(json_field artifact_sha256)" = "$(sha256sum <"$artifact" | cut -d' ' -f1)" ] || fail "sha256 mismatch"
[ "$(json_field artifact_size)" = "$(stat -c %s "$artifact")" ] || fail "size mismatch"
[ "$(java -jar "$artifact")" = "hello from sp's test project" ] || fail "the stored jar does not run"
[ "$(stat -c %a "$artifact")" = 600 ] || fail "artifact is not private"
grep -q "BUILD SUCCESS" "$(json_field log)" || fail "the log lacks Maven's output"

# A compile error: exit 6, the log kept, its last lines and its path printed.
commit_file hello src/main/java/sp/hello/Broken.java "class Broken { not java }" broken >/dev/null
sp project build hello --ref broken
expect_rc 6 "failed maven build"
expect_err "last lines of"
expect_err "BUILD FAILURE"
expect_err "mvn exited with code 1"
log_path=$(sed -n 's/^hint: the log is kept: //p' <<<"$err")
[ -s "$log_path" ] || fail "the failed build's log is gone ($log_path)"
sp project log hello
expect_rc 0 "log of the failed build"
expect_out "COMPILATION ERROR"
sp project builds hello -o json
expect_out '"exit_code": 1'

# No file matches the glob: exit 6 with a clear message.
sp project add hello-glob --url "$repo" --artifact 'target/*-all.jar'
sp project build hello-glob
expect_rc 6 "no artifact matching"
expect_err "no file matches the project's artifact glob 'target/*-all.jar'"
expect_err "maven-hello-1.0.0.jar"

# The timeout ends the whole process group, grandchildren included.
sp project add slow --url "$repo" --build-cmd "sh -c 'sleep 6173 & sleep 6174'" --timeout 2s
start=$(date +%s)
sp project build slow
expect_rc 6 "timed out build"
expect_err "timed out after 2s"
[ $(($(date +%s) - start)) -lt 20 ] || fail "the timeout took too long"
sleep 0.5
pgrep -f "sleep 617[34]" >/dev/null && fail "a build process outlived its timeout: $(pgrep -af 'sleep 617[34]')"

# --follow streams the build's output to stderr while stdout stays the record.
sp project add echo --url "$repo" --build-cmd "sh -c 'echo compiling-things; cp pom.xml app.jar'" --artifact app.jar
sp project build echo --follow -o json
expect_rc 0 "build with --follow"
expect_err "compiling-things"
grep -qx "compiling-things" <<<"$out" && fail "--follow output went to stdout"
json_field status >/dev/null || fail "stdout is not the JSON record"

# Two builds of one project: the second is refused while the first runs.
sp project add busy --url "$repo" --build-cmd "sleep 6175" --artifact pom.xml
"$SP_BIN" project build busy >/dev/null 2>&1 &
first_sp=$!
for _ in $(seq 100); do pgrep -f "sleep 6175" >/dev/null && break; sleep 0.1; done
sp project build busy
expect_rc 4 "concurrent build of one project"
expect_err "held by"
sp project builds busy -o json
expect_out '"status": "building"'
sp project remove busy
expect_rc 4 "removing a project while it builds"
# The first sp is killed outright: its build is seen failed, the lock taken over.
kill -9 "$first_sp"; wait "$first_sp" 2>/dev/null
sleep 0.5
pgrep -f "sleep 6175" >/dev/null && fail "the killed build's command survived sp"
sp project builds busy -o json
expect_out '"status": "failed"'
expect_out "interrupted"
sp project add busy2 --url "$repo" --build-cmd true --artifact pom.xml
sqlite3 "$SP_HOME/sp.db" "UPDATE projects SET spec = (SELECT spec FROM projects WHERE name = 'busy2') WHERE name = 'busy'"
sp project build busy
expect_rc 0 "a build after the killed one"
expect_err "took over the lock"
[ "$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM builds WHERE status = 'building'")" = 0 ] ||
  fail "the killed build is still recorded as building"
finish
