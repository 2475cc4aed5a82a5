#!/usr/bin/env bash
# Prints the golden corpus's pass counts per category as the README's Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/.."
"${BUILD_DIR:-build}"/tests/fim_tests -ts='suggestion corpus' -tc='every golden*' |
  awk '/^  [a-z-]+: [0-9]+ \/ [0-9]+$/ { sub(":", "", $1); printf "| %s | %s / %s |\n", $1, $2, $4 }'
