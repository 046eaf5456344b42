#!/usr/bin/env bash
# Run every test: nbval over each chapter in a fresh kernel, provenance and hygiene
# of the notebooks, the offline data mirror, and the site build.
# Usage: bash tools/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/venv.sh
bash tools/get_data.sh
bash tools/node_tools.sh
exec "$VENV/bin/python" -m pytest "$@"
