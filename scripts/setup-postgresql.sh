#!/usr/bin/env bash
# Installs Debian's PostgreSQL server programs (initdb, pg_ctl) for the centre and its tests, if they
# are not there yet. Only the programs are needed: the tests and `npm run central:start` run clusters
# of their own in folders; the package's default cluster is not used (and not started here).
set -euo pipefail
have_pg() {
  if [ -n "${WATCHDESK_PG_BIN:-}" ] && [ -x "$WATCHDESK_PG_BIN/initdb" ] && [ -x "$WATCHDESK_PG_BIN/pg_ctl" ]; then return 0; fi
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then return 0; fi
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}
if have_pg; then
  echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1 || command -v initdb)"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql openssl >/dev/null
have_pg || { echo "postgresql: installed, but initdb/pg_ctl are still not found" >&2; exit 1; }
echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"
