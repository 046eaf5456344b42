"""Paths and the chapter list, shared by the tests."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from sync_cells import toc_notebooks  # noqa: E402

CHAPTERS = toc_notebooks()
