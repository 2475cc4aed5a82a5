#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-16, ASan + UBSan) into build-fuzz/ and runs
# each for SECONDS (default 25) from its seed corpus tests/fuzz/corpus/<target>/. What the fuzzer
# finds goes to build-fuzz/found/<target>/, never into the tree; a crash, leak or sanitizer
# report stops the run with the input saved as build-fuzz/crash/<target>-*.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: the names of tests/fuzz/*_fuzz.cpp)
# FUZZ_SEED=N fixes libFuzzer's seed (CI does, so that its run is the one a developer can repeat);
# unset, each run explores anew.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
shift || true
scripts/install-deps.sh --fuzz
build=${BUILD_DIR:-build-fuzz}
BUILD_DIR=$build CMAKE_ARGS="-DFIM_LSP_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-16 ${CMAKE_ARGS:-}" scripts/build.sh fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do
    name=$(basename "$f" _fuzz.cpp)
    targets+=("$name")
  done
fi
mkdir -p "$build/crash" "$build/logs"
for t in "${targets[@]}"; do
  mkdir -p "$build/found/$t"
  log=$build/logs/$t.log
  if "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" ${FUZZ_SEED:+-seed=$FUZZ_SEED} -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crash/$t-" "$build/found/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    echo "fuzz-$t: ${seconds}s, $runs runs, $cov, $(ls "tests/fuzz/corpus/$t" | wc -l) seeds, no failure"
  else
    tail -60 "$log" >&2
    echo "fuzz-$t failed (log: $log, input: $build/crash/$t-*)" >&2
    exit 1
  fi
done
echo "fuzzing passed: ${#targets[@]} targets, ${seconds}s each"
