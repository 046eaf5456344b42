#!/usr/bin/env bash
# Fetch the browser assets the site would otherwise load from CDNs, from npm, into
# .offline-data/site-static/offline/ (gitignored). The build copies that folder into
# _build/html/_static/offline/ (html_static_path in _config.yml), and
# tools/publish/offline_site.py points every page at those copies, so the site reads the
# same opened from disk, on localhost, or with the network cut.
#   mathjax@3.2.2      -> offline/mathjax/  (es5: tex-chtml.js, tex-svg.js, fonts)
#   font-awesome@4.7.0 -> offline/font-awesome/  (icons of matplotlib's animation player)
#   @fontsource/nanum-gothic@5.3.0 -> offline/nanum-gothic/  (Hangul: woff2 files split
#       by unicode-range, so a page downloads only the pieces its characters need)
# Usage: bash tools/publish/vendor_assets.sh   (build.sh runs it; a no-op once done)
set -euo pipefail
cd "$(dirname "$0")/../.."
PACKAGES=(mathjax@3.2.2 font-awesome@4.7.0 @fontsource/nanum-gothic@5.3.0)
NPM=.offline-data/site-npm
OUT=.offline-data/site-static/offline
STAMP="$OUT/.packages"
ready() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "${PACKAGES[*]}" ]; }
ready && exit 0
# Builds may run side by side (pytest workers): one fetches, the others wait.
mkdir -p .offline-data
exec 9>.offline-data/site-static.lock
if command -v flock >/dev/null; then
  flock 9
else # macOS has no flock(1): the same lock (flock(2) on fd 9), taken through Python
  "${PYTHON:-python3}" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX)'
fi
ready && exit 0
if ! command -v npm >/dev/null; then
  echo "npm is needed once to fetch the site's MathJax and icon font" \
       "(apt-get install npm), then run this again." >&2
  exit 1
fi
echo "Fetching the site's browser assets from npm: ${PACKAGES[*]}"
mkdir -p "$NPM"
npm install --silent --no-audit --no-fund --no-save --prefix "$NPM" "${PACKAGES[@]}"
rm -rf "$OUT"
mkdir -p "$OUT/font-awesome"
cp -r "$NPM/node_modules/mathjax/es5" "$OUT/mathjax"
# Only the combined builds the pages use (the rest is 10 MB the site never loads).
rm -f "$OUT"/mathjax/{mml-*,tex-mml-svg,tex-*-full*,node-main}.js
cp -r "$NPM/node_modules/font-awesome/css" "$NPM/node_modules/font-awesome/fonts" \
  "$OUT/font-awesome/"
# Regular and bold, woff2 only (every browser that reads the site reads woff2).
FONT="$NPM/node_modules/@fontsource/nanum-gothic"
mkdir -p "$OUT/nanum-gothic/files"
for weight in 400 700; do
  sed -E 's/, url\([^)]*\.woff\) format\(.woff.\)//' "$FONT/$weight.css" \
    >"$OUT/nanum-gothic/$weight.css"
  cp "$FONT"/files/nanum-gothic-*-"$weight"-normal.woff2 "$OUT/nanum-gothic/files/"
done
cp "$FONT/LICENSE" "$OUT/nanum-gothic/"
echo "${PACKAGES[*]}" >"$STAMP"
