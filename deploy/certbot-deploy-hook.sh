#!/usr/bin/env bash
# certbot --deploy-hook: after a certificate is issued or renewed, copies it to /etc/polyphony/tls/<name>/
# for Polyphony's TURN over TLS (and TLS_CERT_FILE/TLS_KEY_FILE, if Polyphony ends TLS itself), readable by
# the polyphony group only: Let's Encrypt's own copy is root's alone. Then reloads nginx, which reads its
# copy from /etc/letsencrypt. Polyphony reads its certificate at start: restart it in a quiet hour.
# certbot sets RENEWED_LINEAGE (/etc/letsencrypt/live/<name>). POLYPHONY_TLS_DIR and POLYPHONY_GROUP change
# the defaults.
set -euo pipefail
lineage="${RENEWED_LINEAGE:?certbot sets RENEWED_LINEAGE for a deploy hook}"
target="${POLYPHONY_TLS_DIR:-/etc/polyphony/tls}/$(basename "$lineage")"
group="${POLYPHONY_GROUP:-polyphony}"
install -d -m 0750 -g "$group" "$target"
# Written under temporary names and renamed, so that a start never reads half a file or a new key with an old chain.
install -m 0640 -g "$group" "$lineage/fullchain.pem" "$target/.fullchain.pem.new"
install -m 0640 -g "$group" "$lineage/privkey.pem" "$target/.privkey.pem.new"
mv -f "$target/.fullchain.pem.new" "$target/fullchain.pem"
mv -f "$target/.privkey.pem.new" "$target/privkey.pem"
echo "Copied $(basename "$lineage") to $target; restart Polyphony in a quiet hour so that TURN uses it." >&2
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then systemctl reload nginx; fi
