#!/usr/bin/env bash
# Real peers the tests talk to, besides Python: node-oidc-provider (npm `oidc-provider`) at the
# version in tests/oidc/OIDC_PROVIDER_VERSION, under var/node-oidc (git-ignored). The single
# sign-on tests (tests/test_single_sign_on_provider.py) start it on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(cat tests/oidc/OIDC_PROVIDER_VERSION)
installed=$(node -p "require('./var/node-oidc/node_modules/oidc-provider/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
  echo "Installing oidc-provider $version from npm"
  npm install --silent --no-audit --no-fund --prefix var/node-oidc "oidc-provider@${version}"
fi
