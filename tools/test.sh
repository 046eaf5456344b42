#!/usr/bin/env bash
# Run every test: the suite in tests/ (provenance and hygiene of the notebooks, their
# claims, prose numbers and quiz keys, the offline data mirror, the site build, the
# site and its PDF in a browser, ...), then the verification run (tools/execute/verify.py:
# every chapter under nbval, one at a time in a fresh kernel, exact on the kind of
# machine that made the outputs, within measured tolerances on any other), timed
# against the run-time budgets (tools/measure/benchmark.py): the one execution of each
# chapter the tests make.
# Usage: bash tools/test.sh              everything
#        bash tools/test.sh ARGS...      only pytest ARGS (e.g. -m fast, book/05_*.ipynb)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/environments/venv.sh
bash tools/data/get_data.sh
bash tools/lint/node_tools.sh
if [ "$#" -gt 0 ]; then
  exec "$VENV/bin/python" -m pytest "$@"
fi
status=0
"$VENV/bin/python" -m pytest || status=$?
# The verification run: each chapter once, under nbval, in a fresh offline kernel.
mkdir -p test-artifacts
"$VENV/bin/python" tools/execute/verify.py --record test-artifacts/verification.json ||
  status=$?
# The same run, timed against the budgets (in units of a reference training timed now).
"$VENV/bin/python" tools/measure/benchmark.py --from test-artifacts/verification.json ||
  status=$?
exit "$status"
