#!/usr/bin/env bash
# Makes Debian's redis-server available for the cluster tests and `npm run cluster`. Only the binaries are
# used: scripts/redis.sh starts a private Redis on loopback with its own directory, port and password; the
# package's own service is never started by us.
set -euo pipefail
if [ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Redis is missing: run 'sudo apt-get install -y redis-server' (Debian's package), then try again." >&2
  exit 1
fi
echo "Installing Debian's redis-server package…" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }
# The package starts its own service where an init system runs; ours does not need it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
