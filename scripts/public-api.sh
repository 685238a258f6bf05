#!/usr/bin/env bash
# Records DbTls.Core's public API in src/DbTls/PublicAPI.Shipped.txt, from what the build reports as undeclared.
# The build fails (RS0016/RS0017) whenever the public surface changes; run this after a deliberate change and
# review the diff of PublicAPI.Shipped.txt like any other code: every line is a promise to library users.
set -euo pipefail
cd "$(dirname "$0")/.."
api=src/DbTls/PublicAPI.Shipped.txt
printf '#nullable enable\n' > "$api"
printf '#nullable enable\n' > src/DbTls/PublicAPI.Unshipped.txt
symbols=$(dotnet build src/DbTls/DbTls.csproj --no-restore 2>&1 \
  | grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | LC_ALL=C sort -u || true)
{ printf '#nullable enable\n'; [ -n "$symbols" ] && printf '%s\n' "$symbols"; } > "$api"
dotnet build src/DbTls/DbTls.csproj --no-restore -v quiet -clp:ErrorsOnly
echo "$(($(wc -l < "$api") - 1)) public symbols in $api"
