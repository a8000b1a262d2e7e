#!/usr/bin/env bash
# Real Apache Flink standalone clusters for sp's integration tests.
#
#   cluster.sh install VERSION          install Flink VERSION from PyPI into the cache (once)
#   cluster.sh start   VERSION [NAME]   start a loopback-only cluster, print its REST URL
#   cluster.sh stop    VERSION [NAME]   stop exactly the processes `start` launched
#   cluster.sh status  VERSION [NAME]   "running" (exit 0) or "stopped" (exit 1)
#   cluster.sh url     VERSION [NAME]   print the REST URL
#   cluster.sh home    VERSION          print FLINK_HOME of the installed version
#   cluster.sh rundir  VERSION [NAME]   print the cluster's run dir (config, logs, state)
#   cluster.sh resolve VERSION          print the full version a line (1.20, 2.2) stands for
#   cluster.sh kill-jobmanager  VERSION [NAME]   SIGKILL the JobManager (fault tests)
#   cluster.sh start-jobmanager VERSION [NAME]   start it again and wait for a free slot
#
# VERSION is a full version (1.20.5) or a line with a pinned patch (1.20, 2.2).
# NAME defaults to flink-<full version>. See tests/flink/README.md for the
# directories, default ports and environment overrides.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/sp-tests"
run_root="${SP_TEST_RUN_DIR:-$repo_root/build/flink-run}"
start_timeout="${SP_FLINK_START_TIMEOUT:-120}"
stop_timeout="${SP_FLINK_STOP_TIMEOUT:-30}"

die() { printf 'cluster.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'cluster.sh: %s\n' "$*" >&2; }

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The patch release used when only a release line is given.
resolve_version() {
  case "$1" in
    1.20) echo 1.20.5 ;;
    2.2) echo 2.2.1 ;;
    [0-9]*.[0-9]*.[0-9]*) echo "$1" ;;
    *) die "unsupported VERSION '$1': give a full version such as 1.20.5 or 2.2.1, or a line: 1.20, 2.2" ;;
  esac
}

# Default ports: 1.x → REST 181MM, 2.x → REST 18M0 + minor*10 (2.2 → 18220);
# the JobManager RPC port is REST + 1000. Every other port is ephemeral.
default_rest_port() {
  local major minor
  IFS=. read -r major minor _ <<<"$1"
  if [ "$major" -le 1 ]; then
    echo $((18100 + minor))
  else
    echo $((18000 + major * 100 + minor * 10))
  fi
}

configured_rest_port() {
  echo "${SP_FLINK_REST_PORT:-$(($(default_rest_port "$1") + ${SP_FLINK_PORT_OFFSET:-0}))}"
}

version_ge() {  # version_ge A B: A >= B (major.minor[.patch])
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# ---------------------------------------------------------------- install --

install_dir() { echo "$cache_root/flink-$1"; }

flink_home_of() {
  local dir
  dir=$(install_dir "$1")
  [ -f "$dir/.complete" ] || return 1
  echo "$dir/$(cat "$dir/flink-home.rel")"
}

check_java() {
  local java_bin="java" out major
  if [ -n "${JAVA_HOME:-}" ]; then java_bin="$JAVA_HOME/bin/java"; fi
  if ! command -v "$java_bin" >/dev/null 2>&1; then
    die "Java not found (looked for '$java_bin'${JAVA_HOME:+ from JAVA_HOME}): install a JDK 11 or 17 (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
  fi
  out=$("$java_bin" -version 2>&1) || die "'$java_bin -version' failed: $out"
  major=$(sed -n 's/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' <<<"$out" | head -n 1)
  # Java 8 reports "1.8.0_x".
  case "$major" in
    "1 "*) major=${major#1 } ;;
    *) major=${major%% *} ;;
  esac
  if [ -z "$major" ] || [ "$major" -lt 11 ]; then
    die "Java 11 or newer is needed to run Flink, found: $(head -n 1 <<<"$out")"
  fi
}

