#!/usr/bin/env bash
# Makes a LiveKit server binary available for the embedded video server and prints its absolute path as the
# last line of stdout; progress goes to stderr. Lookup order (server/livekit/findBinary.ts mirrors it):
#   $LIVEKIT_SERVER_BIN, `livekit-server` on PATH, the cached build, then a fresh pinned build with Go.
# With --optional a failure is only a warning (exit 0, no path): the app then runs without video.
set -euo pipefail

# The one place the pinned version lives: bump it here and delete the cached binary to rebuild.
LIVEKIT_VERSION="v1.13.5"
MODULE="github.com/livekit/livekit-server/cmd/server"

optional=false
for arg in "$@"; do
  case "$arg" in
    --optional) optional=true ;;
    *) echo "usage: $0 [--optional]" >&2; exit 2 ;;
  esac
done

fail() {
  if [ "$optional" = true ]; then
    echo "warning: $1 Video will be unavailable; the shared notes still work." >&2
    exit 0
  fi
  echo "error: $1" >&2
  exit 1
}

# Absolute path of an existing file, without needing GNU realpath (macOS has none by default).
absolute() {
  printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"
}

if [ -n "${LIVEKIT_SERVER_BIN:-}" ]; then
  if [ -x "$LIVEKIT_SERVER_BIN" ] && [ -f "$LIVEKIT_SERVER_BIN" ]; then
    absolute "$LIVEKIT_SERVER_BIN"
    exit 0
  fi
  echo "LIVEKIT_SERVER_BIN=$LIVEKIT_SERVER_BIN is not an executable file; looking elsewhere…" >&2
fi

if on_path="$(command -v livekit-server 2>/dev/null)" && [ -n "$on_path" ]; then
  absolute "$on_path"
  exit 0
fi

cache_bin="${POLYPHONY_CACHE:-$HOME/.cache/polyphony}/bin"
cached="$cache_bin/livekit-server"
if [ -x "$cached" ]; then
  absolute "$cached"
  exit 0
fi

# `go install` names the binary after its package folder (`server`); an earlier run may have stopped
# before renaming it.
if [ ! -x "$cache_bin/server" ]; then
  command -v go >/dev/null 2>&1 ||
    fail "No LiveKit server found and Go is not installed to build one (install Go, or set LIVEKIT_SERVER_BIN)."
  mkdir -p "$cache_bin"
  echo "Building livekit-server $LIVEKIT_VERSION into $cache_bin (a few minutes, once)…" >&2
  CGO_ENABLED=0 GOBIN="$(cd "$cache_bin" && pwd)" go install "$MODULE@$LIVEKIT_VERSION" >&2 ||
    fail "Building livekit-server $LIVEKIT_VERSION with Go failed (see the output above)."
fi
mv "$cache_bin/server" "$cached"
absolute "$cached"
