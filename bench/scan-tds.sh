#!/usr/bin/env bash
# Benchmark: scanning one SQL Server endpoint (TDS 7.x: TLS inside PRELOGIN) for every accepted TLS version and
# suite and their order, the native dbtls against nmap's ssl-enum-ciphers (which wraps TLS in PRELOGIN only on a
# port its services file calls ms-sql-s; sslscan cannot), on the test project's TDS server hosted out of process
# (bench/lib-server.sh), interleaved (nmap, dbtls, nmap, ...), one fresh process each, after 3 warm-ups.
# Prints per tool: median and mean wall time, the TCP connections it opened (counted in one more run of each under
# strace, outside the timed runs, since this server keeps no connection log), the ratio to dbtls; and whether
# nmap's accepted (version, suite) set and per-version order equal dbtls'.
#
#   bench/scan-tds.sh [ITERATIONS]        (default 10)
#   DBTLS_NATIVE=/path/to/dbtls bench/scan-tds.sh 7    (measure that binary; skips setup and publishing)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-10}

# shellcheck source=lib.sh
. "$repo/bench/lib.sh"
# shellcheck source=scan-lib.sh
. "$repo/bench/scan-lib.sh"
dbtls=$(scan_dbtls_binary)
# shellcheck source=lib-server.sh
. "$repo/bench/lib-server.sh" tds

mkdir -p "$dir/nmap"
printf 'ms-sql-s\t%s/tcp\t0.5\n' "$port" >"$dir/nmap/nmap-services"
nmap_command=(nmap -Pn -n -sT -p "$port" --datadir "$dir/nmap" --script ssl-enum-ciphers -oX - 127.0.0.1)
dbtls_command=("$dbtls" scan "127.0.0.1:$port" --protocol tds --format json)
run_nmap() { "${nmap_command[@]}"; }
run_dbtls() { "${dbtls_command[@]}"; }

# The connections one run opens to the server: its connect() calls to the port, under strace (not timed).
connections() {
  strace -f -qq -e trace=connect -o "$dir/strace" "$@" >/dev/null 2>&1 || true
  grep -c "htons($port)" "$dir/strace" || true
}

for _ in 1 2 3; do run_nmap >/dev/null 2>&1 || true; run_dbtls >/dev/null 2>&1 || true; done
declare -A walls=() conns=()
for _ in $(seq "$iterations"); do
  for tool in nmap dbtls; do
    walls[$tool]+="$(bench_wall "run_$tool") "
  done
done
conns[nmap]=$(connections "${nmap_command[@]}")
conns[dbtls]=$(connections "${dbtls_command[@]}")

printf '\nSQL Server (TDS test server, PRELOGIN): every accepted version and suite, server order; %d runs each, interleaved\n' "$iterations"
scan_table nmap dbtls

run_dbtls >"$dir/dbtls.json" || true
run_nmap >"$dir/nmap.xml" 2>/dev/null
printf '\naccepted set and order compared with dbtls:\n'
python3 "$repo/bench/scan-compare.py" "$dir/dbtls.json" "$dir/nmap.xml" || true
