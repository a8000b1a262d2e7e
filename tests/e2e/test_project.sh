#!/usr/bin/env bash
# sp project add/list/show/remove/builds/log as a user meets them, with a
# local repository whose "build" is `true` and whose artifact is committed.
source "$SP_TEST_LIB"

repo="$SP_TEST_TMP/repo"
git init -q -b main "$repo"
mkdir -p "$repo/target" && printf 'jar' >"$repo/target/app.jar"
git -C "$repo" add -A && git -C "$repo" -c user.name=T -c user.email=t@example.com commit -qm "First"

sp project list
expect_rc 3 "list before init"

sp project add demo --url "$repo" --build-cmd true --timeout 90s -o json
expect_rc 0 "add"
expect_out '"timeout": "1m30s"'
expect_out '"build_command": ['
sp project add demo --url "$repo"
expect_rc 4 "add an existing name"
sp project add "../evil" --url "$repo"
expect_rc 2 "a name that is a path"
sp project add t1 --url "$repo" --timeout soon
expect_rc 2 "a malformed timeout"
sp project add t2 --url "$repo" --subdir ../outside
expect_rc 2 "a subdir outside the repository"
sp project add t3 --url "$repo" --build-cmd "echo 'unbalanced"
expect_rc 2 "unbalanced quotes in the build command"
sp project add t4
expect_rc 2 "missing --url"

sp project add words --url "$repo" --build-cmd mvn -o json
expect_out '"mvn"'
sp project add split --url "$repo" --build-cmd "mvn -B 'a b'" -o json
expect_rc 0 "a quoted build command"
python3 -c 'import json,sys; assert json.load(sys.stdin)["build_command"] == ["mvn", "-B", "a b"]' <<<"$out" ||
  fail "build command not split into words"

sp project show nope
expect_rc 3 "show an unknown project"
sp project build nope
expect_rc 3 "build an unknown project"
sp project builds nope
expect_rc 3 "builds of an unknown project"
sp project log demo
expect_rc 3 "log before any build"

sp project build demo -o json
expect_rc 0 "build"
expect_out '"status": "success"'
expect_out "\"artifact_sha256\": \"$(printf jar | sha256sum | cut -d' ' -f1)\""
sp project builds demo
expect_rc 0 "builds"
expect_out "success"
sp project log demo 1
expect_rc 0 "log by id"
expect_out "[sp] build 1 of demo"
sp project log demo 99
expect_rc 3 "log of an unknown build"
sp project list -o json
expect_out '"last_status": "success"'

sp project remove demo
expect_rc 0 "remove"
[ ! -e "$SP_HOME/workspace/demo" ] || fail "the workspace survived remove"
[ -e "$SP_HOME/artifacts/demo/1/app.jar" ] || fail "remove deleted artifacts releases may use"
sp project show demo
expect_rc 3 "show after remove"
sp project remove demo
expect_rc 3 "remove twice"
finish
