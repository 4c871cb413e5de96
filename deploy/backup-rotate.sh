#!/usr/bin/env bash
# One `polyphony backup` of DATA_DIR into BACKUP_DIR, named by its UTC time, then removes the backups there
# older than BACKUP_KEEP_DAYS (default 14). Prints the backup's JSON answer. Run by polyphony-backup.service;
# safe while the server runs. Old backups are removed only after a new one was written.
set -euo pipefail
if [ $# -ne 1 ]; then echo "usage: $0 BACKUP_DIR   (DATA_DIR and BACKUP_KEEP_DAYS from the environment)" >&2; exit 2; fi
backup_dir="$1"
keep_days="${BACKUP_KEEP_DAYS:-14}"
case "$keep_days" in ''|*[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days, got \"$keep_days\"" >&2; exit 2 ;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
node="$root/node_modules/node/bin/node"
[ -x "$node" ] || node="$(command -v node)"
umask 077
mkdir -p "$backup_dir"
"$node" "$root/server/cli/main.ts" backup --out "$backup_dir/polyphony-$(date -u +%Y%m%dT%H%M%SZ).backup" --json
find "$backup_dir" -maxdepth 1 -type f -name 'polyphony-*.backup' -mtime "+$keep_days" -delete
