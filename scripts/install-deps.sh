#!/usr/bin/env bash
# Installs the Debian 12 packages fim-lsp needs, skipping what is already there.
# Usage: scripts/install-deps.sh [--editors] [--fuzz]   (--editors: also Neovim, Emacs + eglot,
# Node.js and npm, unzip: what the editor tests and the VS Code extension's build need; --fuzz:
# clang-16 and libFuzzer, for scripts/fuzz.sh)
set -euo pipefail
packages=(g++ cmake make libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev doctest-dev
  clang-format-14 ca-certificates)
for flag in "$@"; do
  case "$flag" in
  --editors)
    packages+=(neovim emacs-nox elpa-eglot unzip)
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
    ;;
  --fuzz) packages+=(clang-16 libfuzzer-16-dev libclang-rt-16-dev) ;;
  *) echo "unknown flag $flag" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
