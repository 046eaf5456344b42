# Sourced by build.sh and test.sh: create .venv and install requirements.txt when
# it is missing or older than requirements.txt. Set PYTHON to choose the interpreter.
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ] || [ requirements.txt -nt "$VENV/.installed" ]; then
  echo "Installing requirements into $VENV (a few minutes the first time)..."
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt
  touch "$VENV/.installed"
fi
