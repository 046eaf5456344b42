#!/usr/bin/env bash
# Version matrix: run every chapter against the oldest TensorFlow the book supports,
# in a second venv (.venv-oldest), offline like the main tests. Outputs may differ
# in the last digits from the saved ones (those come from the newest version), so
# nbval runs in lax mode: every cell must run, and the chapters' own tolerance-band
# checks must hold.
set -euo pipefail
cd "$(dirname "$0")/.."
export VENV=.venv-oldest
source tools/venv.sh
bash tools/tf_version.sh oldest
exec "$VENV/bin/python" -m pytest --nbval-lax -k ipynb "$@"
