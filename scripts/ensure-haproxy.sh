#!/usr/bin/env bash
# Makes Debian's HAProxy available for the tests that check the shipped deploy/haproxy configuration with
# `haproxy -c` and run it on loopback in front of several instances (tests/integration/haproxy.test.ts,
# scripts/cluster/). Only the binary is used: the tests start HAProxy themselves, in the foreground, with
# their own ports and files; the package's own service is left as the package sets it up.
set -euo pipefail
if [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "haproxy is missing: run 'sudo apt-get install -y haproxy' (Debian's package), then try again." >&2
  exit 1
fi
echo "Installing Debian's haproxy package…" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null; }
