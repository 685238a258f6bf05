#!/usr/bin/env bash
# Benchmark: scanning one PostgreSQL 18 endpoint (SSLRequest) for every accepted TLS version and suite and their
# order, the native dbtls against nmap's ssl-enum-ciphers and sslscan, in the same run on the same server,
# interleaved (nmap, sslscan, dbtls, nmap, ...), one fresh process each, after 3 warm-ups.
# Prints per tool: median and mean wall time, the TCP connections the server accepted, the ratio to dbtls;
# and whether each peer's accepted (version, suite) set and per-version order equal dbtls', with the difference.
#
# Connections are counted at the server: PostgreSQL 18 logs every accepted connection with log_connections=receipt
# ("connection received: ..."), so one run's count is the number of such lines it added to the server log.
#
#   bench/scan.sh [ITERATIONS]        (default 10)
#   DBTLS_NATIVE=/path/to/dbtls bench/scan.sh 7    (measure that binary; skips setup and publishing)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-10}

say() { printf '== %s\n' "$*" >&2; }
# shellcheck source=lib.sh
. "$repo/bench/lib.sh"

# shellcheck source=scan-lib.sh
. "$repo/bench/scan-lib.sh"
dbtls=$(scan_dbtls_binary)

# shellcheck source=../scripts/lib/tls-postgres.sh
. "$repo/scripts/lib/tls-postgres.sh" >/dev/null
echo "log_connections = 'receipt'" >>"$dir/data/demo.conf"
as_postgres "$pg18bin/pg_ctl" -D "$dir/data" reload >/dev/null
sleep 0.5 # the postmaster rereads the file asynchronously after the signal

# nmap speaks PostgreSQL's SSLRequest only on a port its services file calls postgresql. --servicedb would imply
# -F, which nmap refuses with -p; a data directory holding only nmap-services overrides just that file.
mkdir -p "$dir/nmap"
printf 'postgresql\t%s/tcp\t0.5\n' "$port" >"$dir/nmap/nmap-services"
run_nmap() { nmap -Pn -n -sT -p "$port" --datadir "$dir/nmap" --script ssl-enum-ciphers -oX - 127.0.0.1; }
run_sslscan() { sslscan --xml=- --no-colour --no-heartbleed --no-renegotiation --no-compression --no-fallback --no-check-certificate --starttls-psql "127.0.0.1:$port"; }
run_dbtls() { "$dbtls" scan "127.0.0.1:$port" --protocol postgres --format json; }

accepts() { grep -c 'connection received' "$dir/server.log" || true; }
# One run of a tool: its wall time in microseconds and the connections the server accepted during it.
measure() {
  local before after wall
  before=$(accepts)
  wall=$(bench_wall "$1")
  after=$(accepts)
  echo "$wall $((after - before))"
}

for _ in 1 2 3; do run_nmap >/dev/null 2>&1 || true; run_sslscan >/dev/null 2>&1 || true; run_dbtls >/dev/null 2>&1 || true; done
declare -A walls=() conns=()
for _ in $(seq "$iterations"); do
  for tool in nmap sslscan dbtls; do
    read -r wall count < <(measure "run_$tool")
    walls[$tool]+="$wall "
    conns[$tool]+="$count "
  done
done

printf '\nPostgreSQL 18 (SSLRequest): every accepted version and suite, server order; %d runs each, interleaved\n' "$iterations"
scan_table nmap sslscan dbtls

run_dbtls >"$dir/dbtls.json" || true
run_nmap >"$dir/nmap.xml" 2>/dev/null
run_sslscan >"$dir/sslscan.xml" 2>/dev/null
printf '\naccepted set and order compared with dbtls:\n'
python3 "$repo/bench/scan-compare.py" "$dir/dbtls.json" "$dir/nmap.xml" "$dir/sslscan.xml" || true
