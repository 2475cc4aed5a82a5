#!/usr/bin/env bash
# Builds, tests and packages the VS Code extension: npm ci, type-checked build, node --test on
# the settings mapping, a load check of the bundle, and a self-contained .vsix.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
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

# The bundle carries the dependencies, so node_modules stays out of the package.
npx vsce package --no-dependencies --out fim-lsp.vsix
unzip -l fim-lsp.vsix | grep -q 'extension/dist/extension.js'
echo "packaged $(pwd)/fim-lsp.vsix"
