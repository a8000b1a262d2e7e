#!/usr/bin/env bash
# sp project build against real git servers on loopback: git daemon (git://),
# git http-backend behind basic auth (the token path), and a plain path.
# The build command is `true` and the artifact pom.xml, so no Maven here.
source "$(dirname "$0")/lib.sh"

make_repo demo
first=$(git -C "$SP_TEST_TMP/work/demo" rev-parse HEAD)
git -C "$SP_TEST_TMP/work/demo" tag -a v1 -m "release 1" && git -C "$SP_TEST_TMP/work/demo" push -q origin v1
start_git_daemon
git_url="git://127.0.0.1:$GIT_DAEMON_PORT/demo.git"
quick=(--build-cmd true --artifact pom.xml)

# Branch over git://: commit, author and subject recorded.
sp project add demo --url "$git_url" "${quick[@]}"
expect_rc 0 "add over git://"
sp project build demo -o json
expect_rc 0 "build branch main over git://"
[ "$(json_field commit)" = "$first" ] || fail "main built $(json_field commit), expected $first"
[ "$(json_field commit_author)" = "Ann Tester <ann@example.com>" ] || fail "author not recorded"
[ "$(json_field commit_subject)" = "Add the hello project" ] || fail "subject not recorded"
[ "$(json_field artifact_sha256)" = "$(sha256sum <"$(json_field artifact)" | cut -d' ' -f1)" ] || fail "sha256 mismatch"

# A moved branch: the next build fetches and builds the new commit.
second=$(commit_file demo NOTES.md "second")
sp project build demo -o json
expect_rc 0 "build after the branch moved"
[ "$(json_field commit)" = "$second" ] || fail "moved branch: built $(json_field commit), expected $second"

# Tag (annotated, peeled to its commit), full and abbreviated commit.
sp project build demo --ref v1 -o json
expect_rc 0 "build tag v1"
[ "$(json_field commit)" = "$first" ] || fail "tag v1 built $(json_field commit)"
sp project build demo --ref "$first" -o json
expect_rc 0 "build full commit"
[ "$(json_field commit)" = "$first" ] || fail "full sha built $(json_field commit)"
sp project build demo --ref "${first:0:10}" -o json
expect_rc 0 "build abbreviated commit"
[ "$(json_field commit)" = "$first" ] || fail "short sha built $(json_field commit)"
# The checkout is clean at that commit: files of later commits and strays are gone.
[ ! -e "$SP_HOME/workspace/demo/NOTES.md" ] || fail "a file of a later commit survived the checkout"

# Another branch, then deleted on the remote: pruned, so unknown again.
feature=$(commit_file demo FEATURE.md "feature" feature)
sp project build demo --ref feature -o json
expect_rc 0 "build branch feature"
[ "$(json_field commit)" = "$feature" ] || fail "feature built $(json_field commit)"
git -C "$SP_TEST_TMP/work/demo" push -q origin --delete feature
sp project build demo --ref feature
expect_rc 3 "a branch deleted on the remote"

# Unknown ref: not found, recorded as a failed build.
sp project build demo --ref no-such-branch
expect_rc 3 "unknown ref"
expect_err "no-such-branch"
sp project builds demo -o json
expect_out '"status": "failed"'

# A plain path and file:// work too.
sp project add local --url "$SP_GIT_ROOT/demo.git" "${quick[@]}"
sp project build local -o json
expect_rc 0 "build from a path"
[ "$(json_field commit)" = "$second" ] || fail "path clone built $(json_field commit)"
sp project add localfile --url "file://$SP_GIT_ROOT/demo.git" "${quick[@]}"
sp project build localfile
expect_rc 0 "build from file://"
sp project add missing --url "$SP_TEST_TMP/nope.git" "${quick[@]}"
sp project build missing
expect_rc 3 "a path that does not exist"

# Unreachable host: exit 5.
dead_port=$(free_port)
sp project add dead --url "git://127.0.0.1:$dead_port/demo.git" "${quick[@]}"
sp project build dead
expect_rc 5 "unreachable git daemon"
expect_err "127.0.0.1"

# HTTPS-token path: http-backend behind basic auth.
token="tok-$RANDOM$RANDOM"
start_git_http "$token"
http_url="http://127.0.0.1:$GIT_HTTP_PORT/demo.git"
sp project add web --url "$http_url" --token-env SP_TEST_GIT_TOKEN "${quick[@]}"
SP_TEST_GIT_TOKEN="$token" sp project build web -o json
expect_rc 0 "build over http with the right token"
[ "$(json_field commit)" = "$second" ] || fail "http built $(json_field commit)"
SP_TEST_GIT_TOKEN="wrong-$token" sp project build web
expect_rc 6 "wrong token"
expect_err "authentication failed"
grep -q "wrong-$token" <<<"$out$err" && fail "the token was printed"
sp project build web
expect_rc 4 "token variable not set"
expect_err "SP_TEST_GIT_TOKEN"
sp project add anonymous --url "$http_url" "${quick[@]}"
sp project build anonymous
expect_rc 6 "no credentials configured"
expect_err "--token-env"

# Credentials in the URL work and are redacted everywhere they could show.
sp project add inline --url "http://ann:$token@127.0.0.1:$GIT_HTTP_PORT/demo.git" "${quick[@]}"
expect_rc 0 "add with credentials in the URL"
sp project build inline -o json
expect_rc 0 "build with credentials in the URL"
sp project show inline; shown="$out"
sp project list; listed="$out"
sp project log inline; logged="$out"
sp project add bad-inline --url "http://ann:wrong@127.0.0.1:$GIT_HTTP_PORT/demo.git" "${quick[@]}"
sp project build bad-inline; failed_err="$err"
expect_rc 6 "wrong credentials in the URL"
events=$(sqlite3 "$SP_HOME/sp.db" "SELECT message FROM events; SELECT error FROM builds WHERE error IS NOT NULL;")
for text in "$shown" "$listed" "$logged" "$events" "$failed_err" "$(cat "$SP_HOME/workspace/inline/.git/config")"; do
  grep -q -e "$token" -e "ann:wrong" <<<"$text" && fail "a URL password leaked: $text"
done
grep -qF "ann:******@" <<<"$shown" || fail "show does not say the URL carries credentials"

finish
