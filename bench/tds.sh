#!/usr/bin/env bash
# Benchmark: one SQL Server connection with encryption required and the server certificate verified against a CA
# file, the native dbtls (`freetds:` dialect) against FreeTDS's tsql, same freetds.conf section, same TDS test server
# (the test project's, hosted out of process), same run. Each iteration is a fresh process: TCP, PRELOGIN, TLS
# inside PRELOGIN, LOGIN7, one query. Prints median/mean wall time, peak RSS and the ratios dbtls/tsql.
#
#   bench/tds.sh [ITERATIONS]     (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-30}
# shellcheck source=lib.sh
. "$repo/bench/lib.sh"
./scripts/setup.sh >/dev/null
dbtls=$(bench_native)
# shellcheck source=lib-server.sh
. "$repo/bench/lib-server.sh" tds

cat >"$dir/freetds.conf" <<CONF
[global]
    tds version = 7.4
[bench]
    host = localhost
    port = $port
    encryption = require
    ca file = $dir/root.pem
CONF
export FREETDSCONF=$dir/freetds.conf

run_tsql() { printf 'select 1\ngo\nexit\n' | "${bench_wrap[@]}" tsql -S bench -U "$user" -P "$password"; }
run_dbtls() { DBTLS_PASSWORD=$password "${bench_wrap[@]}" "$dbtls" check freetds:bench --user "$user" --format json; }

run_tsql | grep -q "row affected" || { echo "tsql could not connect" >&2; exit 1; }
run_dbtls >/dev/null || { echo "dbtls could not connect" >&2; exit 1; }

printf '\nSQL Server (TDS test server): encryption = require, ca file, SQL login, one query, one process each\n'
bench_pair "$iterations" "tsql (FreeTDS 1.3, GnuTLS)" run_tsql "dbtls (NativeAOT)" run_dbtls
