#!/usr/bin/env bash
# A loopback Hadoop (YARN + HDFS) for sp's integration tests: a ResourceManager
# and HDFS (NameNode, one DataNode) in one JVM, a NodeManager in a second,
# all from Maven Central (see tests/yarn/README.md).
#
#   hadoop.sh install   resolve Hadoop and build the launcher into the cache (once)
#   hadoop.sh start     start it on free loopback ports (idempotent), print the env file
#   hadoop.sh stop      stop exactly what `start` launched, and its NodeManager's containers
#   hadoop.sh status    "running rm=URL namenode=URL" (exit 0) or "stopped" (exit 1)
#   hadoop.sh env       print the env file: HADOOP_CONF_DIR, HADOOP_CLASSPATH,
#                       SP_YARN_RM_URL, SP_HDFS_NAMENODE_URL, SP_HDFS_URI
#   hadoop.sh rundir    print the run dir (conf, logs, HDFS and NodeManager data)
#
# Flink's client needs HADOOP_CONF_DIR and HADOOP_CLASSPATH exported:
#   set -a; . "$(hadoop.sh rundir)/env"; set +a
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

hadoop_version="${SP_HADOOP_VERSION:-3.4.2}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/sp-tests"
cache_dir="$cache_root/hadoop-$hadoop_version"
build_dir="$cache_dir/launcher"
run_root="${SP_TEST_RUN_DIR:-$repo_root/build/flink-run}"
rd="$run_root/hadoop"
start_timeout="${SP_HADOOP_START_TIMEOUT:-300}"
stop_timeout="${SP_HADOOP_STOP_TIMEOUT:-90}"

