#!/usr/bin/env bash
# Makes Debian's nftables and iproute2 available for the tests that need a network of their own:
# tests/e2e/udpBlocked.test.ts (a browser whose network drops UDP) and tests/integration/deployFiles.test.ts
# (loading deploy/nftables/polyphony.nft). Those tests make network namespaces and so run only as root; as
# another user this script does nothing and they are skipped, saying why.
set -euo pipefail
if command -v nft >/dev/null 2>&1 && command -v ip >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then exit 0; fi
echo "Installing Debian's nftables and iproute2 packages…" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nftables iproute2 >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nftables iproute2 >/dev/null; }
