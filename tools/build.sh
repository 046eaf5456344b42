#!/usr/bin/env bash
# Install everything into .venv (first run only) and build the site into _build/html:
# the English book at its root, the Korean edition under _build/html/ko/, and the
# book as a PDF for each edition (with Debian's Chromium).
# Usage: bash tools/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/environments/venv.sh
bash tools/publish/vendor_assets.sh  # the site's MathJax, icons and Hangul font, from npm
# The Korean book (ko/) from the English notebooks and locales/ko: writes only what
# changed, so after an English or translation edit ko/ is current again.
"$VENV/bin/python" tools/derive/i18n.py build >/dev/null
# The learner and practice copies Colab opens (learner/, practice/), both editions.
"$VENV/bin/python" tools/derive/learner.py >/dev/null
# Both editions' status pages, from the recorded run and the translation counts.
"$VENV/bin/python" tools/publish/status.py >/dev/null
start=$SECONDS
"$VENV/bin/python" tools/publish/build_site.py
echo "Site built in $((SECONDS - start)) s: open _build/html/index.html"
# The whole book as one PDF per edition (_build/html/book.pdf, _build/html/ko/book.pdf),
# printed from the site by Debian's Chromium (Playwright never downloads a browser).
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null; then
  start=$SECONDS
  "$VENV/bin/python" tools/publish/pdf.py
  echo "PDFs printed in $((SECONDS - start)) s: _build/html/book.pdf, _build/html/ko/book.pdf"
else
  echo "No Chromium: the PDF was skipped (apt-get install chromium, or set CHROMIUM=/path)."
fi
