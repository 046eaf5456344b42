# Sourced by build.sh and test.sh: create .venv and install requirements.txt (with
# requirements-chapters.txt, what learners install) and the book's tools
# (pyproject.toml: the package `tools`, editable, so that every tool and test imports
# it with no sys.path edits) when the venv is missing or was installed from other
# files. The venv records the SHA-256 of what it was installed from, not a time: a
# fresh checkout or a cached venv (CI) is judged by content.
# Set PYTHON to choose the interpreter.
VENV="${VENV:-.venv}"
installed_from=$(cat requirements.txt requirements-chapters.txt pyproject.toml | sha256sum | cut -d" " -f1)
if [ ! -x "$VENV/bin/python" ] ||
  [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$installed_from" ]; then
  echo "Installing requirements into $VENV (a few minutes the first time)..."
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt
  "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  echo "$installed_from" >"$VENV/.installed"
fi
