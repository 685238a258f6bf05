#!/usr/bin/env bash
# Quick start: installs the native dbtls (scripts/install.sh: ~/.local/bin/dbtls, or $PREFIX/bin), then a
# throw-away PostgreSQL 18 with TLS on a free port and the installed `dbtls check` against it.
# Installs prerequisites, makes a fresh CA and server certificate with openssl, starts the server as the
# postgres account, creates a login role, runs dbtls and prints its report. The server and every file
# are removed on exit, even on failure. Exits with dbtls' exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

say() { printf '\n== %s\n' "$*"; }

say "Installing prerequisites and the native dbtls"
./scripts/setup.sh
dbtls=$(./scripts/install.sh)
echo "installed $dbtls"

# The server: see scripts/lib/tls-postgres.sh.
# shellcheck source=lib/tls-postgres.sh
. "$repo/scripts/lib/tls-postgres.sh"

# libpq's own view of the same connection, so the demo shows something even before dbtls does.
say "psql (libpq 15) with sslmode=verify-full"
PGCONNECT_TIMEOUT=10 "$psql" -X -tA \
  -d "host=localhost port=$port user=$user password=$password dbname=postgres sslmode=verify-full sslrootcert=$dir/root.crt" \
  -c "select 'ssl=' || ssl || ' version=' || version || ' cipher=' || cipher from pg_stat_ssl where pid = pg_backend_pid()"

say "dbtls check \"host=localhost port=$port user=$user password=******** dbname=postgres sslmode=verify-full sslrootcert=$dir/root.crt\""
set +e
"$dbtls" check \
  "host=localhost port=$port user=$user password=$password dbname=postgres sslmode=verify-full sslrootcert=$dir/root.crt"
status=$?
set -e
echo
echo "dbtls exit code: $status"
exit "$status"
