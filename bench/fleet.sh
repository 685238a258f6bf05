#!/usr/bin/env bash
# Benchmark: one inventory of 1,000 TLS endpoints on loopback checked by the native dbtls (`check --targets`), beside
# the same inventory run sequentially through the peers a user would reach for (psql for PostgreSQL, tsql for TDS,
# `openssl s_client` for MongoDB's direct TLS) in the same run. Prints wall time and peak RSS of both and the ratios.
#
#   bench/fleet.sh [CONCURRENCY]          (default 64; BENCH_FLEET="PG TDS MONGO SILENT HOSTILE" sets the mix)
#
# The endpoints: a real PostgreSQL 18 (scripts/lib/tls-postgres.sh, SCRAM login, 20 inventory entries told apart by
# application_name) and, in one process (tests/DbTls.Tests/EndToEnd/Native/FleetBenchHost.cs), lightweight
# PostgreSQL listeners (SSLRequest, TLS, trust login, the pg_stat_ssl row), the TDS and MongoDB test servers, silent
# listeners (accept, never answer) and hostile ones (garbage after the SSLRequest). Every client verifies the
# certificate against the bench root (verify-full / encryption = require + ca file / tlsCAFile); every check has a
# 2 s limit, so a silent endpoint costs 2 s of one worker, not of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
concurrency=${1:-64}
read -r n_pg n_tds n_mongo n_silent n_hostile <<<"${BENCH_FLEET:-590 200 170 10 10}"
n_real=20

say() { printf '== %s\n' "$*" >&2; }
# shellcheck source=lib.sh
. "$repo/bench/lib.sh"

./scripts/setup.sh >/dev/null
dbtls=$(bench_native)
dotnet build tests/DbTls.Tests --no-restore --verbosity quiet -nologo >/dev/null

# shellcheck source=../scripts/lib/tls-postgres.sh
. "$repo/scripts/lib/tls-postgres.sh" >/dev/null
pg_dir=$dir pg_port=$port

# --- the lightweight endpoints, in one process, stopped when its stdin closes -------------------------------------
fleet_dir=$(mktemp -d /tmp/dbtls-fleet.XXXXXX)
mkfifo "$fleet_dir/stdin"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet "$repo/tests/DbTls.Tests/bin/Debug/net10.0/DbTls.Tests.dll" bench-fleet "$fleet_dir" \
  "$n_pg" "$n_tds" "$n_mongo" "$n_silent" "$n_hostile" "$user" "$password" <"$fleet_dir/stdin" >"$fleet_dir/ready" &
fleet_pid=$!
exec {fleet_stdin}>"$fleet_dir/stdin"
fleet_stop() {
  local status=$?
  set +e
  exec {fleet_stdin}>&-
  wait "$fleet_pid" 2>/dev/null
  rm -rf "$fleet_dir"
  (exit "$status")
  cleanup # tls-postgres.sh's: stops PostgreSQL 18, removes its dir, exits with the status it is called with
}
trap fleet_stop EXIT
for _ in $(seq 600); do
  [ -s "$fleet_dir/ready" ] && break
  kill -0 "$fleet_pid" 2>/dev/null || { echo "the fleet endpoints did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$fleet_dir/ready" ] || { echo "the fleet endpoints did not start in 60 s" >&2; exit 1; }
root=$fleet_dir/root.pem

# --- one inventory, one peer command per line --------------------------------------------------------------------
# freetds.conf: one section per TDS endpoint (the peer and dbtls read the same file); DBTLS_PASSWORD is the
# PostgreSQL 18 and TDS password (the lightweight PostgreSQL listeners trust every login).
{
  printf '[global]\n    tds version = 7.4\n    encryption = require\n    ca file = %s\n' "$root"
  awk '$1 == "tds" { printf "[tds%d]\n    host = localhost\n    port = %d\n", NR, $2 }' "$fleet_dir/endpoints.txt"
} >"$fleet_dir/freetds.conf"
export FREETDSCONF=$fleet_dir/freetds.conf
inventory=$fleet_dir/inventory.txt
peers=$fleet_dir/peers.txt
{
  for i in $(seq "$n_real"); do
    echo "host=localhost port=$pg_port user=$user dbname=postgres sslmode=verify-full sslrootcert=$pg_dir/root.crt connect_timeout=2 application_name=real$i"
  done
  awk -v root="$root" -v user="$user" '
    $1 == "pg" || $1 == "silent" || $1 == "hostile" { printf "host=localhost port=%d user=%s dbname=postgres sslmode=verify-full sslrootcert=%s connect_timeout=2\n", $2, user, root }
    $1 == "tds" { printf "freetds:tds%d\n", NR }
    $1 == "mongo" { printf "mongodb://localhost:%d/?authSource=admin&tls=true&tlsCAFile=%s&connectTimeoutMS=2000&serverSelectionTimeoutMS=2000\n", $2, root }
  ' "$fleet_dir/endpoints.txt"
} >"$inventory"
{
  for i in $(seq "$n_real"); do echo "pg localhost $pg_port $pg_dir/root.crt real$i"; done
  awk -v root="$root" '$1 == "tds" { print "tds tds" NR } $1 != "tds" { print ($1 == "mongo" ? "mongo" : "pg"), "localhost", $2, root, "-" }' "$fleet_dir/endpoints.txt"
} >"$peers"
total=$(wc -l <"$inventory")

