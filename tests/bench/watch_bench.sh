#!/usr/bin/env bash
# Watch at scale (SPEC 12): 100 JobManagers x 100 running jobs, served by one
# nginx worker from bodies recorded from a real Flink 1.20.5 cluster
# (tests/fixtures/watch-bench/). In one run it measures
#   floor       the cycle's requests fetched concurrently over keep-alive
#               connections, bodies discarded unparsed (sp_watch_bench_client floor);
#   dom         the same with every body parsed by nlohmann::json, for reference;
#   cycle       one `sp watch --once` (wall, CPU, requests, write time), every
#               job checkpointing every second as recorded, so every job's
#               statistics are due every cycle (as every cycle asked before
#               the watch paced them by each job's interval);
#   pace        the same jobs checkpointing every PACE_INTERVAL ms (60000):
#               PACE_CYCLES (5) back-to-back cycles right after each job's last
#               checkpoint, the first reading each run's interval once;
#   RSS         peak RSS over CYCLES back-to-back cycles, and VmRSS early vs late;
#   streampark  StreamPark's watcher pattern (sp_watch_bench_client streampark);
#   job list    `sp job list` over the 10,000 jobs and 1,000,000 events (hyperfine);
# and prints the figures and ratios. It does not pass or fail on time.
#
#   bash tests/bench/watch_bench.sh [SP_BINARY]
#
# Needs a build with tests (build/src/sp, build/tests/bench/sp_watch_bench_client)
# and nginx, sqlite3, hyperfine, /usr/bin/time (bash .ci/install-deps.sh).
# Knobs: JOBMANAGERS (100), JOBS per JobManager (100), BASE_PORT (19500),
# CYCLES (100), EVENTS (1000000), REPS of the floor and of --once (3),
# PACE_INTERVAL (60000), PACE_CYCLES (5),
# PER_HOST connections per JobManager for the floor client (2), KEEP=1 keeps
# the temp dir.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sp_bin="${1:-${SP_BIN:-$repo/build/src/sp}}"
client="${SP_BENCH_CLIENT:-$repo/build/tests/bench/sp_watch_bench_client}"
jobmanagers=${JOBMANAGERS:-100} jobs=${JOBS:-100} base_port=${BASE_PORT:-19500}
cycles=${CYCLES:-100} events=${EVENTS:-1000000} reps=${REPS:-3}
pace_interval=${PACE_INTERVAL:-60000} pace_cycles=${PACE_CYCLES:-5}
per_host=${PER_HOST:-2}

die() { echo "watch_bench: error: $*" >&2; exit 1; }
note() { echo "watch_bench: $*" >&2; }
[ -x "$sp_bin" ] || die "no sp binary at $sp_bin (build first, or pass its path)"
[ -x "$client" ] || die "no $client (build with tests: cmake --build build --target sp_watch_bench_client)"
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx_bin" sqlite3 hyperfine python3 /usr/bin/time curl; do
  command -v "$tool" >/dev/null || die "$tool not found: run bash .ci/install-deps.sh"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-watch-bench-XXXXXX")
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then note "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export SP_HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config"
unset SP_ENV
sp() { "$sp_bin" -q "$@"; }
json_field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())[sys.argv[1]])" "$1"; }
json_optional() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline()).get(sys.argv[1], '-'))" "$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ms_of() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }

# --- fixtures ---------------------------------------------------------------
python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1],'w').writestr('META-INF/MANIFEST.MF','Manifest-Version: 1.0\n')" \
  "$tmp/bench.jar"
generate() {
  python3 "$here/gen_watch_fixtures.py" --fixtures "$repo/tests/fixtures/watch-bench" --out "$tmp/gen" \
    --jobmanagers "$jobmanagers" --jobs "$jobs" --base-port "$base_port" --jar "$tmp/bench.jar" "$@"
}
generate
urls="$tmp/gen/urls.txt"
total_jobs=$((jobmanagers * jobs))

