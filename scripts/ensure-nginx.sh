#!/usr/bin/env bash
# Makes Debian's nginx available for tests/integration/nginx.test.ts, which checks the shipped deploy/nginx
# configuration with `nginx -t` and runs it in front of a test server. Only the binary is used: the test
# starts nginx itself on loopback ports, with its own pid, log and temp paths.
set -euo pipefail
if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is missing: run 'sudo apt-get install -y nginx-light' (Debian's package), then try again." >&2
  exit 1
fi
echo "Installing Debian's nginx-light package…" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; }
