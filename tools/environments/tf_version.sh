#!/usr/bin/env bash
# Swap the TensorFlow in a venv for the version matrix. "oldest" is the oldest
# version the book supports (TF_OLDEST in tools/environments/versions.py, its one definition);
# "newest" the newest on PyPI, for the weekly drift run.
# Usage: VENV=.venv-oldest bash tools/environments/tf_version.sh newest|oldest|X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-.venv}"
choice="${1:?usage: tf_version.sh newest|oldest|X.Y.Z}"
# The package requirements.txt installs here: tensorflow-cpu on Linux, else tensorflow.
package=tensorflow-cpu
[ "$(uname -s)" = Linux ] || package=tensorflow
# The arguments for pip are built with `set --` rather than in an array: bash 3.2
# (macOS) stops at an empty array under `set -u`.
case "$choice" in
  newest) set -- --upgrade "$package" ;;
  oldest)
    version=$("$VENV/bin/python" tools/environments/versions.py oldest)
    set -- "$package==$version"
    ;;
  *) set -- "$package==$choice" ;;
esac
"$VENV/bin/python" -m pip install --quiet "$@"
"$VENV/bin/python" -c "import tensorflow as tf, keras; print('TensorFlow', tf.__version__, 'Keras', keras.__version__)"