# --- nginx: one worker, one listen port per JobManager, root by port --------
python3 - "$base_port" "$jobmanagers" <<'PY' || die "ports $base_port-$((base_port + jobmanagers - 1)) are not all free (set BASE_PORT)"
import socket, sys
base, count = int(sys.argv[1]), int(sys.argv[2])
for port in range(base, base + count):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
PY
ngx="$tmp/nginx"
mkdir -p "$ngx/temp"
nginx_features=$("$nginx_bin" -V 2>&1)
{
  # As root the worker would switch to nobody, who cannot read the temp dir.
  [ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);"
  cat <<NGINX
worker_processes 1;
worker_rlimit_nofile 8192;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  types {}
  default_type application/json;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $ngx/temp/body;
NGINX
  for module in proxy fastcgi uwsgi scgi; do
    grep -q -- "--without-http_${module}_module" <<<"$nginx_features" || echo "  ${module}_temp_path $ngx/temp/$module;"
  done
  echo "  server {"
  for ((jm = 0; jm < jobmanagers; jm++)); do echo "    listen 127.0.0.1:$((base_port + jm));"; done
  cat <<NGINX
    root $tmp/gen/www/\$server_port;
    location ~ "^/jobs/([0-9a-f]{32})\$" { try_files /jobs/\$1/job.json =404; }
    location ~ "^/jobs/([0-9a-f]{32})/checkpoints/config\$" { try_files /jobs/\$1/checkpoints-config.json =404; }
  }
}
NGINX
} >"$ngx/nginx.conf"
"$nginx_bin" -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" || die "nginx did not start: $(tail -n 5 "$ngx/error.log")"
for _ in $(seq 100); do [ -s "$ngx/nginx.pid" ] && break; sleep 0.05; done
nginx_pid=$(cat "$ngx/nginx.pid")
last_url="http://127.0.0.1:$((base_port + jobmanagers - 1))"
curl -fsS "$last_url/jobs/overview" -o /dev/null || die "nginx does not serve $last_url/jobs/overview"
note "nginx (pid $nginx_pid, 1 worker) on 127.0.0.1:$base_port-$((base_port + jobmanagers - 1))"

# --- the sp database: clusters and jobs by apply, live runs and events by SQL --
t0=$(date +%s%N)
sp init >/dev/null
sp apply -f "$tmp/gen/objects.yaml" >/dev/null
apply_ms=$((($(date +%s%N) - t0) / 1000000))
now_ms=$(($(date +%s%N) / 1000000))
sqlite3 "$SP_HOME/sp.db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE live (name TEXT, jid TEXT, url TEXT);
.mode tabs
.import $tmp/gen/runs.tsv live
INSERT INTO runs (job_id, flink_job_id, rest_url, state, adopted, started_at)
  SELECT jobs.id, live.jid, live.url, 'RUNNING', 1, $now_ms - 3600000
  FROM live JOIN jobs ON jobs.name = live.name
  WHERE jobs.environment_id = (SELECT id FROM environments WHERE name = 'default');
CREATE TEMP TABLE numbered AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, name FROM jobs;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $events - 1)
INSERT INTO events (time, job_id, subject_kind, subject, kind, actor, host, message)
  SELECT $now_ms - ($events - i) * 600, numbered.id, 'job', 'default/' || numbered.name,
         CASE i % 4 WHEN 0 THEN 'started' WHEN 1 THEN 'savepoint' WHEN 2 THEN 'state' ELSE 'stopped' END,
         'bench', 'bench-host', 'RUNNING -> RESTARTING: checkpoint ' || i
  FROM n JOIN numbered ON numbered.k = i % (SELECT count(*) FROM numbered);
COMMIT;
SQL
db_ms=$((($(date +%s%N) - t0) / 1000000))
live_runs=$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM runs WHERE ended_at IS NULL")
event_rows=$(sqlite3 "$SP_HOME/sp.db" "SELECT count(*) FROM events")
[ "$live_runs" = "$total_jobs" ] || die "expected $total_jobs live runs, the database has $live_runs"
note "database: $total_jobs jobs on $jobmanagers clusters (apply ${apply_ms} ms), $live_runs live runs, $event_rows events (all ${db_ms} ms)"

# --- the transport floor and the DOM parse, after one warm-up pass ----------
# run_client MODE: the client's wall time in ms; any failed request ends the run.
run_client() {
  local out
  out=$("$client" "$1" "$urls" --per-host "$per_host") || die "the $1 client saw errors: $out"
  json_field wall_ms <<<"$out"
}
run_client floor >/dev/null
floor_ms=() dom_ms=()
for _ in $(seq "$reps"); do
  floor_ms+=("$(run_client floor)")
  dom_ms+=("$(run_client dom)")
done
floor=$(median "${floor_ms[@]}") dom=$(median "${dom_ms[@]}")
# CPU of the floor and of the DOM client, to set beside the cycle's CPU.
cpu_of() {
  /usr/bin/time -f '%U %S' -o "$tmp/client.time" "$client" "$1" "$urls" --per-host "$per_host" >/dev/null
  awk '{printf "%.0f", ($1 + $2) * 1000}' "$tmp/client.time"
}
floor_cpu=$(cpu_of floor) dom_cpu=$(cpu_of dom)
requests=$(wc -l <"$urls")
cycle_mb=$("$client" floor "$urls" | python3 -c "import json,sys; print('%.1f' % (json.load(sys.stdin)['bytes'] / 1e6))")
note "floor ${floor_ms[*]} ms; dom ${dom_ms[*]} ms ($requests requests)"

