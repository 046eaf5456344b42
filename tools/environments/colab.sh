#!/usr/bin/env bash
# The Colab profile: every chapter on Colab's Python and packages (requirements-colab.txt,
# read from Colab's published package list), run the way Colab opens it: the learner
# copy alone in an empty folder, google.colab imported (a stand-in), the setup cell's
# pip installs included, no network in the kernel (tools/execute/execute.py --colab). Its
# quiz and demos must show; then the chapters' key claims and the quiz keys are
# checked on those fresh outputs (tools/execute/fresh_claims.sh), as for the version matrix.
# Usage: bash tools/environments/colab.sh [--prepare | book/NN_x.ipynb ...]
# (--prepare: install the venv and stop; .ci/run does that while the suite runs)
# Colab's Python comes from COLAB_PYTHON, else pythonX.Y on PATH (pyenv's shims do),
# else uv installs it (it downloads from GitHub, so only where that is reachable).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv-colab
want=$(python3 -m tools.environments.versions colab-python)
is_wanted() { [ -n "$1" ] && [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; }
python="${COLAB_PYTHON:-}"
if [ -n "$python" ] && ! is_wanted "$python"; then
  echo "COLAB_PYTHON=$python is not Python $want (Colab's, requirements-colab.txt)" >&2
  exit 1
fi
# pythonX.Y on PATH, else pyenv's newest X.Y (its shim answers only when selected).
for candidate in "$(command -v "python$want" || true)" \
  $(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)/versions/$want".*/bin/python 2>/dev/null | sort -V -r); do
  [ -z "$python" ] && is_wanted "$candidate" && python="$candidate"
done
if [ -z "$python" ]; then
  echo "No Python $want found: installing it with uv (set COLAB_PYTHON to use another)."
  python3 -m pip install --quiet --user "uv==0.13.9"
  python3 -m uv python install "$want"
  python=$(python3 -m uv python find "$want")
fi
# What the venv must hold: the package list and the constraints. It is reinstalled
# when either changes (a changed requirements.txt alone may not change it), or the
# tools' package (pyproject.toml).
wanted="$(python3 -m tools.environments.versions colab-packages)
$(python3 -c 'import hashlib, sys; print(*(hashlib.sha256(open(f, "rb").read()).hexdigest() for f in sys.argv[1:]))' requirements-colab.txt pyproject.toml)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing Colab's packages into $VENV (a few minutes the first time)..."
  "$python" -m venv --clear "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  # shellcheck disable=SC2046  # one package a line, no spaces
  "$VENV/bin/python" -m pip install --quiet -c requirements-colab.txt \
    $(python3 -m tools.environments.versions colab-packages)
  # The book's tools (pyproject.toml), without dependencies: the chapters' fresh
  # executions and their claims tests import them.
  "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  printf '%s\n' "$wanted" >"$VENV/.installed"
fi
"$VENV/bin/python" -c "import sys, tensorflow as tf, keras, numpy; print('Colab profile: Python', sys.version.split()[0], 'TensorFlow', tf.__version__, 'Keras', keras.__version__, 'NumPy', numpy.__version__)"
[ "${1:-}" = --prepare ] && exit 0
VENV="$VENV" exec bash tools/execute/fresh_claims.sh --colab "$@"
