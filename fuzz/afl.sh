#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ and SharpFuzz (see fuzz/README.md).
#   fuzz/afl.sh TARGET [SECONDS]      default 600 s; findings in fuzz/afl/findings/TARGET (crashes/, hangs/, queue/)
# Installs what it needs when missing: afl-fuzz (Debian package afl++) and the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/afl.sh TARGET [SECONDS]}
seconds=${2:-600}
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz > /dev/null || apt-get install -y afl++ >&2
command -v sharpfuzz > /dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >&2

# A separate output folder: the instrumented DbTls.Core.dll must not end up in the plain harness.
dotnet build DbTls.Fuzz/DbTls.Fuzz.csproj -c Release --nologo -v quiet -clp:ErrorsOnly -o afl/bin >&2
# Every time: an incremental build copies the plain DbTls.Core.dll back over the instrumented one
# (and keeps its old timestamp), so a date check cannot tell. An instrumented file is left as it is.
sharpfuzz afl/bin/DbTls.Core.dll | grep -v "already instrumented" >&2 || true

mkdir -p "afl/findings"
# AFL_SKIP_CRASHES: the corpus holds regression inputs that crash until their fix lands; AFL must not refuse to start on them.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_CRASHES=1
# -t: the per-input limit in ms (the .NET runtime's first input includes JIT time); -m none: the CLR reserves far more address space than AFL's default limit.
exec afl-fuzz -V "$seconds" -t 10000 -m none -i "corpus/$target" -o "afl/findings/$target" -- dotnet afl/bin/DbTls.Fuzz.dll afl "$target"
