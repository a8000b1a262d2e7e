#!/usr/bin/env bash
# `cmake --install` puts the binary, the man page and the three completion
# scripts where shells and man look for them, and the installed sp works.
source "$SP_TEST_LIB"
build=$(cd "$(dirname "$SP_BIN")/.." && pwd)
[ -f "$build/cmake_install.cmake" ] || { echo "no cmake_install.cmake in $build" >&2; exit 1; }

stage="$SP_TEST_TMP/stage"
log=$(DESTDIR="$stage" cmake --install "$build" --prefix /usr/local 2>&1)
rc=$?
out=$log err=""
expect_rc 0 "cmake --install"

for file in bin/sp share/man/man1/sp.1 share/bash-completion/completions/sp share/zsh/site-functions/_sp \
  share/fish/vendor_completions.d/sp.fish; do
  [ -f "$stage/usr/local/$file" ] || fail "cmake --install did not put $file"
done
[ -x "$stage/usr/local/bin/sp" ] || fail "the installed sp is not executable"
out=$("$stage/usr/local/bin/sp" version 2>&1)
rc=$?
expect_rc 0 "installed sp version"
man --warnings -l "$stage/usr/local/share/man/man1/sp.1" >/dev/null 2>&1 || fail "installed man page does not render"
# man finds the page through MANPATH as it would under /usr/local.
MANPATH="$stage/usr/local/share/man" man -w sp >/dev/null 2>&1 || fail "man -w sp does not find the installed page"

finish
