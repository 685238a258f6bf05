#!/usr/bin/env bash
# Benchmark: one verified PostgreSQL connection, end to end, the native dbtls (what scripts/install.sh installs)
# against psql (libpq 15) in the same run on the same server. Each iteration is a fresh process doing the same
# work: TCP connect, SSLRequest, TLS handshake with sslmode=verify-full and sslrootcert=FILE, SCRAM-SHA-256 login,
# one pg_stat_ssl query. Prints median/mean wall time, peak RSS and the ratios dbtls/psql.
#
#   bench/connect.sh [ITERATIONS]        (default 30; BENCH_JIT=1 adds the JIT build against psql)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-30}

say() { printf '== %s\n' "$*" >&2; }
# shellcheck source=lib.sh
. "$repo/bench/lib.sh"

./scripts/setup.sh >/dev/null
dbtls=$(bench_native)

# shellcheck source=../scripts/lib/tls-postgres.sh
. "$repo/scripts/lib/tls-postgres.sh" >/dev/null

conninfo="host=localhost port=$port user=$user password=$password dbname=postgres sslmode=verify-full sslrootcert=$dir/root.crt"
sql="select ssl from pg_stat_ssl where pid = pg_backend_pid()"

run_psql() { PGCONNECT_TIMEOUT=10 "${bench_wrap[@]}" "$psql" -X -tA -d "$conninfo" -c "$sql"; }
run_dbtls() { "${bench_wrap[@]}" "$dbtls" check "$conninfo" --format json; }

# Every client must actually succeed before it is timed.
[ "$(run_psql)" = t ] || { echo "psql could not connect" >&2; exit 1; }
run_dbtls >/dev/null || { echo "dbtls could not connect" >&2; exit 1; }

printf '\nPostgreSQL 18: verified connection + SCRAM login + pg_stat_ssl query, one process each\n'
bench_pair "$iterations" "psql (libpq 15)" run_psql "dbtls (NativeAOT)" run_dbtls
if [ "${BENCH_JIT:-0}" = 1 ]; then
  dotnet build src/DbTls.Cli -c Release --no-restore --verbosity quiet -nologo >/dev/null
  jit=$repo/src/DbTls.Cli/bin/Release/net10.0/dbtls
  run_jit() { "${bench_wrap[@]}" "$jit" check "$conninfo" --format json; }
  bench_pair "$iterations" "psql (libpq 15)" run_psql "dbtls (JIT)" run_jit
fi
