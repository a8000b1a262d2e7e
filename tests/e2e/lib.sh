# Shared helpers for end-to-end tests: each test runs the real sp binary with
# its own fresh SP_HOME and config directory, removed at exit.
set -uo pipefail

: "${SP_BIN:?SP_BIN must name the sp binary}"
SP_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sp-e2e-XXXXXX")
trap '[ -n "${SP_KEEP_TMP:-}" ] || { chmod -R u+rwx "$SP_TEST_TMP" 2>/dev/null; rm -rf "$SP_TEST_TMP"; }' EXIT
export SP_HOME="$SP_TEST_TMP/home"
export XDG_CONFIG_HOME="$SP_TEST_TMP/config"
unset SP_ENV SP_OUTPUT NO_COLOR
failures=0

# sp ARGS...: runs sp; sets $out, $err and $rc. Every answer is also kept
# in $SP_TEST_TMP/transcript, for tests that search all of them (a secret).
sp() {
  out=$("$SP_BIN" "$@" 2>"$SP_TEST_TMP/stderr"); rc=$?
  err=$(cat "$SP_TEST_TMP/stderr")
  printf '%s\n%s\n' "$out" "$err" >>"$SP_TEST_TMP/transcript"
}

fail() { echo "FAIL: $*" >&2; echo "  rc=$rc" >&2; echo "  stdout: $out" >&2; echo "  stderr: $err" >&2; failures=$((failures + 1)); }
expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit $1: ${2:-}"; }
expect_out() { grep -qF -- "$1" <<<"$out" || fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" <<<"$err" || fail "stderr lacks '$1'"; }
finish() { [ "$failures" -eq 0 ] && echo "ok" || { echo "$failures failure(s)"; exit 1; }; }
