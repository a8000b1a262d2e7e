#!/usr/bin/env bash
# Keeps watch_bench.sh runnable: the whole benchmark at toy scale (2
# JobManagers x 3 jobs, 200 events, 3 cycles), checking that every part ran
# and counted what it should. Figures are not judged.
#   SP_BIN=... SP_BENCH_CLIENT=... tests/bench/smoke_watch_bench.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx not installed: skipped"; exit 77; }

out=$(JOBMANAGERS=2 JOBS=3 EVENTS=200 CYCLES=3 REPS=1 BASE_PORT="${BASE_PORT:-19700}" \
  bash "$here/watch_bench.sh" "${SP_BIN:?}" 2>&1) || { echo "$out"; echo "FAIL: watch_bench.sh exited non-zero"; exit 1; }
echo "$out"
expect() {
  grep -qE -- "$1" <<<"$out" || { echo "FAIL: no line matching: $1"; exit 1; }
}
# 2 overviews + 6 checkpoint requests a cycle; StreamPark asks 2 per job.
expect '^transport floor \(8 requests, 2 conn\./JobManager\) +[0-9]+ ms'
expect '^same, every body parsed by nlohmann \(DOM\) +[0-9]+ ms'
expect '^StreamPark pattern \(12 requests\) +[0-9]+ ms'
expect '^sp job list \(6 jobs, [0-9]+ events\), mean +[0-9.]+ ms'
expect '^ratio streampark / floor: [0-9.]+x'
if "$SP_BIN" --help | grep -qE '^ +watch '; then
  expect '^  requests / errors +8 / 0 '
  # Paced: each run's interval read once with the statistics, then only the overviews.
  expect '^paced \(60000 ms\): first cycle requests / ms +14 / [0-9]+ '
  expect '^  next 4 cycles: requests \(median\) / errors +2 / 0 '
  expect '^peak RSS over 3 cycles +[0-9]+ MiB'
  expect '^ratio cycle / floor: [0-9.]+x'
fi
# The trap stopped nginx: nothing listens on the benchmark's ports any more.
if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "${BASE_PORT:-19700}" 2>/dev/null; then
  echo "FAIL: nginx still listening after the benchmark"; exit 1
fi
echo "watch_bench smoke: ok"
