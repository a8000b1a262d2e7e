#!/usr/bin/env bash
# A real S3-compatible object store on loopback for sp's tests: s3proxy on its
# filesystem backend (one Java process, Maven cache, no service account).
#
#   server.sh install   fetch s3proxy into Maven's cache (once)
#   server.sh start     start it (idempotent), create the bucket, write the env file
#   server.sh stop      stop exactly the process `start` launched
#   server.sh status    "running URL" (exit 0) or "stopped" (exit 1)
#   server.sh env       print the env file: SP_S3_ENDPOINT, SP_S3_BUCKET,
#                       SP_S3_ACCESS_KEY, SP_S3_SECRET_KEY
#   server.sh curl ARGS...   curl with the server's keys (SigV4), for tests
#
# Why s3proxy: one jar from Maven's cache, which the test run already uses for
# Flink's S3 plugin and the example jobs, and it speaks SigV4 (what sp signs
# with). Its in-memory backend is used because it keeps S3's semantics: keys
# are flat, so "dir" and "dir/" are different keys. Its filesystem backends
# map keys to directories, answer a HEAD of "dir" with an empty object (Flink
# then reads a savepoint directory as an empty _metadata file) and refuse to
# delete a marker whose directory holds objects.
# The secret key is made fresh at every start, so a test can grep for it.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
run_root="${SP_TEST_RUN_DIR:-$repo_root/build/flink-run}"
rd="$run_root/s3"
version=2.6.0
port=${SP_S3_PORT:-18090}
bucket=sp-state
jar="$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar"

die() { printf 's3/server.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 's3/server.sh: %s\n' "$*" >&2; }

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd_install() {
  [ -f "$jar" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found: it fetches s3proxy into ~/.m2 (apt-get install maven)"
  note "fetching org.gaul:s3proxy:$version (jar-with-dependencies) into ~/.m2"
  mvn -B -q -Dstyle.color=never dependency:get -Dtransitive=false \
    "-Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies" >"${TMPDIR:-/tmp}/s3proxy-fetch.log" 2>&1 ||
    { tail -n 20 "${TMPDIR:-/tmp}/s3proxy-fetch.log" >&2; die "Maven could not fetch org.gaul:s3proxy:$version"; }
  [ -f "$jar" ] || die "Maven reported success but $jar is missing"
}

# The recorded pid counts only while it is alive and still runs this server's
# properties file, so a pid reused by the system is never signalled.
server_pid() {
  local pid
  pid=$(cat "$rd/s3proxy.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$rd/s3proxy.properties" || return 1
  echo "$pid"
}

answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; }

cmd_start() {
  if server_pid >/dev/null; then
    note "already running at http://127.0.0.1:$port"
    return 0
  fi
  cmd_install
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use; stop what uses it or set SP_S3_PORT"
  fi
  rm -rf "$rd"
  mkdir -p "$rd/log"
  local secret
  secret="sp-test-secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  cat >"$rd/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=sp-test-access
s3proxy.credential=$secret
jclouds.provider=transient
jclouds.identity=local
jclouds.credential=local
EOF
  cat >"$rd/env" <<EOF
SP_S3_ENDPOINT=http://127.0.0.1:$port
SP_S3_BUCKET=$bucket
SP_S3_ACCESS_KEY=sp-test-access
SP_S3_SECRET_KEY=$secret
EOF
  note "starting s3proxy $version at http://127.0.0.1:$port (objects in memory, log $rd/log/s3proxy.log)"
  java -Xmx512m -jar "$jar" --properties "$rd/s3proxy.properties" </dev/null >"$rd/log/s3proxy.log" 2>&1 &
  echo $! >"$rd/s3proxy.pid"
  local deadline=$((SECONDS + 60))
  until answers; do
    server_pid >/dev/null || { tail -n 20 "$rd/log/s3proxy.log" >&2; die "s3proxy exited during start"; }
    [ "$SECONDS" -lt "$deadline" ] || { cmd_stop; die "s3proxy did not answer within 60 s (log: $rd/log/s3proxy.log)"; }
    sleep 0.3
  done
  local status
  status=$(cmd_curl -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$port/$bucket")
  [ "$status" = 200 ] || { cmd_stop; die "creating bucket $bucket answered HTTP $status"; }
}

# Every request signed with the keys of the env file; S3 wants the payload's
# hash in a header, and UNSIGNED-PAYLOAD is accepted for any body.
cmd_curl() {
  # shellcheck disable=SC1091
  . "$rd/env"
  curl -sS --max-time 30 -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    --aws-sigv4 aws:amz:us-east-1:s3 -u "$SP_S3_ACCESS_KEY:$SP_S3_SECRET_KEY" "$@"
}

cmd_stop() {
  local pid
  if ! pid=$(server_pid); then
    note "not running"
    rm -f "$rd/s3proxy.pid"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$rd/s3proxy.pid"
}

cmd_status() {
  if server_pid >/dev/null; then
    echo "running http://127.0.0.1:$port"
  else
    echo stopped
    return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  curl) shift; cmd_curl "$@" ;;
  env) server_pid >/dev/null || die "not running: start it with $0 start"; cat "$rd/env" ;;
  *) usage ;;
esac
