#!/usr/bin/env bash
# Installs everything sp needs to build and test, from Debian packages.
# Idempotent: installs only what is missing, so a warm machine pays nothing.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  libcli11-dev libsqlite3-dev libyaml-cpp-dev libcurl4-openssl-dev libgit2-dev
  libfmt-dev catch2 nlohmann-json3-dev libsimdjson-dev zlib1g-dev
  # tests: SQLite shell, Flink (Java, a Python venv for the PyPI distribution),
  # Maven for the example job, HTTP servers for fakes and benchmarks, fuzzing
  # (clang 19: clang 14 cannot compile GCC 12's std::expected),
  # sshd for the SSH clone test
  sqlite3 curl ca-certificates openjdk-17-jdk-headless maven python3 python3-venv
  nginx-light clang-19 libclang-rt-19-dev hyperfine procps psmisc openssh-server
  # format and lint, enforced by the test run (tests/lint.sh)
  clang-format-19 clang-tidy-19
  # the shells the completion scripts are tested in, and man to check the man page
  bash-completion zsh fish man-db groff-base python3-yaml
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
