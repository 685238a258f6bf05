#!/usr/bin/env bash
# Runs the unit tests only: everything without the trait Category=Integration, i.e. no PostgreSQL, no test
# server, no child process, no network peer. Needs only the .NET SDK (no setup.sh); takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build DbTls.slnx
dotnet test DbTls.slnx --no-build --filter "Category!=Integration" "$@"
