#!/usr/bin/env bash
# Runs the whole test suite: installs prerequisites, builds, and runs every test against real peers.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p .artifacts
# The native end-to-end stage (tests/DbTls.Tests/EndToEnd/Native, Category=Native) runs the published
# NativeAOT binary, the one scripts/install.sh installs: publish it once here and hand it to the tests.
DBTLS_NATIVE_BINARY=$(./scripts/publish-native.sh "$PWD/.artifacts/native")
export DBTLS_NATIVE_BINARY
set +e
dotnet test DbTls.slnx --no-restore 2>&1 | tee .artifacts/test.log
status=${PIPESTATUS[0]}
set -e
# A short fuzz run (10^4 inputs per parser of server bytes, fuzz/README.md): a crash or a hang fails the run.
./fuzz/run.sh --inputs 10000 > .artifacts/fuzz.log 2>&1 || { tail -n 40 .artifacts/fuzz.log; status=1; }
# One plain summary line for CI: "N passed, N failed".
summary=$(grep -E "^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" .artifacts/test.log | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$summary")
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
fi
exit "$status"
