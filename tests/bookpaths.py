"""Paths and the chapter list, shared by the tests."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from sync_cells import toc_notebooks  # noqa: E402

# BOOK_CHAPTERS="book/a.ipynb book/b.ipynb" narrows the checks to chapters being
# written (tools/check_chapter.sh); by default every notebook in _toc.yml.
if os.environ.get("BOOK_CHAPTERS"):
    CHAPTERS = [ROOT / p for p in os.environ["BOOK_CHAPTERS"].split()]
else:
    CHAPTERS = toc_notebooks()
