#!/usr/bin/env bash
# Builds, tests and packages the VS Code extension: npm ci, type-checked build, node --test on
# the settings mapping, a load check of the bundle, and a self-contained .vsix.
set -euo pipefail
cd "$(dirname "$0")"

# The build tools (vsce 3 and its undici 7) need Node >= 20.18.1, the strictest engines.node in
# package-lock.json. An older Node on PATH (Debian 12's nodejs is 18) is left as it is: this
# script then uses a pinned Node and npm, unpacked from their npm registry packages into .node/.
node_min=20.18.1 node_pin=24.22.3 npm_pin=11.21.2
node_new_enough() {
  command -v node >/dev/null && node -e '
    const have = process.versions.node.split(".").map(Number), need = process.argv[1].split(".").map(Number);
    for (let i = 0; i < 3; i++) if (have[i] !== need[i]) process.exit(have[i] > need[i] ? 0 : 1);' "$node_min"
}
if ! node_new_enough; then
  dir=$PWD/.node/node-$node_pin-npm-$npm_pin
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null || { echo "npm is needed (scripts/install-deps.sh --editors installs it)" >&2; exit 1; }
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "no Node package for $(uname -m)" >&2; exit 1 ;; esac
    echo "Node $(node -v 2>/dev/null || echo "(none)") is older than $node_min: fetching Node $node_pin and npm $npm_pin into $PWD/.node"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$node_pin" "npm@$npm_pin" >/dev/null)
    mkdir -p "$tmp/node/lib/npm"
    tar xzf "$tmp/node-linux-$arch-$node_pin.tgz" -C "$tmp/node" --strip-components=1 package/bin/node package/LICENSE
    tar xzf "$tmp/npm-$npm_pin.tgz" -C "$tmp/node/lib/npm" --strip-components=1
    ln -s ../lib/npm/bin/npm-cli.js "$tmp/node/bin/npm"
    ln -s ../lib/npm/bin/npx-cli.js "$tmp/node/bin/npx"
    rm -rf .node && mkdir .node       # drops the ones of earlier pins
    mv "$tmp/node" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
fi
echo "node $(node -v), npm $(npm -v)"

npm ci --no-audit --no-fund --engine-strict
npx tsc -p .                      # type check + out/ for the unit tests
node esbuild.mjs                  # dist/extension.js with vscode-languageclient inside
node --test out/test/*.test.js

# The bundle must load with nothing but the "vscode" module from the host.
node -e '
const Module = require("module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return new Proxy({}, { get: () => function () {} });
  return load.call(this, request, ...rest);
};
const ext = require("./dist/extension.js");
if (typeof ext.activate !== "function" || typeof ext.deactivate !== "function") {
  console.error("dist/extension.js exports no activate/deactivate");
  process.exit(1);
}
console.log("bundle loads: activate/deactivate exported");
'

# The platform package carries fim-lsp itself, release-built (scripts/build.sh) and stripped; the
# extension uses it unless fimLsp.serverPath is set. FIM_LSP_BINARY names another build.
case "$(uname -m)" in x86_64) target=linux-x64 ;; aarch64) target=linux-arm64 ;; *) target= ;; esac
server=${FIM_LSP_BINARY:-../../${BUILD_DIR:-build}/fim-lsp}
[ -x "$server" ] || { echo "no fim-lsp at $server: run scripts/build.sh fim-lsp first (or set FIM_LSP_BINARY)" >&2; exit 1; }
rm -rf bin && mkdir bin
strip -o bin/fim-lsp "$server"
chmod 755 bin/fim-lsp
env -i bin/fim-lsp --version >/dev/null # runs with nothing on PATH

# The bundle carries the dependencies, so node_modules stays out of the package.
npx vsce package --no-dependencies ${target:+--target "$target"} --out fim-lsp.vsix
unzip -l fim-lsp.vsix extension/dist/extension.js >/dev/null   # exits 11 when it is not there
unzip -l fim-lsp.vsix extension/bin/fim-lsp >/dev/null
echo "packaged $(pwd)/fim-lsp.vsix (${target:-any platform}, with bin/fim-lsp)"
