#!/usr/bin/env bash
# sp project build over ssh:// with the project's key, against an sshd of our
# own on loopback. Skipped (exit 77) where openssh-server is not installed.
source "$(dirname "$0")/lib.sh"

make_repo demo
head=$(git -C "$SP_TEST_TMP/work/demo" rev-parse HEAD)
start_sshd
url="ssh://$(id -un)@127.0.0.1:$SSHD_PORT$SP_GIT_ROOT/demo.git"
quick=(--build-cmd true --artifact pom.xml)

sp project add viakey --url "$url" --ssh-key "$SSH_CLIENT_KEY" "${quick[@]}"
sp project build viakey -o json
expect_rc 0 "build over ssh with the authorized key"
[ "$(json_field commit)" = "$head" ] || fail "ssh built $(json_field commit), expected $head"

sp project add wrongkey --url "$url" --ssh-key "$SSH_OTHER_KEY" "${quick[@]}"
sp project build wrongkey
expect_rc 6 "a key the server does not accept"
expect_err "authentication failed"
expect_err "$SSH_OTHER_KEY"

sp project add nokey --url "$url" "${quick[@]}"
sp project build nokey
expect_rc 6 "no key configured"
expect_err "--ssh-key"
finish
