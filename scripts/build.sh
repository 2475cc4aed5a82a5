#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR): everything (fim-lsp, its tests, test backend
# and benchmark), or only the CMake targets named, e.g. scripts/build.sh fim-lsp fim-test-backend.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
if [ $# -gt 0 ]; then
  cmake --build "$build" -j"$(nproc)" --target "$@"
else
  cmake --build "$build" -j"$(nproc)"
fi