die() { printf 'hadoop.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'hadoop.sh: %s\n' "$*" >&2; }

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

# ---------------------------------------------------------------- install --

# The build is redone when the launcher's sources or the Hadoop version change.
source_hash() {
  (
    cd "$script_dir/launcher"
    echo "$hadoop_version"
    find pom.xml src -type f | LC_ALL=C sort | xargs cat
  ) | sha256sum | cut -d' ' -f1
}

installed() { [ "$(cat "$cache_dir/.complete" 2>/dev/null)" = "$(source_hash)" ]; }

cmd_install() {
  installed && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found: it resolves Hadoop into ~/.m2 (apt-get install maven)"
  command -v "$(java_bin)" >/dev/null 2>&1 || die "Java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  mkdir -p "$cache_dir"
  # Serialise concurrent installs; the loser finds it complete.
  exec 9>"$cache_dir/.lock"
  flock 9
  installed && return 0
  note "resolving Hadoop $hadoop_version and building the launcher into $build_dir"
  rm -rf "$build_dir" "$cache_dir/.complete"
  if ! mvn -B -q -Dstyle.color=never -f "$script_dir/launcher/pom.xml" \
      "-Dhadoop.version=$hadoop_version" "-Dsp.build.dir=$build_dir" package >"$cache_dir/build.log" 2>&1; then
    tail -n 30 "$cache_dir/build.log" >&2
    die "the launcher did not build (log: $cache_dir/build.log)"
  fi
  for f in classes/sp/tests/yarn/LoopbackHadoop.class launcher.classpath \
      "flink-hadoop-classpath/hadoop-client-api-$hadoop_version.jar" \
      "flink-hadoop-classpath/hadoop-client-runtime-$hadoop_version.jar"; do
    [ -e "$build_dir/$f" ] || die "Maven reported success but $build_dir/$f is missing"
  done
  source_hash >"$cache_dir/.complete"
}

flink_hadoop_classpath() {
  echo "$build_dir/flink-hadoop-classpath/hadoop-client-api-$hadoop_version.jar:$build_dir/flink-hadoop-classpath/hadoop-client-runtime-$hadoop_version.jar"
}

# ------------------------------------------------------------- processes --

# A process's start time (clock ticks since boot) and parent, from
# /proc/PID/stat; the fields after the command name, which may hold spaces.
proc_field() {  # proc_field PID INDEX (0 = state, 1 = ppid, 19 = starttime)
  local stat f
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a f <<<"${stat##*) }"
  echo "${f[$2]}"
}

cmdline_has() {  # cmdline_has PID STRING
  { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "$2"
}

# Recorded pids count only while alive and still what `start` launched, so a
# pid reused by the system is never signalled.
launcher_pid() {
  local pid
  pid=$(cat "$rd/pids/launcher.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && cmdline_has "$pid" "sp.tests.yarn.LoopbackHadoop $rd " || return 1
  echo "$pid"
}

nodemanager_pid() {
  local pid
  pid=$(cat "$rd/pids/nodemanager.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && cmdline_has "$pid" "LoopbackHadoop nodemanager $rd/conf" || return 1
  echo "$pid"
}

stdin_holder_pid() {  # the sleep whose stdout is the launcher's stdin fifo
  local pid
  pid=$(cat "$rd/pids/stdin-holder.pid" 2>/dev/null) || return 1
  [ "$(readlink "/proc/$pid/fd/1" 2>/dev/null)" = "$rd/stdin" ] || return 1
  echo "$pid"
}

# Container processes of this run's NodeManager: the pid files it keeps under
# nmPrivate name each container's session leader, whose command line names
# this run dir (its log files are there). Found this way even after the
# NodeManager itself died and the containers were re-parented.
container_pids() {
  local f pid
  for f in "$rd"/nm/local/nmPrivate/application_*/container_*/container_*.pid; do
    [ -f "$f" ] || continue
    { read -r pid <"$f"; } 2>/dev/null || continue
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && cmdline_has "$pid" "$rd/" && echo "$pid"
  done
  return 0
}

# The given pids and all their live descendants, each as "PID STARTTIME".
with_descendants() {
  local -A parent=() mark=()
  local d p stat f changed=1
  for d in /proc/[0-9]*; do
    { read -r stat <"$d/stat"; } 2>/dev/null || continue
    read -r -a f <<<"${stat##*) }"
    parent[${d#/proc/}]=${f[1]}
  done
  for p in "$@"; do mark[$p]=1; done
  while [ "$changed" = 1 ]; do
    changed=0
    for p in "${!parent[@]}"; do
      if [ -z "${mark[$p]:-}" ] && [ -n "${mark[${parent[$p]}]:-}" ]; then
        mark[$p]=1
        changed=1
      fi
    done
  done
  for p in "${!mark[@]}"; do
    d=$(proc_field "$p" 19) && echo "$p $d"
  done
  return 0
}

# A zombie has exited: only its parent's wait is missing (the launcher's
# parent is gone, so init reaps it, perhaps a moment later).
same_process_alive() {  # same_process_alive PID STARTTIME
  [ "$(proc_field "$1" 19 2>/dev/null)" = "$2" ] && [ "$(proc_field "$1" 0 2>/dev/null)" != Z ]
}

# ------------------------------------------------------------------ start --

cmd_start() {
  local pid
  if pid=$(launcher_pid) && [ -f "$rd/env" ]; then
    note "already running (pid $pid)"
    cat "$rd/env"
    return 0
  fi
  cmd_install
  # Whatever a run that died without `stop` left behind (its containers, say).
  stop_processes quiet
  rm -rf "$rd"
  mkdir -p "$rd/log" "$rd/pids"
  mkfifo "$rd/stdin"

  local heap="${SP_HADOOP_HEAP:-512m}" nm_heap="${SP_YARN_NM_HEAP:-384m}"
  note "starting Hadoop $hadoop_version (YARN + HDFS) on loopback; logs in $rd/log"
  # Every stream of both background processes is redirected: an inherited
  # stdout would keep a caller's $(hadoop.sh start) waiting forever.
  # Guice (the web services) defines classes through reflection: java.lang must be open on 17.
  "$(java_bin)" "-Xmx$heap" --add-opens=java.base/java.lang=ALL-UNNAMED \
    "-Dsp.yarn.nm.memory-mb=${SP_YARN_NM_MEMORY_MB:-4096}" "-Dsp.yarn.nm.vcores=${SP_YARN_NM_VCORES:-4}" \
    "-Dsp.yarn.nm.heap=$nm_heap" \
    -cp "$build_dir/classes:$(cat "$build_dir/launcher.classpath")" \
    sp.tests.yarn.LoopbackHadoop "$rd" "$build_dir/flink-hadoop-classpath" \
    <"$rd/stdin" >"$rd/launcher.out" 2>"$rd/log/launcher.log" &
  echo $! >"$rd/pids/launcher.pid"
  # Holds the fifo's write end open; `stop` ends it and the launcher reads EOF.
  # (Its stdin too is redirected, so it holds nothing of the caller's.)
  # shellcheck disable=SC2217
  sleep infinity >"$rd/stdin" </dev/null 2>/dev/null &
  echo $! >"$rd/pids/stdin-holder.pid"

  local deadline=$((SECONDS + start_timeout)) ready
  while :; do
    ready=$(grep -m 1 '^READY ' "$rd/launcher.out" 2>/dev/null || true)
    [ -n "$ready" ] && break
    # The pid just launched, not launcher_pid: until the fifo opens, that
    # process is still this shell, not yet the JVM.
    if ! kill -0 "$(cat "$rd/pids/launcher.pid")" 2>/dev/null; then
      grep -h -E '^loopback hadoop:|Exception|ERROR' "$rd/log/launcher.log" "$rd/log/nodemanager.log" 2>/dev/null | tail -n 15 >&2 || true
      start_failed "the launcher exited during start (logs: $rd/log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || start_failed "not READY within ${start_timeout}s (logs: $rd/log)"
    sleep 0.5
  done

  local rm_url nn_url fs_uri
  rm_url=$(sed -n 's/.* rm=\([^ ]*\).*/\1/p' <<<"$ready")
  nn_url=$(sed -n 's/.* namenode=\([^ ]*\).*/\1/p' <<<"$ready")
  fs_uri=$(sed -n 's|.*<name>fs.defaultFS</name><value>\([^<]*\)</value>.*|\1|p' "$rd/conf/core-site.xml")
  if [ -z "$rm_url" ] || [ -z "$nn_url" ] || [ -z "$fs_uri" ]; then
    start_failed "cannot parse '$ready' and $rd/conf/core-site.xml"
  fi
  cat >"$rd/env.tmp" <<EOF
HADOOP_CONF_DIR=$rd/conf
HADOOP_CLASSPATH=$(flink_hadoop_classpath)
SP_YARN_RM_URL=$rm_url
SP_HDFS_NAMENODE_URL=$nn_url
SP_HDFS_URI=$fs_uri
EOF
  mv "$rd/env.tmp" "$rd/env"
  cat "$rd/env"
}

# A start that failed half-way stops what it launched, so nothing holds ports.
start_failed() {
  stop_processes quiet
  die "$1"
}

# ------------------------------------------------------------------- stop --

# Closes the launcher's stdin (it then stops the NodeManager, which kills its
# containers, then YARN and HDFS), waits, then ends whatever of the processes
# found at the outset is still alive: the launcher, the NodeManager, their
# descendants and the containers named by the NodeManager's pid files.
stop_processes() {
  local quiet=${1:-} roots=() procs daemons pid holder launcher nm deadline
  launcher=$(launcher_pid) && roots+=("$launcher")
  nm=$(nodemanager_pid) && roots+=("$nm")
  holder=$(stdin_holder_pid) && roots+=("$holder")
  for pid in $(container_pids); do roots+=("$pid"); done
  if [ "${#roots[@]}" -eq 0 ]; then
    [ -n "$quiet" ] || note "not running"
    rm -f "$rd"/pids/*.pid "$rd/env"
    return 0
  fi
  procs=$(with_descendants "${roots[@]}")
  [ -n "$quiet" ] || note "stopping (pids $(cut -d' ' -f1 <<<"$procs" | sort -n | tr '\n' ' '))"

  if [ -n "$holder" ]; then
    kill -TERM "$holder" 2>/dev/null || true
  elif [ -n "$launcher" ]; then
    # No stdin to close: without a shutdown hook the launcher just exits, and
    # the NodeManager, reading EOF from it, still stops its containers.
    kill -TERM "$launcher" 2>/dev/null || true
  fi
  daemons=$(awk -v a="$launcher" -v b="$nm" '$1 == a || $1 == b' <<<"$procs")
  deadline=$((SECONDS + stop_timeout))
  while [ "$SECONDS" -lt "$deadline" ] && [ -n "$(still_alive "$daemons")" ]; do
    sleep 0.5
  done

  local left
  left=$(still_alive "$procs")
  if [ -n "$left" ]; then
    note "still alive after the graceful stop: $(cut -d' ' -f1 <<<"$left" | tr '\n' ' ')- terminating"
    signal_all TERM "$left"
    deadline=$((SECONDS + 10))
    while [ -n "$left" ] && [ "$SECONDS" -lt "$deadline" ]; do
      sleep 0.5
      left=$(still_alive "$left")
    done
    if [ -n "$left" ]; then
      note "ignored SIGTERM: $(cut -d' ' -f1 <<<"$left" | tr '\n' ' ')- killing"
      signal_all KILL "$left"
    fi
  fi
  # A process whose parent is gone (the launcher's, a killed container's) is
  # re-parented to init, which reaps it a moment after it exits; wait for
  # that, so a `ps` after stop shows no <defunct> java.
  deadline=$((SECONDS + 5))
  while [ "$SECONDS" -lt "$deadline" ] && [ -n "$(unreaped "$procs")" ]; do
    sleep 0.2
  done
  rm -f "$rd"/pids/*.pid "$rd/env"
}

unreaped() {  # the "PID STARTTIME" lines of $1 whose process table entry remains
  local pid start
  while read -r pid start; do
    [ -n "$pid" ] && [ "$(proc_field "$pid" 19 2>/dev/null)" = "$start" ] && echo "$pid"
  done <<<"$1"
  return 0
}

still_alive() {  # the "PID STARTTIME" lines of $1 whose process still runs
  local pid start
  while read -r pid start; do
    [ -n "$pid" ] && same_process_alive "$pid" "$start" && echo "$pid $start"
  done <<<"$1"
  return 0
}

signal_all() {  # signal_all SIGNAL LINES
  local pid start
  while read -r pid start; do
    if [ -n "$pid" ]; then kill "-$1" "$pid" 2>/dev/null || true; fi
  done <<<"$2"
}

cmd_status() {
  local pid
  if pid=$(launcher_pid) && [ -f "$rd/env" ]; then
    # shellcheck disable=SC1091
    (. "$rd/env" && echo "running rm=$SP_YARN_RM_URL namenode=$SP_HDFS_NAMENODE_URL")
  else
    echo stopped
    return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) stop_processes ;;
  status) cmd_status ;;
  env)
    if [ ! -f "$rd/env" ] || ! launcher_pid >/dev/null; then die "not running: start it with $0 start"; fi
    cat "$rd/env"
    ;;
  rundir) echo "$rd" ;;
  *) usage ;;
esac
