#!/usr/bin/env bash
# Publishes the dbtls users run: one NativeAOT executable (src/DbTls.Cli sets PublishAot and the runtime
# settings; InvariantGlobalization comes from Directory.Build.props). scripts/install.sh installs it, the
# native end-to-end tests (tests/DbTls.Tests/EndToEnd/Native) and bench/ run exactly this output.
#
#   scripts/publish-native.sh [OUTPUT_DIR]     (default .artifacts/native; prints the binary's path)
# Needs clang and zlib1g-dev (scripts/apt-packages.txt; scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$PWD/.artifacts/native}
mkdir -p "$out"
out=$(cd "$out" && pwd)
dotnet publish src/DbTls.Cli -c Release -r linux-x64 -o "$out" -nologo --verbosity quiet >&2
test -x "$out/dbtls"
echo "$out/dbtls"
