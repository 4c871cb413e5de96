#!/usr/bin/env bash
# A throw-away Redis (Debian's redis-server) for the cluster tests, `npm run cluster` and trying REDIS_URL by hand.
#
#   eval "$(bash scripts/redis.sh start [--owner-pid PID])"   # exports REDIS_URL and POLYPHONY_REDIS_DIR
#   bash scripts/redis.sh url "$POLYPHONY_REDIS_DIR"           # prints its REDIS_URL again
#   bash scripts/redis.sh stop "$POLYPHONY_REDIS_DIR"          # stops it and removes its directory
#   bash scripts/redis.sh pause "$POLYPHONY_REDIS_DIR"         # stops it at once (SIGKILL, a crash), keeps its files
#   bash scripts/redis.sh resume "$POLYPHONY_REDIS_DIR"        # starts it again: same port, password and data
#   bash scripts/redis.sh run -- COMMAND [ARGS…]               # COMMAND with REDIS_URL set, then stops it
#   bash scripts/redis.sh ensure                               # installs Debian's redis-server if missing
#
# The server runs as an unprivileged user (as root it runs as `nobody`, like scripts/postgres.sh), in a new
# private directory under TMPDIR. It must listen on TCP (LiveKit's Redis client cannot use a Unix socket), so
# it binds 127.0.0.1 only, on a free port, and needs a random password: other users of the machine can reach
# loopback ports. The append-only file is on (fsync every second), as an operator would run it: LiveKit keeps
# its room-to-node map in Redis, and a Redis restarted empty would let a running room be created again on
# another node. With --owner-pid, a watcher stops the server once that process is gone.
set -euo pipefail

REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
REDIS_CLI=${REDIS_CLI:-/usr/bin/redis-cli}

ensure() {
  if [ -x "$REDIS_SERVER" ] && [ -x "$REDIS_CLI" ]; then return 0; fi
  bash "$(dirname "$0")/ensure-redis.sh"
  [ -x "$REDIS_SERVER" ] || { echo "redis-server was installed but $REDIS_SERVER is not there (REDIS_SERVER points elsewhere?)" >&2; exit 1; }
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

# Only directories this script made: url, pause, resume and stop act on nothing else.
own_dir() {
  local command=$1 dir=$2
  case $(basename "$dir") in
    polyphony-redis.*) ;;
    *) echo "redis.sh $command: $dir is not a directory this script made" >&2; exit 2 ;;
  esac
  [ -f "$dir/redis.conf" ] || { echo "redis.sh $command: $dir has no redis.conf" >&2; exit 1; }
}

setting() { sed -n "s/^$2 //p" "$1/redis.conf"; }

ping() {
  local dir=$1
  REDISCLI_AUTH=$(setting "$dir" requirepass) "$REDIS_CLI" -h 127.0.0.1 -p "$(setting "$dir" port)" ping 2>/dev/null | grep -q PONG
}

# True if something already listens on the port (bash's /dev/tcp connects or fails at once on loopback).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the server of `dir` with its config; waits until it answers. start and resume share this.
start_server() {
  local dir=$1
  as_server_user "$dir" "$REDIS_SERVER" "$dir/redis.conf" >/dev/null
  for _ in $(seq 1 100); do
    ping "$dir" && return 0
    sleep 0.1
  done
  return 1
}

write_config() {
  local dir=$1 port=$2 password=$3
  umask 077
  cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
requirepass $password
dir $dir
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
appendonly yes
appendfsync everysec
save ""
CONF
  if [ "$(id -u)" -eq 0 ]; then chown nobody:"$(id -g nobody)" "$dir/redis.conf"; fi
}

start() {
  local owner_pid=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner-pid) owner_pid=$2; shift 2 ;;
      *) echo "redis.sh start: unknown option $1" >&2; exit 2 ;;
    esac
  done
  ensure
  local dir password port attempt
  dir=$(mktemp -d "${TMPDIR:-/tmp}/polyphony-redis.XXXXXX")
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown nobody:"$(id -g nobody)" "$dir"; fi
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # A port is free when chosen and may be taken before Redis binds it: a few tries with fresh ports.
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 30000))
    port_taken "$port" && continue
    write_config "$dir" "$port" "$password"
    if start_server "$dir"; then
      if [ -n "$owner_pid" ]; then
        # Detached and without the caller's pipes, so that whoever reads this script's output is not kept waiting.
        setsid bash "$0" watch "$owner_pid" "$dir" </dev/null >/dev/null 2>&1 &
      fi
      echo "export REDIS_URL='$(url "$dir")'"
      echo "export POLYPHONY_REDIS_DIR='$dir'"
      return 0
    fi
    kill_server "$dir"
    [ "$attempt" -lt 5 ] || { tail -n 20 "$dir/redis.log" >&2 || true; rm -rf "$dir"; exit 1; }
  done
}

url() {
  local dir=${1:?usage: redis.sh url DIR}
  own_dir url "$dir"
  echo "redis://default:$(setting "$dir" requirepass)@127.0.0.1:$(setting "$dir" port)"
}

kill_server() {
  local dir=$1 pid
  pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -KILL "$pid" 2>/dev/null || true
  # Daemonized, it is not our child: once dead it may linger as a zombie until its reaper runs.
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
  rm -f "$dir/redis.pid"
}

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

stop() {
  local dir=${1:?usage: redis.sh stop DIR}
  case $(basename "$dir") in polyphony-redis.*) ;; *) own_dir stop "$dir" ;; esac
  [ -d "$dir" ] || return 0
  own_dir stop "$dir"
  if ping "$dir"; then
    REDISCLI_AUTH=$(setting "$dir" requirepass) "$REDIS_CLI" -h 127.0.0.1 -p "$(setting "$dir" port)" shutdown nosave >/dev/null 2>&1 || true
  fi
  # shutdown returns before the process has gone; the pid file goes last.
  for _ in $(seq 1 50); do [ -f "$dir/redis.pid" ] || break; sleep 0.1; done
  kill_server "$dir"
  rm -rf "$dir"
}

pause() {
  local dir=${1:?usage: redis.sh pause DIR}
  own_dir pause "$dir"
  kill_server "$dir"
}

resume() {
  local dir=${1:?usage: redis.sh resume DIR}
  own_dir resume "$dir"
  if ! start_server "$dir"; then
    tail -n 20 "$dir/redis.log" >&2 || true
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
  [ $# -gt 0 ] || { echo "usage: redis.sh run -- COMMAND [ARGS…]" >&2; exit 2; }
  local exports
  exports=$(start)
  eval "$exports"
  trap 'stop "$POLYPHONY_REDIS_DIR"' EXIT
  "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  ensure) ensure ;;
  start) start "$@" ;;
  url) url "$@" ;;
  stop) stop "$@" ;;
  pause) pause "$@" ;;
  resume) resume "$@" ;;
  watch) watch "$@" ;;
  run) run "$@" ;;
  *) echo "usage: redis.sh ensure | start [--owner-pid PID] | url DIR | stop DIR | pause DIR | resume DIR | run -- COMMAND [ARGS…]" >&2; exit 2 ;;
esac
