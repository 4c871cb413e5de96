#!/usr/bin/env bash
# A throw-away PostgreSQL 15 (Debian's packages) for the tests, CI and trying the PostgreSQL store by hand.
#
#   eval "$(bash scripts/postgres.sh start [--owner-pid PID])"   # exports DATABASE_URL, POLYPHONY_POSTGRES_DIR, PGHOST…
#   bash scripts/postgres.sh stop "$POLYPHONY_POSTGRES_DIR"      # stops it and removes its directory
#   bash scripts/postgres.sh pause "$POLYPHONY_POSTGRES_DIR"     # stops it at once (a crash, a lost database), keeps everything
#   bash scripts/postgres.sh resume "$POLYPHONY_POSTGRES_DIR"    # starts it again on the same data, same options
#   bash scripts/postgres.sh run -- COMMAND [ARGS…]              # COMMAND with DATABASE_URL set, then stops it
#   bash scripts/postgres.sh ensure                              # installs Debian's postgresql if missing
#
# The server runs as an unprivileged user (PostgreSQL refuses root: as root it runs as `nobody`), in a new
# private directory under TMPDIR, and listens only on a Unix socket in that directory (no TCP port, so
# nothing else on the machine can reach it and runs never collide). fsync, full_page_writes and
# synchronous_commit are on, as in production: what the tests call durable must be durable.
# With --owner-pid, a watcher stops the server once that process is gone (a test run that was killed).
# pause is `pg_ctl stop -m immediate`: no checkpoint, as if the server had crashed; resume recovers from the WAL.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# The superuser the tests connect as (the socket directory is private, so trust is scoped to its owner and root).
PG_ROLE=polyphony

ensure() {
  if [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL 15 is missing: run 'sudo apt-get install -y postgresql' (Debian's package), then try again." >&2
    exit 1
  fi
  echo "Installing Debian's postgresql package…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
  [ -x "$PG_BIN/postgres" ] || { echo "postgresql was installed but $PG_BIN/postgres is not there (PG_BIN points elsewhere?)" >&2; exit 1; }
}

# Runs a command as the user the server runs as, with a clean environment and a directory it may enter.
as_server_user() {
  local dir=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$dir" && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$@")
  else
    (cd "$dir" && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$@")
  fi
}

# Starts the server of `dir` on its data; start and resume share these options so that a resumed server is the same.
start_server() {
  local dir=$1
  as_server_user "$dir" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on -c full_page_writes=on -c synchronous_commit=on -c max_connections=200" \
    start >/dev/null
}

# Only directories this script made: pause, resume and stop act on nothing else.
own_dir() {
  local command=$1 dir=$2
  case $(basename "$dir") in
    polyphony-postgres.*) ;;
    *) echo "postgres.sh $command: $dir is not a directory this script made" >&2; exit 2 ;;
  esac
}

start() {
  local owner_pid=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner-pid) owner_pid=$2; shift 2 ;;
      *) echo "postgres.sh start: unknown option $1" >&2; exit 2 ;;
    esac
  done
  ensure
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/polyphony-postgres.XXXXXX")
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown nobody:"$(id -g nobody)" "$dir"; fi
  # --no-sync only for initdb's own files of a throw-away cluster; the running server syncs every commit.
  if ! as_server_user "$dir" "$PG_BIN/initdb" -D "$dir/data" -U "$PG_ROLE" --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  fi
  if ! start_server "$dir"; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    exit 1
  fi
  if [ -n "$owner_pid" ]; then
    # Detached and without the caller's pipes, so that whoever reads this script's output is not kept waiting.
    setsid bash "$0" watch "$owner_pid" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  echo "export DATABASE_URL='postgresql://$PG_ROLE@localhost/postgres?host=$dir'"
  echo "export POLYPHONY_POSTGRES_DIR='$dir'"
  # For psql and the other client tools, which do not read DATABASE_URL.
  echo "export PGHOST='$dir' PGUSER='$PG_ROLE' PGDATABASE=postgres"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR}
  own_dir stop "$dir"
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$dir" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

pause() {
  local dir=${1:?usage: postgres.sh pause DIR}
  own_dir pause "$dir"
  [ -d "$dir/data" ] || { echo "postgres.sh pause: $dir has no data directory" >&2; exit 1; }
  as_server_user "$dir" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null
}

resume() {
  local dir=${1:?usage: postgres.sh resume DIR}
  own_dir resume "$dir"
  [ -d "$dir/data" ] || { echo "postgres.sh resume: $dir has no data directory" >&2; exit 1; }
  if ! start_server "$dir"; then
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
  fi
}

watch() {
  local owner_pid=$1 dir=$2
  while kill -0 "$owner_pid" 2>/dev/null && [ -d "$dir" ]; do sleep 2; done
  stop "$dir"
}

run() {
  [ "${1:-}" = "--" ] && shift
  [ $# -gt 0 ] || { echo "usage: postgres.sh run -- COMMAND [ARGS…]" >&2; exit 2; }
  local exports
  exports=$(start)
  eval "$exports"
  trap 'stop "$POLYPHONY_POSTGRES_DIR"' EXIT
  "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  ensure) ensure ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  pause) pause "$@" ;;
  resume) resume "$@" ;;
  watch) watch "$@" ;;
  run) run "$@" ;;
  *) echo "usage: postgres.sh ensure | start [--owner-pid PID] | stop DIR | pause DIR | resume DIR | run -- COMMAND [ARGS…]" >&2; exit 2 ;;
esac
