# Helpers for integration tests: the e2e helpers (fresh SP_HOME, sp, expect_*)
# plus real git servers on loopback, stopped when the test exits.
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

SP_TEST_FIXTURES="$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)"
SP_SERVER_PIDS=()
cleanup_servers() {
  for pid in "${SP_SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${SP_SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
}
trap 'cleanup_servers; chmod -R u+rwx "$SP_TEST_TMP" 2>/dev/null; rm -rf "$SP_TEST_TMP"' EXIT

# Repositories served by this test live here, bare.
SP_GIT_ROOT="$SP_TEST_TMP/srv"
mkdir -p "$SP_GIT_ROOT"
export GIT_AUTHOR_NAME="Ann Tester" GIT_AUTHOR_EMAIL="ann@example.com"
export GIT_COMMITTER_NAME="Ann Tester" GIT_COMMITTER_EMAIL="ann@example.com"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for_port() { # PORT: until something accepts connections there (10 s at most)
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

# make_repo NAME: a bare repository NAME.git with a work tree beside it
# ($SP_TEST_TMP/work/NAME) holding the Maven fixture on branch main.
make_repo() {
  local work="$SP_TEST_TMP/work/$1"
  mkdir -p "$work" && cp -r "$SP_TEST_FIXTURES/maven-hello/." "$work/"
  git -C "$work" init -q -b main
  git -C "$work" add -A && git -C "$work" commit -qm "Add the hello project"
  git clone -q --bare "$work" "$SP_GIT_ROOT/$1.git"
  git -C "$work" remote add origin "$SP_GIT_ROOT/$1.git"
}

# commit_file NAME FILE TEXT [BRANCH]: commits FILE with TEXT and pushes it.
commit_file() {
  local work="$SP_TEST_TMP/work/$1" branch="${4:-main}"
  git -C "$work" checkout -q "$branch" 2>/dev/null || git -C "$work" checkout -q -b "$branch"
  printf '%s\n' "$3" >"$work/$2"
  git -C "$work" add -A && git -C "$work" commit -qm "Change $2 on $branch"
  git -C "$work" push -q origin "$branch"
  git -C "$work" rev-parse HEAD
}

# start_git_daemon: serves $SP_GIT_ROOT at git://127.0.0.1:$GIT_DAEMON_PORT/.
start_git_daemon() {
  GIT_DAEMON_PORT=$(free_port)
  git daemon --reuseaddr --base-path="$SP_GIT_ROOT" --export-all --port="$GIT_DAEMON_PORT" \
    --listen=127.0.0.1 "$SP_GIT_ROOT" 2>"$SP_TEST_TMP/git-daemon.log" &
  SP_SERVER_PIDS+=($!)
  wait_for_port "$GIT_DAEMON_PORT"
}

# start_git_http PASSWORD: serves $SP_GIT_ROOT at http://127.0.0.1:$GIT_HTTP_PORT/
# behind basic auth that accepts any user with PASSWORD.
start_git_http() {
  local port_file="$SP_TEST_TMP/http.port"
  python3 "$(dirname "${BASH_SOURCE[0]}")/git_http_server.py" --root "$SP_GIT_ROOT" \
    --password "$1" --port-file "$port_file" 2>"$SP_TEST_TMP/git-http.log" &
  SP_SERVER_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  GIT_HTTP_PORT=$(cat "$port_file")
  wait_for_port "$GIT_HTTP_PORT"
}

# json_field KEY: the value of a top-level key in $out (sp -o json output).
json_field() { python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print("" if v is None else v)' "$1" <<<"$out"; }

# start_sshd: an sshd of our own on loopback (its own host key and
# authorized_keys under $SP_TEST_TMP/ssh), for the SSH key path. Sets
# SSHD_PORT, SSH_CLIENT_KEY (authorized) and SSH_OTHER_KEY (not), and a HOME
# whose known_hosts trusts the server. Exits 77 (skipped) without sshd.
start_sshd() {
  local dir="$SP_TEST_TMP/ssh"
  [ -x /usr/sbin/sshd ] || { echo "SKIPPED: /usr/sbin/sshd missing (Debian package openssh-server)"; exit 77; }
  mkdir -p "$dir" && chmod 700 "$dir"
  [ "$(id -u)" != 0 ] || mkdir -p /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/other_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  SSHD_PORT=$(free_port)
  cat >"$dir/sshd_config" <<CONFIG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowUsers $(id -un)
CONFIG
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
  SP_SERVER_PIDS+=($!)
  wait_for_port "$SSHD_PORT"
  export HOME="$SP_TEST_TMP/user-home"
  mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
  echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$HOME/.ssh/known_hosts"
  SSH_CLIENT_KEY="$dir/client_key"
  SSH_OTHER_KEY="$dir/other_key"
}