# --- sp watch ---------------------------------------------------------------
have_watch=0
"$sp_bin" --help | grep -qE '^ +watch ' && have_watch=1
if [ "$have_watch" = 1 ]; then
  # The first cycle records every job's checkpoints as new restore points;
  # later ones find nothing new, as a watcher does most of the time.
  once() { /usr/bin/time -f '%e %U %S %M' -o "$tmp/once.time" "$sp_bin" -q -o json watch --once >"$tmp/once.json"; }
  once || die "sp watch --once failed"
  first_line=$(tail -n 1 "$tmp/once.json")
  read -r first_wall _ _ _ <"$tmp/once.time"
  first_duration=$(json_field duration_ms <<<"$first_line") first_write=$(json_field write_ms <<<"$first_line")
  first_points=$(json_optional new_points <<<"$first_line")
  once_wall=() once_cpu=() once_duration=() once_fetch=() once_write=()
  for _ in $(seq "$reps"); do
    once || die "sp watch --once failed"
    line=$(tail -n 1 "$tmp/once.json")
    read -r wall user sys _ <"$tmp/once.time"
    once_wall+=("$(ms_of "$wall")")
    once_cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.0f", (u + s) * 1000}')")
    once_duration+=("$(json_field duration_ms <<<"$line")")
    once_fetch+=("$(json_field fetch_ms <<<"$line")")
    once_write+=("$(json_field write_ms <<<"$line")")
  done
  cycle=$(median "${once_duration[@]}")
  watch_requests=$(json_field requests <<<"$line") watch_errors=$(json_field errors <<<"$line")
  # The cycle's events (alerts, transitions) can be one per job: show their count.
  brief() { python3 -c "import json,sys; d=json.loads(sys.stdin.readline()); d['events']=len(d.get('events',[])); print(json.dumps(d))"; }
  note "watch --once, first cycle: $(brief <<<"$first_line")"
  note "watch --once, last cycle:  $(brief <<<"$line")"

  # Peak RSS over CYCLES cycles, and VmRSS of the running process early and late.
  /usr/bin/time -v -o "$tmp/cycles.time" "$sp_bin" -q -o json watch --interval 0s --cycles "$cycles" \
    >"$tmp/cycles.jsonl" &
  time_pid=$!
  early_at=$(((cycles + 9) / 10)) late_at=$((cycles - (cycles + 9) / 10))
  rss_early="" rss_late="" sp_pid=""
  while kill -0 "$time_pid" 2>/dev/null; do
    [ -n "$sp_pid" ] || sp_pid=$(pgrep -P "$time_pid" || true)
    done_cycles=$(wc -l <"$tmp/cycles.jsonl")
    if [ -n "$sp_pid" ]; then
      rss=$(awk '/^VmRSS/ {print $2}' "/proc/$sp_pid/status" 2>/dev/null || true)
      [ -z "$rss_early" ] && [ "$done_cycles" -ge "$early_at" ] && rss_early=$rss
      [ -z "$rss_late" ] && [ "$done_cycles" -ge "$late_at" ] && rss_late=$rss
    fi
    sleep 0.02
  done
  wait "$time_pid" || die "sp watch --cycles $cycles failed"
  peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/cycles.time")
  read -r loop_median loop_max < <(python3 - "$tmp/cycles.jsonl" <<'PY'
import json, statistics, sys
d = [json.loads(l)["duration_ms"] for l in open(sys.argv[1]) if l.strip()]
print(statistics.median(d), max(d))
PY
)

  # The same jobs checkpointing every minute: written again with fresh times
  # (each job's last checkpoint a second ago), their intervals forgotten, so
  # the first cycle reads each run's interval and the next ones find no
  # checkpoint due. A job is due about once per interval, so the steady mean
  # is about (watch interval / checkpoint interval) statistics requests per job.
  generate --checkpoint-interval "$pace_interval"
  sqlite3 "$SP_HOME/sp.db" "UPDATE runs SET checkpoint_interval_ms = NULL"
  "$sp_bin" -q -o json watch --interval 0s --cycles "$pace_cycles" >"$tmp/pace.jsonl" ||
    die "sp watch --cycles $pace_cycles (paced) failed"
  read -r pace_first pace_first_ms pace_requests pace_errors pace_ms < <(python3 - "$tmp/pace.jsonl" <<'PY'
import json, statistics, sys
c = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rest = c[1:] or c
print(c[0]["requests"], c[0]["duration_ms"], statistics.median_low(x["requests"] for x in rest),
      sum(x["errors"] for x in c), statistics.median(x["duration_ms"] for x in rest))
PY
)
fi

