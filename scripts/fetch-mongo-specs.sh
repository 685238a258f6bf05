#!/usr/bin/env bash
# Fetches the MongoDB specification test files (connection-string, uri-options, initial-dns-seedlist-discovery)
# at a pinned commit of github.com/mongodb/specifications into .artifacts/mongo-specs/source/, verifying each
# file's sha256 against scripts/mongo-specs.sha256. They are not vendored: that repository is CC BY-NC-SA
# (tests/DbTls.Tests/Dialects/Mongo/Spec/README.md). The Mongo spec test runners find the folder by themselves.
#
#   scripts/fetch-mongo-specs.sh                 download with curl (raw files at the pinned commit)
#   scripts/fetch-mongo-specs.sh --from-git DIR  take the files from a local clone (git dir or work tree)
#
# Exit 0 when every file is present and verified; 1 otherwise (setup.sh calls it best effort).
set -euo pipefail
cd "$(dirname "$0")/.."

commit=92b3c0b9287bfba1b0ec4084300858d05c654f8c
manifest=scripts/mongo-specs.sha256
dest=.artifacts/mongo-specs
from_git=""
if [ "${1:-}" = "--from-git" ]; then
  from_git="${2:?--from-git needs a directory}"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/mongo-specs.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

failed=0
while read -r sum path; do
  case "$sum" in '#'* | '') continue ;; esac
  out="$tmp/$path"
  mkdir -p "$(dirname "$out")"
  if [ -n "$from_git" ]; then
    git -C "$from_git" show "$commit:$path" >"$out" 2>/dev/null || { echo "fetch-mongo-specs: $path missing at $commit in $from_git" >&2; failed=1; continue; }
  else
    curl -fsSL --retry 2 --max-time 30 "https://raw.githubusercontent.com/mongodb/specifications/$commit/$path" -o "$out" \
      || { echo "fetch-mongo-specs: could not download $path (no network?); the Mongo spec suites stay skipped" >&2; exit 1; }
  fi
  if [ "$(sha256sum "$out" | cut -d' ' -f1)" != "$sum" ]; then
    echo "fetch-mongo-specs: sha256 mismatch for $path" >&2
    failed=1
  fi
done <"$manifest"

if [ "$failed" -ne 0 ]; then
  echo "fetch-mongo-specs: nothing installed; the Mongo spec suites stay skipped" >&2
  exit 1
fi

rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp/source" "$dest/source"
echo "$commit" >"$dest/COMMIT"
echo "fetch-mongo-specs: $(grep -c '^[0-9a-f]' "$manifest") files of mongodb/specifications@$commit in $dest/source"