# One peer connection: the same TLS settings and login as dbtls' entry, a 2 s limit, no retries.
run_peer_line() {
  local kind=$1 host=$2 port=${3:-} ca=${4:-} app=${5:-}
  case $kind in
    pg) PGPASSWORD=$password "${bench_wrap[@]}" timeout 3 "$psql" -X -tA -c "select ssl from pg_stat_ssl where pid = pg_backend_pid()" \
      -d "host=$host port=$port user=$user dbname=postgres sslmode=verify-full sslrootcert=$ca connect_timeout=2 application_name=$app" ;;
    tds) printf 'select 1\ngo\nexit\n' | "${bench_wrap[@]}" timeout 3 tsql -S "$host" -U "$user" -P "$password" ;;
    mongo) "${bench_wrap[@]}" timeout 3 openssl s_client -connect "$host:$port" -servername "$host" -verify_return_error -CAfile "$ca" -brief </dev/null ;;
  esac
}
run_peers() {
  local line
  # shellcheck disable=SC2086 # the line is the peer's words
  while read -r -u 3 line; do run_peer_line $line </dev/null >/dev/null 2>&1 || true; done 3<"$peers"
}
run_dbtls() {
  DBTLS_PASSWORD=$password "${bench_wrap[@]}" "$dbtls" check --targets "$inventory" --user "$user" \
    --concurrency "$concurrency" --timeout 2 --format ndjson >"$fleet_dir/results.ndjson" 2>"$fleet_dir/stderr" || true
}

# Warm the page cache of both clients once, then measure: peers once (sequential), dbtls three times.
run_dbtls
say "peers: $total connections, one after another"
t0=$(date +%s%N)
run_peers
t1=$(date +%s%N)
peer_ms=$(((t1 - t0) / 1000000))
# The peers' peak RSS: the largest of one process of each kind.
peer_rss=$(for kind in pg tds mongo; do
  line=$(grep -m 1 "^$kind " "$peers") || continue
  # shellcheck disable=SC2086 # the line is the peer's words
  bench_rss run_peer_line $line
done | sort -n | tail -n 1)

walls=() rss=()
for _ in 1 2 3; do
  walls+=("$(bench_wall run_dbtls)")
  rss+=("$(bench_rss run_dbtls)")
done
dbtls_ms=$(($(printf '%s\n' "${walls[@]}" | bench_median) / 1000))
dbtls_rss=$(printf '%s\n' "${rss[@]}" | bench_median)

# What the last run found, by kind of endpoint and exit code (0 ok, 3 failed: the silent and hostile ones).
results=$(jq -r '"exit \(.exitCode) \([.findings[]? | select(.severity != "info") | .code][0] // "")"' "$fleet_dir/results.ndjson" |
  sort | uniq -c | awk '{ printf "%s %s %s %s, ", $1, $2, $3, $4 }')
count=$(wc -l <"$fleet_dir/results.ndjson")

printf '\n%d endpoints (%d real PostgreSQL 18 entries, %d PostgreSQL listeners, %d TDS, %d MongoDB, %d silent, %d hostile), 2 s limit each\n' \
  "$total" "$n_real" "$n_pg" "$n_tds" "$n_mongo" "$n_silent" "$n_hostile"
printf '%-46s %12s %16s\n' client "wall s" "peak RSS MiB"
awk -v w="$peer_ms" -v r="$peer_rss" 'BEGIN { printf "%-46s %12.2f %16.1f\n", "psql / tsql / openssl s_client, sequential", w / 1000, r / 1024 }'
awk -v w="$dbtls_ms" -v r="$dbtls_rss" -v c="$concurrency" 'BEGIN { printf "%-46s %12.2f %16.1f\n", "dbtls check --targets (NativeAOT, concurrency " c ")", w / 1000, r / 1024 }'
awk -v d="$dbtls_ms" -v p="$peer_ms" -v dr="$dbtls_rss" -v pr="$peer_rss" \
  'BEGIN { printf "ratio dbtls/peers: wall %.3f, peak RSS %.2f (peers: the largest single client process)\n", d / p, dr / pr }'
printf 'dbtls results: %d lines, %s\n' "$count" "${results%, }"
printf 'goal: < 10 s wall, < 200 MiB peak RSS: %s\n' "$(awk -v d="$dbtls_ms" -v r="$dbtls_rss" 'BEGIN { print (d < 10000 && r < 204800) ? "met" : "MISSED" }')"
