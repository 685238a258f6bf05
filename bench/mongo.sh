#!/usr/bin/env bash
# Benchmark: one MongoDB connection with TLS verified against a CA file, SCRAM-SHA-256 and one command, the native
# dbtls against MongoDB.Driver (a small .NET console program: the test assembly's `mongodriver-ping`, trusting only
# the test CA through SSL_CERT_FILE), same MongoDB test server (the test project's, hosted out of process), same run.
# Prints median/mean wall time, peak RSS and the ratios dbtls/driver.
#
#   bench/mongo.sh [ITERATIONS]     (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
iterations=${1:-30}
# shellcheck source=lib.sh
. "$repo/bench/lib.sh"
./scripts/setup.sh >/dev/null
dbtls=$(bench_native)
# shellcheck source=lib-server.sh
. "$repo/bench/lib-server.sh" mongo
mkdir -p "$dir/no-system-roots"

uri="mongodb://$user:$password@localhost:$port/?tls=true&directConnection=true"
probe=$repo/tests/DbTls.Tests/bin/Debug/net10.0/DbTls.Tests.dll
run_driver() { SSL_CERT_FILE=$dir/root.pem SSL_CERT_DIR=$dir/no-system-roots "${bench_wrap[@]}" dotnet "$probe" mongodriver-ping "$uri"; }
run_dbtls() { "${bench_wrap[@]}" "$dbtls" check "$uri&tlsCAFile=$dir/root.pem" --format json; }

[ "$(run_driver)" = connected ] || { echo "MongoDB.Driver could not connect" >&2; exit 1; }
run_dbtls >/dev/null || { echo "dbtls could not connect" >&2; exit 1; }

printf '\nMongoDB (test server): TLS with a CA file, SCRAM-SHA-256, one command, one process each\n'
bench_pair "$iterations" "MongoDB.Driver 3.14 (JIT console)" run_driver "dbtls (NativeAOT)" run_dbtls