cmd_install() {
  local version=$1 dir tmp home
  check_java
  dir=$(install_dir "$version")
  if [ -f "$dir/.complete" ]; then
    note "Flink $version already installed in $dir"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 not found: it is needed to install Flink from PyPI"
  mkdir -p "$cache_root"
  # Serialise concurrent installs of one version; the loser finds it complete.
  exec 9>"$cache_root/.flink-$version.lock"
  flock 9
  if [ -f "$dir/.complete" ]; then
    note "Flink $version already installed in $dir"
    return 0
  fi

  # Partial installs of killed runs never look complete; clear them out.
  rm -rf "$cache_root/.flink-$version.partial."*
  tmp=$(mktemp -d "$cache_root/.flink-$version.partial.XXXXXX")
  # A failure anywhere below leaves only the partial directory, which is removed.
  trap 'rm -rf "$tmp"' EXIT
  note "installing apache-flink==$version and apache-flink-libraries==$version into $dir"
  python3 -m venv "$tmp/venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  if ! "$tmp/venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
      --no-deps "apache-flink==$version" "apache-flink-libraries==$version" >"$tmp/pip.log" 2>&1; then
    tail -n 20 "$tmp/pip.log" >&2
    die "pip could not install apache-flink==$version with apache-flink-libraries==$version (see above); nothing was installed"
  fi

  home=$(echo "$tmp"/venv/lib/python*/site-packages/pyflink)
  for f in bin/jobmanager.sh bin/taskmanager.sh bin/config.sh conf; do
    [ -e "$home/$f" ] || die "the installed pyflink package has no $f: not a usable FLINK_HOME ($home)"
  done
  compgen -G "$home/lib/flink-dist*.jar" >/dev/null || die "no lib/flink-dist*.jar in $home: apache-flink-libraries is incomplete"
  chmod +x "$home"/bin/*

  rm -rf "$dir"
  # FLINK_HOME is recorded relative to the install dir, so the rename keeps it valid.
  echo "${home#"$tmp"/}" >"$tmp/flink-home.rel"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$tmp/.complete"
  mv "$tmp" "$dir"
  trap - EXIT
  note "installed Flink $version: FLINK_HOME=$(flink_home_of "$version")"
}

# Flink's own S3 filesystem (flink-s3-fs-hadoop) under plugins/ of the cached
# distribution, so checkpoints can go to the test run's S3 server. The
# registry serves the plugin at some versions only: the cluster's own version
# is tried first, then the .0 release of its line (a plugin of the same minor
# version works), and the one taken is said.
install_s3_plugin() {
  local version=$1 home dir line candidate jar
  home=$(flink_home_of "$version") || die "Flink $version is not installed"
  dir="$home/plugins/s3-fs-hadoop"
  if compgen -G "$dir/flink-s3-fs-hadoop-*.jar" >/dev/null; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: it fetches Flink's S3 plugin into ~/.m2"
  line=${version%.*}
  for candidate in "$version" "$line.0"; do
    jar="$HOME/.m2/repository/org/apache/flink/flink-s3-fs-hadoop/$candidate/flink-s3-fs-hadoop-$candidate.jar"
    if [ -f "$jar" ] || mvn -B -q -Dstyle.color=never dependency:get -Dtransitive=false \
        "-Dartifact=org.apache.flink:flink-s3-fs-hadoop:$candidate" >/dev/null 2>&1; then
      mkdir -p "$dir"
      cp "$jar" "$dir/"
      note "Flink $version uses flink-s3-fs-hadoop $candidate for s3:// state"
      return 0
    fi
  done
  die "Maven could not fetch org.apache.flink:flink-s3-fs-hadoop at $version or $line.0"
}

# The S3 keys for a cluster started while the test run's S3 server runs
# (tests/s3/server.sh): endpoint, path-style access and its keys.
s3_keys() {
  local env_file="$run_root/s3/env"
  bash "$repo_root/tests/s3/server.sh" status >/dev/null 2>&1 && [ -f "$env_file" ] || return 0
  # shellcheck disable=SC1090
  (
    . "$env_file"
    echo "s3.endpoint: $SP_S3_ENDPOINT"
    echo "s3.path.style.access: true"
    echo "s3.access-key: $SP_S3_ACCESS_KEY"
    echo "s3.secret-key: $SP_S3_SECRET_KEY"
    # S3A before Hadoop 3.4 deletes the parent "directory" markers after each
    # write; s3proxy's filesystem backend refuses to delete a marker whose
    # directory holds objects, and S3A retries that for minutes. Keeping the
    # markers is Hadoop 3.4's default (Flink 2.x's plugin) and harmless to S3.
    echo "s3.directory.marker.retention: keep"
  )
}

# ------------------------------------------------------------ run dir ----

run_dir() { echo "$run_root/$2"; }

rest_port_of() {  # from the running cluster's record, else the configured default
  local rd=$1 version=$2
  if [ -f "$rd/rest.port" ]; then
    cat "$rd/rest.port"
  else
    configured_rest_port "$version"
  fi
}

# A recorded pid counts only while it is alive and still a process of this
# cluster (its command line names the cluster's conf dir), so a pid reused by
# the system after a reboot or crash is never signalled.
pid_alive() {
  local pid=$1 rd=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/cmdline" ] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--configDir $rd/conf"
}

# Pids recorded by `start`, alive or not.
recorded_pids() {
  local rd=$1 f
  for f in "$rd"/pids/*.pid; do
    [ -f "$f" ] && cat "$f"
  done
  return 0
}

cluster_running() {
  local rd=$1 pid any=1
  for pid in $(recorded_pids "$rd"); do
    if pid_alive "$pid" "$rd"; then any=0; fi
  done
  return $any
}

port_in_use() {
  # Bash's /dev/tcp connect: succeeds when something listens on the port.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Copies the JVM options the distribution ships (Java 17 --add-opens etc.)
# out of its config file, as flat "key: value" lines.
shipped_java_opts() {
  local conf=$1
  python3 - "$conf" <<'PY'
import re, sys
path = sys.argv[1]
stack = []   # (indent, key)
out = {}
for raw in open(path, encoding="utf-8"):
    line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
    if not line.strip():
        continue
    m = re.match(r"^(\s*)([^:\s][^:]*):\s*(.*)$", line)
    if not m:
        continue
    indent, key, value = len(m.group(1)), m.group(2).strip(), m.group(3).strip()
    while stack and stack[-1][0] >= indent:
        stack.pop()
    full = ".".join([k for _, k in stack] + [key])
    if value:
        if full.startswith("env.java.") and "opts" in full:
            out[full] = value
    else:
        stack.append((indent, key))
for k, v in out.items():
    print(f"{k}: {v}")
PY
}

# 1.20 renamed state.{checkpoints,savepoints}.dir and state.checkpoints.num-retained
# to execution.checkpointing.*; the new names avoid deprecation warnings.
# Retention stays at Flink's default (one checkpoint), as on most production
# clusters: a higher one hides restores from subsumed checkpoints.
# SP_FLINK_NUM_RETAINED sets another for experiments.
checkpoint_dir_keys() {
  local version=$1 rd=$2 prefix=state.checkpoints
  if version_ge "$version" 1.20; then
    echo "execution.checkpointing.dir: file://$rd/checkpoints"
    echo "execution.checkpointing.savepoint-dir: file://$rd/savepoints"
    prefix=execution.checkpointing
  else
    echo "state.checkpoints.dir: file://$rd/checkpoints"
    echo "state.savepoints.dir: file://$rd/savepoints"
  fi
  if [ -n "${SP_FLINK_NUM_RETAINED:-}" ]; then echo "$prefix.num-retained: $SP_FLINK_NUM_RETAINED"; fi
}

write_config() {
  local home=$1 rd=$2 version=$3 rest_port=$4 rpc_port=$5 conf shipped
  conf="$rd/conf"
  rm -rf "$conf"
  mkdir -p "$conf" "$rd/log" "$rd/tmp" "$rd/checkpoints" "$rd/savepoints" "$rd/pids"
  # log4j and friends from the distribution; the Flink config is written fresh.
  cp "$home"/conf/log4j*.properties "$home"/conf/logback*.xml "$conf"/ 2>/dev/null || true
  rm -f "$conf/flink-conf.yaml" "$conf/config.yaml"

  # Standard YAML config.yaml from 1.19 on (2.x reads nothing else); the
  # legacy flink-conf.yaml before. The flat "key: value" lines written below
  # are valid in both. The JVM options come from whichever file is shipped.
  local file="flink-conf.yaml"
  if version_ge "$version" 1.19; then file="config.yaml"; fi
  shipped="$home/conf/config.yaml"
  [ -f "$shipped" ] || shipped="$home/conf/flink-conf.yaml"
  [ -f "$shipped" ] || die "the distribution has neither conf/config.yaml nor conf/flink-conf.yaml ($home/conf)"

  {
    echo "# Written by tests/flink/cluster.sh for cluster $(basename "$rd") (Flink $version)."
    echo "# Loopback only; ports: REST $rest_port, JobManager RPC $rpc_port, all others ephemeral."
    shipped_java_opts "$shipped"
    cat <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.bind-host: 127.0.0.1
jobmanager.rpc.port: $rpc_port
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
blob.server.port: 0
taskmanager.rpc.port: 0
taskmanager.data.port: 0
metrics.internal.query-service.port: 0
jobmanager.memory.process.size: ${SP_FLINK_JM_MEMORY:-1024m}
taskmanager.memory.process.size: ${SP_FLINK_TM_MEMORY:-1280m}
taskmanager.memory.managed.size: 64m
taskmanager.numberOfTaskSlots: ${SP_FLINK_SLOTS:-4}
parallelism.default: 1
# The TaskManager starts alongside the JobManager: retry the first connection quickly.
cluster.registration.error-delay: 500
jobmanager.execution.failover-strategy: region
state.backend.type: hashmap
execution.checkpointing.interval: 1s
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
$(checkpoint_dir_keys "$version" "$rd")
$(s3_keys)
web.upload.dir: $rd/tmp
io.tmp.dirs: $rd/tmp
env.pid.dir: $rd/tmp
env.log.dir: $rd/log
EOF
  } >"$conf/$file"
}

cmd_start() {
  local version=$1 name=$2 home rd rest_port rpc_port url pid deadline
  check_java
  home=$(flink_home_of "$version") || die "Flink $version is not installed: run '$0 install $version' first"
  rd=$(run_dir "$version" "$name")
  if cluster_running "$rd"; then
    note "cluster $name is already running"
    echo "http://127.0.0.1:$(cat "$rd/rest.port")"
    return 0
  fi
  rest_port=$(configured_rest_port "$version")
  rpc_port=${SP_FLINK_RPC_PORT:-$((rest_port + 1000))}
  for p in "$rest_port" "$rpc_port"; do
    if port_in_use "$p"; then
      die "port $p on 127.0.0.1 is in use; stop what uses it or set SP_FLINK_REST_PORT / SP_FLINK_RPC_PORT"
    fi
  done

  mkdir -p "$rd"
  write_config "$home" "$rd" "$version" "$rest_port" "$rpc_port"
  # Left over by a cluster that died without `stop`; the daemon scripts append to them.
  rm -f "$rd"/pids/*.pid "$rd"/tmp/flink-*.pid
  echo "$rest_port" >"$rd/rest.port"
  echo "$version" >"$rd/version"
  url="http://127.0.0.1:$rest_port"

  export FLINK_CONF_DIR="$rd/conf" FLINK_LOG_DIR="$rd/log" FLINK_PID_DIR="$rd/tmp"
  # The daemon scripts record the pid they launched in FLINK_PID_DIR; a private
  # pid dir per cluster means that file holds only this cluster's processes.
  note "starting Flink $version cluster $name (REST $url, logs in $rd/log)"
  # Both at once: each script first runs a JVM to work out memory settings, and
  # the TaskManager keeps retrying until the JobManager answers.
  local jm_script tm_script
  "$home/bin/jobmanager.sh" start >"$rd/log/start-jobmanager.out" 2>&1 &
  jm_script=$!
  "$home/bin/taskmanager.sh" start >"$rd/log/start-taskmanager.out" 2>&1 &
  tm_script=$!
  local jm_rc=0 tm_rc=0 f
  wait "$jm_script" || jm_rc=$?
  wait "$tm_script" || tm_rc=$?
  # Record whatever was launched first, so a failure below stops it again.
  cat "$rd"/tmp/flink-*-standalonesession.pid >"$rd/pids/jobmanager.pid" 2>/dev/null || true
  cat "$rd"/tmp/flink-*-taskexecutor.pid >"$rd/pids/taskmanager.pid" 2>/dev/null || true
  for f in jobmanager taskmanager; do
    if { [ "$f" = jobmanager ] && [ "$jm_rc" -ne 0 ]; } || { [ "$f" = taskmanager ] && [ "$tm_rc" -ne 0 ]; }; then
      grep -v '^INFO' "$rd/log/start-$f.out" | tail -n 15 >&2
      start_failed "$version" "$name" "$f.sh start failed (output above; logs: $rd/log)"
    fi
    [ -s "$rd/pids/$f.pid" ] || start_failed "$version" "$name" "the $f did not record its pid (logs: $rd/log)"
  done

  deadline=$((SECONDS + start_timeout))
  while :; do
    if free_slots "$url"; then break; fi
    for pid in $(recorded_pids "$rd"); do
      if ! pid_alive "$pid" "$rd"; then
        grep -h -m 5 -E 'ERROR|Exception' "$rd"/log/*.log >&2 2>/dev/null || true
        start_failed "$version" "$name" "a Flink process (pid $pid) exited during start; logs are in $rd/log"
      fi
    done
    if [ "$SECONDS" -ge "$deadline" ]; then
      start_failed "$version" "$name" "cluster $name did not report a TaskManager with free slots at $url/overview within ${start_timeout}s (logs: $rd/log)"
    fi
    sleep 0.5
  done
  echo "$url"
}

# A start that failed half-way stops what it launched, so no stray process holds the ports.
start_failed() {
  cmd_stop "$1" "$2"
  die "$3"
}

free_slots() {  # true when /overview reports a TaskManager and a free slot
  python3 - "$1" <<'PY'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/overview", timeout=2) as r:
        o = json.load(r)
except Exception:
    sys.exit(1)
sys.exit(0 if o.get("taskmanagers", 0) >= 1 and o.get("slots-available", 0) >= 1 else 1)
PY
}

cmd_stop() {
  local version=$1 name=$2 rd pid live deadline
  rd=$(run_dir "$version" "$name")
  live=()
  for pid in $(recorded_pids "$rd"); do
    if pid_alive "$pid" "$rd"; then live+=("$pid"); fi
  done
  if [ "${#live[@]}" -eq 0 ]; then
    note "cluster $name is not running"
    rm -f "$rd"/pids/*.pid
    return 0
  fi
  note "stopping cluster $name (pids ${live[*]})"
  kill -TERM "${live[@]}" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    local still=()
    for pid in "${live[@]}"; do
      if pid_alive "$pid" "$rd"; then still+=("$pid"); fi
    done
    [ "${#still[@]}" -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${live[@]}"; do
    if pid_alive "$pid" "$rd"; then
      note "pid $pid did not exit within ${stop_timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$rd"/pids/*.pid "$rd"/tmp/flink-*.pid
}

# Fault tests: the JobManager process dies (SIGKILL, as a crash would) and
# comes back on the same ports; the TaskManager registers with it again.
cmd_kill_jobmanager() {
  local rd pid
  rd=$(run_dir "$1" "$2")
  pid=$(cat "$rd/pids/jobmanager.pid" 2>/dev/null || true)
  pid_alive "$pid" "$rd" || die "the JobManager of cluster $2 is not running"
  kill -KILL "$pid"
  while pid_alive "$pid" "$rd"; do sleep 0.2; done
  rm -f "$rd"/tmp/flink-*-standalonesession.pid
}

cmd_start_jobmanager() {
  local version=$1 name=$2 home rd url deadline
  home=$(flink_home_of "$version") || die "Flink $version is not installed"
  rd=$(run_dir "$version" "$name")
  url="http://127.0.0.1:$(cat "$rd/rest.port")"
  export FLINK_CONF_DIR="$rd/conf" FLINK_LOG_DIR="$rd/log" FLINK_PID_DIR="$rd/tmp"
  "$home/bin/jobmanager.sh" start >>"$rd/log/start-jobmanager.out" 2>&1 || die "jobmanager.sh start failed (logs: $rd/log)"
  cat "$rd"/tmp/flink-*-standalonesession.pid >"$rd/pids/jobmanager.pid"
  deadline=$((SECONDS + start_timeout))
  until free_slots "$url"; do
    [ "$SECONDS" -lt "$deadline" ] || die "the JobManager of $name has no TaskManager with free slots after ${start_timeout}s"
    sleep 0.5
  done
  echo "$url"
}

cmd_status() {
  local rd
  rd=$(run_dir "$1" "$2")
  if cluster_running "$rd"; then
    echo "running http://127.0.0.1:$(cat "$rd/rest.port")"
  else
    echo "stopped"
    return 1
  fi
}

cmd_url() {
  local rd
  rd=$(run_dir "$1" "$2")
  echo "http://127.0.0.1:$(rest_port_of "$rd" "$1")"
}

main() {
  [ $# -ge 2 ] || usage
  local cmd=$1 version name
  version=$(resolve_version "$2")
  name=${3:-flink-$version}
  case "$name" in
    */* | .* | "") die "bad cluster NAME '$name'" ;;
  esac
  case "$cmd" in
    install) cmd_install "$version" && install_s3_plugin "$version" ;;
    start) cmd_start "$version" "$name" ;;
    stop) cmd_stop "$version" "$name" ;;
    status) cmd_status "$version" "$name" ;;
    kill-jobmanager) cmd_kill_jobmanager "$version" "$name" ;;
    start-jobmanager) cmd_start_jobmanager "$version" "$name" ;;
    url) cmd_url "$version" "$name" ;;
    home) flink_home_of "$version" || die "Flink $version is not installed: run '$0 install $version'" ;;
    rundir) run_dir "$version" "$name" ;;
    resolve) echo "$version" ;;
    *) usage ;;
  esac
}

main "$@"
