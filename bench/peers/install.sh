#!/usr/bin/env bash
# Installs the peers the comparison bench runs (bench/peers/README in bench/README.md) into
# bench/peers/.deps (git-ignored), outside the project's dependencies: PostGraphile 4 needs
# graphql 15 in its own tree, which the project's graphql 16 override would otherwise replace.
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deps="$here/.deps"
version="4.14.1"
if [ -f "$deps/node_modules/postgraphile/package.json" ] &&
  [ "$(node -p "require('$deps/node_modules/postgraphile/package.json').version")" = "$version" ]; then
  echo "postgraphile $version already in $deps"
  exit 0
fi
mkdir -p "$deps"
# A package.json of its own, so npm does not walk up to the project's (and its overrides).
[ -f "$deps/package.json" ] || echo '{ "name": "fusion-bench-peers", "private": true }' >"$deps/package.json"
npm install --prefix "$deps" --no-audit --no-fund --save-exact "postgraphile@$version"
echo "installed postgraphile $version into $deps"
