#!/usr/bin/env bash
# What reading state costs on S3 beside file: (SPEC 5.9, 5.10, 12). For each
# store, on one running Flink cluster of VERSION:
#   a real run of the example job checkpoints there and is cancelled; its
#   run directory is then given N more chk-K directories (copies of the
#   retained checkpoint's _metadata, the newest M of them without one, as
#   checkpoints in progress or aborted are), so a start's decision must list
#   a directory of N+ entries and look at M+1 of them;
#   (v) `sp job plan JOB` with full records: the recorded point verified and
#       the run's directory listed (REPS times);
#   (d) `sp job plan JOB` from an empty database: discovery through the
#       JobManager, then the listing of the job's checkpoint directory and of
#       the run directory found there (REPS times, the database removed
#       before each, untimed).
# Each run has jobs of its own names: a job of an earlier run would be
# discovered on the JobManager, its state gone with that run's files.
# Prints medians per store and the ratios s3/file; it does not pass or fail on time.
#
#   tests/bench/state_storage_bench.sh VERSION [SP_BINARY]   (N=2000 M=5 REPS=5;
#   needs tests/s3/server.sh start, then tests/flink/cluster.sh start VERSION)
set -euo pipefail

version=${1:?usage: state_storage_bench.sh VERSION [SP_BINARY]}
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sp_bin="${2:-${SP_BIN:-$repo/build/src/sp}}"
n="${N:-2000}" m="${M:-5}" reps="${REPS:-5}"
[ -x "$sp_bin" ] || { echo "no sp binary at $sp_bin (build first or pass its path)" >&2; exit 1; }
version=$(bash "$repo/tests/flink/cluster.sh" resolve "$version")
url=$(bash "$repo/tests/flink/cluster.sh" url "$version") || { echo "start the cluster first" >&2; exit 1; }
s3_server="$repo/tests/s3/server.sh"
eval "$(bash "$s3_server" env)" || { echo "start tests/s3/server.sh first, then the cluster" >&2; exit 1; }
export SP_S3_ACCESS_KEY SP_S3_SECRET_KEY
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
[ -f "$jar" ] || mvn -B -q -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-state-bench-XXXXXX")
export SP_HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" SP_ENV=bench
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

objects() { # STORE ROOT
  cat <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: bench}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: $1, environment: bench}
spec:
  type: remote
  url: "$url"
  state: {root: "$2"}
  storage:
    s3: {endpoint: "$SP_S3_ENDPOINT", pathStyle: true, accessKeyEnv: SP_S3_ACCESS_KEY, secretKeyEnv: SP_S3_SECRET_KEY}
---
apiVersion: sp/v1
kind: Job
metadata: {name: bench-$1-$$, environment: bench}
spec:
  cluster: $1
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "bench-$1-$$", "--rate", "50"]
  parallelism: 1
YAML
}

# A real run that checkpoints in ROOT, cancelled; prints its Flink job id.
real_run() { # STORE
  local job=bench-$1-$$ id
  id=$(sp -o json job start "$job" | field "['flink_job_id']")
  for _ in $(seq 1 120); do
    [ "$(sp -o json job status "$job" | field ".get('checkpoints_completed', 0)")" -ge 2 ] && break
    sleep 0.5
  done
  sp job cancel "$job" >/dev/null
  echo "$id"
}

# Adds chk-(BASE+1 .. BASE+N) to the run directory DIR, the newest M without _metadata.
grow_file() { # DIR METADATA BASE
  local k
  for k in $(seq $(($3 + 1)) $(($3 + n))); do
    mkdir -p "$1/chk-$k"
    [ "$k" -gt $(($3 + n - m)) ] || cp "$2" "$1/chk-$k/_metadata"
  done
}
grow_s3() { # KEY_OF_DIR METADATA_FILE BASE
  local k config="$tmp/uploads.curl"
  : >"$config"
  : >"$tmp/empty"
  for k in $(seq $(($3 + 1)) $(($3 + n))); do
    # A marker per directory, as S3A writes them, and the _metadata object.
    printf 'upload-file = "%s"\nurl = "%s/%s/%s/chk-%d/"\n' \
      "$tmp/empty" "$SP_S3_ENDPOINT" "$SP_S3_BUCKET" "$1" "$k" >>"$config"
    [ "$k" -gt $(($3 + n - m)) ] ||
      printf 'upload-file = "%s"\nurl = "%s/%s/%s/chk-%d/_metadata"\n' \
        "$2" "$SP_S3_ENDPOINT" "$SP_S3_BUCKET" "$1" "$k" >>"$config"
  done
  bash "$s3_server" curl --no-progress-meter --parallel --parallel-max 8 -o /dev/null -K "$config"
}

time_plans() { # STORE YAML -> "verify_median discover_median"
  local job=bench-$1-$$ v=() d=() t
  for _ in $(seq 1 "$reps"); do
    t=$(now); sp job plan "$job" >/dev/null; v+=("$(elapsed_ms "$t")")
  done
  for _ in $(seq 1 "$reps"); do
    rm -f "$SP_HOME"/sp.db*
    sp apply -f "$2" >/dev/null
    t=$(now); sp job plan "$job" >/dev/null; d+=("$(elapsed_ms "$t")")
  done
  echo "$(median "${v[@]}") $(median "${d[@]}")"
}

declare -A verify discover
for store in file s3; do
  if [ "$store" = file ]; then root="file://$tmp/state"; else root="s3://$SP_S3_BUCKET/bench-$$"; fi
  objects "$store" "$root" >"$tmp/$store.yaml"
  sp apply -f "$tmp/$store.yaml" >/dev/null
  id=$(real_run "$store")
  dir="${root#file://}/bench/bench-$store-$$/checkpoints/$id"
  newest=$(sp -o json job plan "bench-$store-$$" | field "['restore_from']['path']")
  base=${newest##*/chk-}
  echo "== $store: run $id, newest real checkpoint chk-$base; adding $n chk-K ($m without _metadata)" >&2
  if [ "$store" = file ]; then
    grow_file "$dir" "${newest#file:}/_metadata" "$base"
  else
    bash "$s3_server" curl -o "$tmp/metadata" "$SP_S3_ENDPOINT/$SP_S3_BUCKET/${newest#s3://"$SP_S3_BUCKET"/}/_metadata"
    grow_s3 "${dir#s3://"$SP_S3_BUCKET"/}" "$tmp/metadata" "$base"
  fi
  chosen=$(sp -o json job plan "bench-$store-$$" | field "['restore_from']['path']")
  [ "${chosen##*/chk-}" -eq $((base + n - m)) ] || { echo "plan chose $chosen, not chk-$((base + n - m))" >&2; exit 1; }
  read -r verify[$store] discover[$store] < <(time_plans "$store" "$tmp/$store.yaml")
done

printf '\nFlink %s, a run directory of %d+ chk-K (%d newest without _metadata), REPS=%d, medians in ms\n' \
  "$version" "$n" "$m" "$reps"
printf '%-38s %8s %8s %8s\n' case file s3 s3/file
printf '%-38s %8d %8d %8s\n' "(v) plan with full records" "${verify[file]}" "${verify[s3]}" \
  "$(ratio "${verify[s3]}" "${verify[file]}")"
printf '%-38s %8d %8d %8s\n' "(d) plan from an empty database" "${discover[file]}" "${discover[s3]}" \
  "$(ratio "${discover[s3]}" "${discover[file]}")"