# --- StreamPark's pattern -----------------------------------------------------
streampark_line=$("$client" streampark "$urls") || die "the streampark client saw errors"
streampark=$(json_field wall_ms <<<"$streampark_line")
streampark_requests=$(json_field requests <<<"$streampark_line")

# --- sp job list over every job and event ---------------------------------------
hyperfine -N --warmup 3 --runs 20 --style basic --export-json "$tmp/list.json" \
  -n "sp job list" "env SP_HOME=$SP_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME $sp_bin -q job list" >/dev/null
read -r list_mean list_cpu < <(python3 -c "import json,sys; r = json.load(open(sys.argv[1]))['results'][0]; print('%.1f %.1f' % (r['mean'] * 1000, (r['user'] + r['system']) * 1000))" "$tmp/list.json")
list_rows=$(sp -o json job list | python3 -c "import json,sys; v=json.load(sys.stdin); print(len(v if isinstance(v, list) else v.get('jobs', [])))")

# --- summary -----------------------------------------------------------------------
row() { printf '%-52s %14s   %s\n' "$@"; }
echo
echo "watch at scale: $jobmanagers JobManagers x $jobs running jobs, nginx 1 worker, ${cycle_mb} MB of bodies a cycle, load $(cut -d' ' -f1-3 /proc/loadavg)"
row "measure" "figure" "target"
row "transport floor ($requests requests, $per_host conn./JobManager)" "$(printf '%.0f ms' "$floor")" "(SPEC 12: about 450 ms)"
row "  CPU (user+sys) of the floor client" "$floor_cpu ms" ""
row "same, every body parsed by nlohmann (DOM)" "$(printf '%.0f ms' "$dom")" ""
row "  CPU (user+sys) of the DOM client" "$dom_cpu ms" ""
if [ "$have_watch" = 1 ]; then
  row "sp watch --once: cycle (duration_ms, median of $reps)" "$(printf '%.0f ms' "$cycle")" "<= 1.5x floor"
  row "  fetch_ms / write_ms" "$(median "${once_fetch[@]}") / $(median "${once_write[@]}")" ""
  row "  process wall / CPU (user+sys)" "$(median "${once_wall[@]}") / $(median "${once_cpu[@]}") ms" ""
  row "  requests / errors" "$watch_requests / $watch_errors" "$requests / 0"
  row "  first cycle: duration / write / process wall" "$first_duration / $first_write / $(ms_of "$first_wall") ms" ""
  row "  first cycle: new restore points" "$first_points" ""
  row "  $cycles cycles back to back: median / max duration" "$loop_median / $loop_max ms" ""
  row "paced (${pace_interval} ms): first cycle requests / ms" "$pace_first / $pace_first_ms" "jobs x 2 + JobManagers"
  row "  next $((pace_cycles - 1)) cycles: requests (median) / errors" "$pace_requests / $pace_errors" "< $total_jobs / 0"
  row "  next $((pace_cycles - 1)) cycles: duration (median)" "$(printf '%.0f ms' "$pace_ms")" ""
  row "  requests per job per cycle: every cycle / paced" "$(awk -v a="$watch_requests" -v b="$pace_requests" -v n="$total_jobs" 'BEGIN {printf "%.3f / %.3f", a / n, b / n}')" "(SPEC 12: < 1)"
  row "peak RSS over $cycles cycles" "$((peak_kb / 1024)) MiB" "< 64 MiB"
  row "VmRSS after cycle $early_at / after cycle $late_at" "${rss_early:+$((rss_early / 1024))} / ${rss_late:+$((rss_late / 1024))} MiB" "flat"
else
  row "sp watch" "not built" "(no 'sp watch' in $sp_bin)"
fi
row "StreamPark pattern ($streampark_requests requests)" "$(printf '%.0f ms' "$streampark")" "(SPEC 12: about 20 s)"
row "sp job list ($list_rows jobs, $event_rows events), mean" "$list_mean ms" "< 100 ms"
row "  CPU (user+sys), mean" "$list_cpu ms" ""
echo
echo "ratio dom / floor: $(ratio "$dom" "$floor")x"
if [ "$have_watch" = 1 ]; then
  echo "ratio cycle / floor: $(ratio "$cycle" "$floor")x (target <= 1.5x)"
  echo "ratio streampark / cycle: $(ratio "$streampark" "$cycle")x (target >= 30x)"
  echo "ratio cycle every-cycle / paced: $(ratio "$cycle" "$pace_ms")x; requests $(ratio "$watch_requests" "$pace_requests")x"
fi
echo "ratio streampark / floor: $(ratio "$streampark" "$floor")x"
