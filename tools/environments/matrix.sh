#!/usr/bin/env bash
# Version matrix: run every chapter against the oldest TensorFlow the book supports,
# in a second venv (.venv-oldest), offline like the main tests. Outputs may differ
# in the last digits from the saved ones (those come from the newest version), so
# instead of nbval each chapter is executed once (its own band checks must hold) and
# the chapters' key claims (tests/test_claims_*.py) are checked on those outputs.
# Usage: bash tools/environments/matrix.sh [--prepare | book/NN_x.ipynb ...]
# (--prepare: install the venv and stop; .ci/run does that while the suite runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
export VENV=.venv-oldest
source tools/environments/venv.sh
bash tools/environments/tf_version.sh oldest
[ "${1:-}" = --prepare ] && exit 0
exec bash tools/execute/fresh_claims.sh "$@"
