#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs the C++ tests (unit, end to end
# over pipes, real Neovim and Emacs sessions) and the VS Code extension's build, tests and packaging.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --editors
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure
editors/vscode/test.sh
