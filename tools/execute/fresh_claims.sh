#!/usr/bin/env bash
# Execute every chapter afresh and check its key claims on those new outputs.
# nbval compares the committed outputs digit by digit; this is for runs whose digits
# may rightly differ (the oldest TensorFlow, the full datasets online): each chapter
# runs once top to bottom (its own band checks must hold), then tests/test_claims_*
# and the quiz keys (tests/test_quiz_keys.py) read the printed values from the fresh
# copies instead of the committed ones.
# Usage: [VENV=.venv-oldest] [BOOK_ONLINE=1] bash tools/execute/fresh_claims.sh [--colab] [book/NN_x.ipynb ...]
# (--colab: run the learner copies as Colab opens them; tools/environments/colab.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-.venv}"
out="${BOOK_FRESH_DIR:-$(mktemp -d)}"
status=0
# Every chapter runs even when one fails; the claims of those that ran are checked.
"$VENV/bin/python" tools/execute/execute.py --out "$out" "$@" || status=$?
claims=()
for nb in "$out"/*.ipynb; do
  [ -e "$nb" ] || continue
  test_file="tests/test_claims_$(basename "$nb" | cut -c1-2).py"
  [ -e "$test_file" ] && claims+=("$test_file")
done
# The quiz keys that rest on computed results, when every chapter ran.
chosen=0
for arg in "$@"; do [ "${arg%.ipynb}" != "$arg" ] && chosen=$((chosen + 1)); done
[ "$chosen" -eq 0 ] && claims+=(tests/test_quiz_keys.py)
if [ "${#claims[@]}" -gt 0 ]; then
  BOOK_OUTPUTS="$out" "$VENV/bin/python" -m pytest -n 0 -q "${claims[@]}" || status=$?
fi
echo "fresh outputs in $out"
exit "$status"
