#!/usr/bin/env bash
# Install everything into .venv (first run only) and build the site into _build/html.
# Usage: bash tools/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/venv.sh
bash tools/vendor_assets.sh  # the site's MathJax and icons, from npm: reads offline
start=$SECONDS
"$VENV/bin/jupyter-book" build --warningiserror --nitpick --keep-going . 
echo "Site built in $((SECONDS - start)) s: open _build/html/index.html"
