# Sourced by build.sh and test.sh: create .venv and install it when it is missing or
# was installed from other files. What goes in: requirements.lock (every package
# requirements.txt and requirements-chapters.txt need, pinned with hashes: the same
# files on every machine; tools/environments/lock.sh writes it), then torch by its pin
# (its CPU build where an index or a local wheel has one), then the book's tools
# (pyproject.toml: the package `tools`, editable, so every tool and test imports it
# with no sys.path edits). The venv records the SHA-256 of what it was installed
# from, not a time: a fresh checkout or a cached venv (CI) is judged by content.
# Set PYTHON to choose the interpreter.
VENV="${VENV:-.venv}"
installed_from=$(cat requirements.txt requirements-chapters.txt requirements.lock \
  pyproject.toml | sha256sum | cut -d" " -f1)
if [ ! -x "$VENV/bin/python" ] ||
  [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$installed_from" ]; then
  echo "Installing requirements into $VENV (a few minutes the first time)..."
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --require-hashes --no-deps -r requirements.lock
  torch=$(grep -E '^torch==' requirements-chapters.txt)
  "$VENV/bin/python" -m pip install --quiet "$torch"
  "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  "$VENV/bin/python" -m pip check
  echo "$installed_from" >"$VENV/.installed"
fi
