#!/usr/bin/env bash
# Swap the TensorFlow in a venv for the version matrix.
# Usage: VENV=.venv-oldest bash tools/tf_version.sh newest|oldest|X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
OLDEST=2.18.1 # keep in step with TESTED_TF in tools/setup_cell.py
upgrade=()
case "${1:?usage: tf_version.sh newest|oldest|X.Y.Z}" in
  newest) spec="tensorflow-cpu"; upgrade=(--upgrade) ;;
  oldest) spec="tensorflow-cpu==$OLDEST" ;;
  *) spec="tensorflow-cpu==$1" ;;
esac
"$VENV/bin/python" -m pip install --quiet "${upgrade[@]}" "$spec"
"$VENV/bin/python" -c "import tensorflow as tf, keras; print('TensorFlow', tf.__version__, 'Keras', keras.__version__)"
