#!/usr/bin/env bash
# Installs dbtls as users run it: one NativeAOT executable, $PREFIX/bin/dbtls (PREFIX defaults to ~/.local).
# Needs only the .NET SDK; installs the two Debian packages the native linker needs (clang, zlib1g-dev) when
# missing, publishes through scripts/publish-native.sh and copies the binary. Prints the installed path.
#
#   scripts/install.sh                    -> ~/.local/bin/dbtls
#   PREFIX=/usr/local scripts/install.sh  -> /usr/local/bin/dbtls
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-$HOME/.local}
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

missing=()
for package in clang zlib1g-dev; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" = installed ] || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install: installing ${missing[*]} (NativeAOT linker prerequisites)" >&2
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

built=$(./scripts/publish-native.sh "$PWD/.artifacts/native")
mkdir -p "$prefix/bin"
install -m 0755 "$built" "$prefix/bin/dbtls"
echo "$prefix/bin/dbtls"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "install: $prefix/bin is not on PATH; add it, or run $prefix/bin/dbtls" >&2 ;;
esac
