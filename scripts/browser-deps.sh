#!/usr/bin/env bash
# What the browser tests (tests/browser) need besides Python: Debian's Chromium, installed with
# apt-get only when it is missing, and axe-core from npm at the version in
# tests/browser/AXE_VERSION, under var/node (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

axe_version=$(cat tests/browser/AXE_VERSION)
installed=$(node -p "require('./var/node/node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$axe_version" ]; then
  echo "Installing axe-core $axe_version from npm"
  npm install --silent --no-audit --no-fund --prefix var/node "axe-core@${axe_version}"
fi
