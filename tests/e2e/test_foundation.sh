#!/usr/bin/env bash
# The binary as a user meets it: init, version, errors and exit codes.
source "$SP_TEST_LIB"

sp version
expect_rc 0 "version"
expect_out "version:"
expect_out "libgit2:"
[ ! -e "$SP_HOME" ] || fail "version created SP_HOME"

sp init
expect_rc 0 "init"
[ "$(stat -c %a "$SP_HOME")" = 700 ] || fail "SP_HOME is not 0700"
[ "$(stat -c %a "$SP_HOME/sp.db")" = 600 ] || fail "sp.db is not 0600"
sp init -o json
expect_rc 0 "second init"
expect_out '"created": false'

sp jbo
expect_rc 2 "unknown command"
expect_err "unknown command 'jbo'"

sp --no-such-flag version
expect_rc 2 "unknown flag"

# A corrupt database: clear error, file untouched.
corrupt="$SP_TEST_TMP/corrupt"
mkdir -p "$corrupt" && head -c 8192 /dev/urandom >"$corrupt/sp.db"
before=$(sha256sum <"$corrupt/sp.db")
sp --home "$corrupt" init
expect_rc 1 "corrupt database"
expect_err "not a readable SQLite database"
[ "$(sha256sum <"$corrupt/sp.db")" = "$before" ] || fail "corrupt database was modified"

# A database from a newer sp: refused (exit 4), untouched.
newer="$SP_TEST_TMP/newer"
mkdir -p "$newer"
sqlite3 "$newer/sp.db" "PRAGMA application_id = $((0x53500001)); PRAGMA user_version = 9999; CREATE TABLE t (x);"
before=$(sha256sum <"$newer/sp.db")
sp --home "$newer" init
expect_rc 4 "newer database"
expect_err "newer sp"
[ "$(sha256sum <"$newer/sp.db")" = "$before" ] || fail "newer database was modified"

# An SP_HOME that cannot be created.
touch "$SP_TEST_TMP/blocker"
sp --home "$SP_TEST_TMP/blocker/home" init
expect_rc 1 "unwritable SP_HOME"
expect_err "SP_HOME"

finish
