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
if [ -n "${DBTLS_NATIVE:-}" ]; then
  dbtls=$DBTLS_NATIVE
else
  ./scripts/setup.sh >/dev/null
  dbtls=$(bench_native)
fi
# shellcheck source=lib-server.sh
. "$repo/bench/lib-server.sh" tds

mkdir -p "$dir/nmap"
printf 'ms-sql-s\t%s/tcp\t0.5\n' "$port" >"$dir/nmap/nmap-services"
run_nmap() { nmap -Pn -n -sT -p "$port" --datadir "$dir/nmap" --script ssl-enum-ciphers -oX - 127.0.0.1; }
run_dbtls() { "$dbtls" scan "127.0.0.1:$port" --protocol tds --format json; }

# Connections one run opens to the server: its connect() calls to the port, under strace.
connections() {
  strace -f -qq -e trace=connect -o "$dir/strace" "$@" >/dev/null 2>&1 || true
  grep -c "htons($port)" "$dir/strace" || true
}

for _ in 1 2 3; do run_nmap >/dev/null 2>&1 || true; run_dbtls >/dev/null 2>&1 || true; done
declare -A walls=()
for _ in $(seq "$iterations"); do
  for tool in nmap dbtls; do
    walls[$tool]+="$(bench_wall "run_$tool") "
  done
done

printf '\nSQL Server (TDS test server, PRELOGIN): every accepted version and suite, server order; %d runs each, interleaved\n' "$iterations"
printf '%-26s %10s %10s %14s %16s\n' tool "median ms" "mean ms" "connections" "tool/dbtls wall"
dm=$(printf '%s\n' ${walls[dbtls]} | bench_median)
for tool in nmap dbtls; do
  m=$(printf '%s\n' ${walls[$tool]} | bench_median)
  a=$(printf '%s\n' ${walls[$tool]} | bench_mean)
  c=$(connections "run_$tool")
  label=$tool
  case $tool in
    nmap) label="nmap $(nmap --version | awk 'NR==1 {print $3}') ssl-enum-ciphers" ;;
    dbtls) label="dbtls scan (NativeAOT)" ;;
  esac
  awk -v l="$label" -v m="$m" -v a="$a" -v c="$c" -v d="$dm" 'BEGIN { printf "%-26s %10.1f %10.1f %14d %16.2f\n", l, m / 1000, a / 1000, c, m / d }'
done

run_dbtls >"$dir/dbtls.json" || true
run_nmap >"$dir/nmap.xml" 2>/dev/null
printf '\naccepted set and order compared with dbtls:\n'
python3 "$repo/bench/scan-compare.py" "$dir/dbtls.json" "$dir/nmap.xml" || true
