#!/usr/bin/env bash
# Makes Debian's Chromium available at /usr/bin/chromium for the browser tests and the PDF export (never a
# downloaded build), and poppler-utils' pdftotext, with which the tests read the exported PDF.
set -euo pipefail
if [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium or pdftotext is missing: run 'sudo apt-get install -y chromium poppler-utils' (Debian's packages), then try again." >&2
  exit 1
fi
echo "Installing Debian's chromium and poppler-utils packages…" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
