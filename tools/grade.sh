#!/usr/bin/env bash
# Grade a class's practice notebooks (tools/grade/grade.py): each submitted practice
# copy runs in a fresh offline kernel with time limits per cell and per notebook; the
# book's own checks grade it. Writes per chapter a learner x exercise table (CSV and
# HTML) and a summary into grades/ beside the folder (or --out DIR).
# Usage: bash tools/grade.sh SUBMISSIONS_DIR [--out DIR] [--cell-timeout S]
#                                             [--notebook-timeout S]
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/environments/venv.sh
bash tools/data/get_data.sh
exec "$VENV/bin/python" tools/grade/grade.py "$@"
