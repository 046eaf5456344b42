# Sourced by build.sh and test.sh: create .venv and install requirements.txt and the
# book's tools (pyproject.toml: the package `tools`, editable, so every tool and test
# imports it with no sys.path edits) when it is missing or older than either file.
# Set PYTHON to choose the interpreter.
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ] || [ requirements.txt -nt "$VENV/.installed" ] ||
  [ pyproject.toml -nt "$VENV/.installed" ]; then
  echo "Installing requirements into $VENV (a few minutes the first time)..."
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt
  "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  touch "$VENV/.installed"
fi
