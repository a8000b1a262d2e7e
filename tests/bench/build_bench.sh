#!/usr/bin/env bash
# Benchmark of `sp project build` against doing the same by hand, in one run:
#   1. first build (clone) vs `git clone` + the same mvn command by hand;
#   2. second build of the unchanged project (fetch) vs the first build.
# The repository is served by git daemon on loopback. Medians of ROUNDS runs.
#
#   tests/bench/build_bench.sh [SP_BINARY]     (ROUNDS=3, PROJECT_DIR=tests/fixtures/maven-hello)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
sp_bin="${1:-${SP_BIN:-$here/../../build/src/sp}}"
rounds="${ROUNDS:-3}"
project_dir="${PROJECT_DIR:-$here/../fixtures/maven-hello}"
[ -x "$sp_bin" ] || { echo "no sp binary at $sp_bin (build first or pass its path)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-bench-XXXXXX")
daemon_pid=""
trap '[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# The repository, served over git://.
mkdir -p "$tmp/work" "$tmp/srv"
cp -r "$project_dir/." "$tmp/work/"
rm -rf "$tmp/work/target"
git -C "$tmp/work" init -q -b main
git -C "$tmp/work" add -A
git -C "$tmp/work" -c user.name=Bench -c user.email=bench@example.com commit -qm "bench"
git clone -q --bare "$tmp/work" "$tmp/srv/job.git"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
git daemon --reuseaddr --base-path="$tmp/srv" --export-all --port="$port" --listen=127.0.0.1 "$tmp/srv" \
  2>/dev/null &
daemon_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url="git://127.0.0.1:$port/job.git"
mvn_cmd=(mvn -B clean package -DskipTests) # sp's default build command

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Warm Maven's local repository and the JIT caches of the disk once, untimed.
git clone -q "$url" "$tmp/warm" && (cd "$tmp/warm" && "${mvn_cmd[@]}" >/dev/null 2>&1)

manual=() first=() second=() first_fetch=() second_fetch=()
fetch_ms() { python3 -c 'import json,sys; print(json.load(sys.stdin)["fetch_ms"])'; }
for round in $(seq "$rounds"); do
  # By hand: clone, then the same Maven command.
  rm -rf "$tmp/manual"
  t=$(now)
  git clone -q "$url" "$tmp/manual"
  (cd "$tmp/manual" && "${mvn_cmd[@]}" >/dev/null 2>&1)
  manual+=("$(elapsed_ms "$t")")

  # sp: a fresh SP_HOME, so the first build clones; the second only fetches.
  home="$tmp/home-$round"
  SP_HOME="$home" "$sp_bin" -q project add job --url "$url" >/dev/null
  t=$(now)
  json=$(SP_HOME="$home" "$sp_bin" -q -o json project build job)
  first+=("$(elapsed_ms "$t")")
  first_fetch+=("$(fetch_ms <<<"$json")")
  t=$(now)
  json=$(SP_HOME="$home" "$sp_bin" -q -o json project build job)
  second+=("$(elapsed_ms "$t")")
  second_fetch+=("$(fetch_ms <<<"$json")")
done

m_manual=$(median "${manual[@]}")
m_first=$(median "${first[@]}")
m_second=$(median "${second[@]}")

echo "sp project build benchmark: $(basename "$project_dir") over git:// on loopback, median of $rounds"
printf '%-44s %10s %12s\n' "case" "total ms" "git part ms"
printf '%-44s %10s %12s\n' "git clone + ${mvn_cmd[*]}" "$m_manual" "-"
printf '%-44s %10s %12s\n' "sp project build (first: clone)" "$m_first" "$(median "${first_fetch[@]}")"
printf '%-44s %10s %12s\n' "sp project build (second: fetch, unchanged)" "$m_second" "$(median "${second_fetch[@]}")"
echo
echo "first build / by hand:  $(ratio "$m_first" "$m_manual")x"
echo "second build / first:   $(ratio "$m_second" "$m_first")x"
echo "runs (ms): by hand ${manual[*]}; first ${first[*]}; second ${second[*]}"
