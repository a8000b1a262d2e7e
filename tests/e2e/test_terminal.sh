#!/usr/bin/env bash
# On a terminal (a pseudo-terminal from script(1)): colours unless NO_COLOR or
# --no-color, and a progress line rewritten in place with its elapsed time.
# In a pipe or with -q: no escape sequence and no progress at all.
source "$SP_TEST_LIB"
command -v script >/dev/null || { echo "script(1) is missing: install util-linux" >&2; exit 1; }

# on_tty ENV... -- ARGS...: runs sp on a pseudo-terminal (stdout and stderr), output in $tty.
on_tty() {
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  tty=$(env "${envs[@]}" script -qfec "$(printf '%q ' "$SP_BIN" "$@")" /dev/null)
}
esc=$'\e['

sp init
expect_rc 0 "init"

on_tty COLUMNS=100 -- env list
[[ $tty == *"$esc"* ]] || { out=$tty; fail "no colour on a terminal"; }
on_tty NO_COLOR=1 -- env list
[[ $tty != *"$esc"* ]] || { out=$tty; fail "colour despite NO_COLOR"; }
on_tty -- --no-color env list
[[ $tty != *"$esc"* ]] || { out=$tty; fail "colour despite --no-color"; }
on_tty -- env list
[[ $tty == *default* ]] || { out=$tty; fail "env list on a terminal shows no environment"; }
piped=$("$SP_BIN" env list | cat)
[[ $piped != *"$esc"* ]] || { out=$piped; fail "colour in a pipe"; }

# A project whose build prints and takes a moment: progress to watch.
repo="$SP_TEST_TMP/repo"
git init -q -b main "$repo" && echo x >"$repo/f" && git -C "$repo" add f &&
  git -C "$repo" -c user.name=t -c user.email=t@example.com commit -qm init || fail "making a git repository"
sp project add slow --url "$repo" \
  --build-cmd "sh -c 'echo compiling; sleep 1; echo packaging; mkdir -p target; echo jar > target/slow.jar'"
expect_rc 0 "project add"

on_tty -- -o json project build slow
[[ $tty == *$'\r'"${esc}K"* ]] || { out=$tty; fail "no rewritten progress line on a terminal"; }
grep -qE 'running sh .*[0-9]+\.[0-9]s' <<<"$tty" || { out=$tty; fail "no elapsed time on the progress line"; }
[[ $tty == *packaging* || $tty == *compiling* ]] || { out=$tty; fail "the build's output does not show on the progress line"; }
[[ $tty == *'"status": "success"'* ]] || { out=$tty; fail "the build did not succeed"; }

on_tty -- -q -o json project build slow
[[ $tty != *$'\r'"${esc}K"* ]] || { out=$tty; fail "progress drawn despite -q"; }

sp project build slow
expect_rc 0 "build in a pipe"
[[ $err != *$'\r'* && $err != *"$esc"* ]] || fail "progress or colour on stderr in a pipe"
[ -z "$err" ] || fail "a successful build in a pipe printed diagnostics"

finish
