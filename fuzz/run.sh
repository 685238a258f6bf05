#!/usr/bin/env bash
# dbtls' fuzz harness (see fuzz/README.md).
#   fuzz/run.sh [SECONDS | --inputs N] [--seed S] [--timeout-ms T] [target...]   fuzz each target (default: all, 10 s each)
#   fuzz/run.sh --list                                                          the targets and what they reach
#   fuzz/run.sh --repro TARGET FILE                                             run one input, print what happened
#   fuzz/run.sh --harvest                                                       re-record fuzz/corpus from the test servers
# Exit status: 0 no crash, 1 crashes (saved under fuzz/crashes/), 2 usage, 3 a hang (the input is saved too).
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  --harvest)
    # The FuzzCorpus tests record what the test servers (real PostgreSQL 15, the TDS and MongoDB test
    # servers) send to dbtls and write it here; without the variable they only assert that it parses.
    DBTLS_FUZZ_CORPUS_OUT="$PWD/corpus" dotnet test ../tests/DbTls.Tests/DbTls.Tests.csproj --filter "Category=FuzzCorpus"
    exit $?
    ;;
esac

dotnet build DbTls.Fuzz/DbTls.Fuzz.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >&2
harness=(dotnet DbTls.Fuzz/bin/Release/net10.0/DbTls.Fuzz.dll)

case "${1:-}" in
  --list) exec "${harness[@]}" list ;;
  --repro) shift; exec "${harness[@]}" repro "$@" ;;
esac

args=()
if [[ "${1:-}" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  args+=(--seconds "$1")
  shift
fi

mkdir -p crashes
set +e
"${harness[@]}" "${args[@]}" "$@" | tee crashes/last-run.txt
status=${PIPESTATUS[0]}
set -e
awk '/^target=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } n++ }
     END { if (n) printf "total: %d targets, %d inputs, %d crashes, %d hangs\n", n, v["inputs"], v["crashes"], v["hangs"] }' crashes/last-run.txt
if [ "$status" -eq 3 ]; then echo "total: a hang stopped the run (see the HANG line above)"; fi
exit "$status"
