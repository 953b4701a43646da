#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend under static/vendor/govuk-frontend/ from npm.
#
# Brand-neutral: the CSS is compiled from the Sass source with a system font stack, so it has
# no @font-face and no GDS Transport; no fonts, crown, crest or GOV.UK icons are copied.
# npm runs in a temporary directory; node_modules never enters the repository. The built files
# are committed, so running the app needs no Node.
#
# Usage: scripts/vendor-frontend.sh   (needs node and npm)
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
SASS_VERSION="1.108.2"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor/govuk-frontend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION"

cat > stocktake-govuk.scss <<'SCSS'
@use "govuk-frontend/dist/govuk" with (
  $govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/static/vendor/govuk-frontend/assets/"
);
SCSS

npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  stocktake-govuk.scss govuk-frontend.min.css

# Fail rather than ship a font, or refer to an asset we do not vendor. The one url() left is
# the crest of .govuk-footer__copyright-logo, a class our templates never use.
if grep -Eq '@font-face|GDS Transport|/fonts/' govuk-frontend.min.css \
  || grep -o 'url([^)]*)' govuk-frontend.min.css | grep -qv 'images/govuk-crest.svg'; then
  echo "vendor-frontend: compiled CSS still refers to fonts or other assets" >&2
  exit 1
fi

dist="node_modules/govuk-frontend/dist/govuk"
rm -rf "$dest"
mkdir -p "$dest"
cp govuk-frontend.min.css "$dest/"
# Without its source map: collectstatic's manifest storage fails on a missing .map file.
sed 's#//\# sourceMappingURL=.*$##' "$dist/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"
echo "GOV.UK Frontend, MIT licence: https://github.com/alphagov/govuk-frontend" > "$dest/LICENSE"
echo "govuk-frontend $GOVUK_FRONTEND_VERSION, built with sass $SASS_VERSION" > "$dest/VERSION"
echo "Vendored GOV.UK Frontend $GOVUK_FRONTEND_VERSION into ${dest#"$root"/}"
ls -l "$dest"
