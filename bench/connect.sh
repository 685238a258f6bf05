#!/usr/bin/env bash
# Benchmark: one verified PostgreSQL connection, end to end, dbtls against psql (libpq 15) in the
# same run on the same server. Each iteration is a fresh process doing the same work: TCP connect,
# SSLRequest, TLS handshake with sslmode=verify-full, SCRAM-SHA-256 login, one pg_stat_ssl query.
# Prints milliseconds per connection (median and mean) and the ratio dbtls/psql.
#
#   bench/connect.sh [ITERATIONS]        (default 30; set BENCH_AOT=1 to add the NativeAOT binary)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-30}

say() { printf '== %s\n' "$*" >&2; }

./scripts/setup.sh >/dev/null
dotnet build src/DbTls.Cli -c Release --no-restore --verbosity quiet -nologo >/dev/null
jit=$repo/src/DbTls.Cli/bin/Release/net10.0/dbtls
aot=""
if [ "${BENCH_AOT:-0}" = 1 ]; then
  dotnet publish src/DbTls.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$repo/.artifacts/aot" --verbosity quiet -nologo >/dev/null
  aot=$repo/.artifacts/aot/dbtls
fi

# shellcheck source=../scripts/lib/tls-postgres.sh
. "$repo/scripts/lib/tls-postgres.sh" >/dev/null

conninfo="host=localhost port=$port user=$user password=$password dbname=postgres sslmode=verify-full sslrootcert=$dir/root.crt"
sql="select ssl from pg_stat_ssl where pid = pg_backend_pid()"

# Runs "$@" $iterations times after 3 warm-ups; prints the elapsed milliseconds of each run.
measure() {
  for _ in 1 2 3; do "$@" >/dev/null; done
  for _ in $(seq "$iterations"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
  done
}

stats() { sort -n | awk '{ v[NR] = $1; s += $1 } END { printf "%.2f %.2f\n", v[int((NR + 1) / 2)] / 1000, s / NR / 1000 }'; }

run_psql() { PGCONNECT_TIMEOUT=10 "$psql" -X -tA -d "$conninfo" -c "$sql"; }
run_dbtls() { "$1" check "$conninfo" --format json; }

# Every client must actually succeed before it is timed.
[ "$(run_psql)" = t ] || { echo "psql could not connect" >&2; exit 1; }
run_dbtls "$jit" >/dev/null || { echo "dbtls could not connect" >&2; exit 1; }

read -r psql_median psql_mean < <(measure run_psql | stats)
read -r jit_median jit_mean < <(measure run_dbtls "$jit" | stats)
printf '\nverified connection + login + pg_stat_ssl query, %d iterations each, ms per connection\n' "$iterations"
printf '%-28s %10s %10s %16s\n' client median mean "ratio (median)"
printf '%-28s %10s %10s %16s\n' "psql (libpq 15, peer)" "$psql_median" "$psql_mean" "1.00"
printf '%-28s %10s %10s %16.2f\n' "dbtls (JIT)" "$jit_median" "$jit_mean" "$(awk -v a="$jit_median" -v b="$psql_median" 'BEGIN { print a / b }')"
if [ -n "$aot" ]; then
  read -r aot_median aot_mean < <(measure run_dbtls "$aot" | stats)
  printf '%-28s %10s %10s %16.2f\n' "dbtls (NativeAOT)" "$aot_median" "$aot_mean" "$(awk -v a="$aot_median" -v b="$psql_median" 'BEGIN { print a / b }')"
fi
