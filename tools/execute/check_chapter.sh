#!/usr/bin/env bash
# Check chapters while writing them, before they are in _toc.yml: shared cells in
# sync, provenance, hygiene, ruff, and nbval in a fresh offline kernel.
# Usage: bash tools/execute/check_chapter.sh book/07_activation_functions.ipynb [...]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || { echo "usage: $0 book/NN_topic.ipynb [...]" >&2; exit 2; }
export BOOK_CHAPTERS="$*"
exec .venv/bin/python -m pytest -n0 "$@" tests/test_hygiene.py tests/test_provenance.py \
  --deselect tests/test_hygiene.py::test_every_book_notebook_is_in_the_toc
