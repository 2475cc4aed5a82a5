#!/usr/bin/env bash
# Installs what is missing, builds fim-lsp, and completes examples/fib.py at its cursor mark:
# against DashScope when DASHSCOPE_API_KEY is set, else against the local test backend.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh fim-lsp fim-test-backend   # only what the example needs
target=examples/fib.py:7:12
echo "--- fim-lsp complete $target"
if [ -n "${DASHSCOPE_API_KEY:-}" ]; then
  exec build/fim-lsp complete "$target"
fi
echo "DASHSCOPE_API_KEY is not set (export DASHSCOPE_API_KEY=sk-... from Alibaba Model Studio to use DashScope); using the LOCAL TEST BACKEND instead:"
ready=$(mktemp)
rm -f "$ready"
build/tests/fim-test-backend --ready-file "$ready" --first-delay-ms 150 --chunk-delay-ms 10 \
  --completion 'fib(n - 1) + fib(n - 2)' >/dev/null 2>&1 &
backend=$!
trap 'kill $backend 2>/dev/null; rm -f "$ready"' EXIT
for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
[ -s "$ready" ] || { echo "the local test backend did not start"; exit 1; }
base_url=$(sed -E 's/.*"baseUrl":"([^"]*)".*/\1/' "$ready")
ca_file=$(sed -E 's/.*"caFile":"([^"]*)".*/\1/' "$ready")
build/fim-lsp complete "$target" --base-url "$base_url" --ca-file "$ca_file"
echo
