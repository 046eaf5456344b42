"""Paths, the chapter list and readers of printed outputs, shared by the tests."""

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


# BOOK_OUTPUTS=DIR: read the chapters' outputs from freshly executed copies in DIR
# (tools/fresh_claims.sh writes them there) instead of the committed notebooks, so
# the claims tests check every execution: the oldest TensorFlow, the full datasets.
OUTPUTS = Path(os.environ["BOOK_OUTPUTS"]) if os.environ.get("BOOK_OUTPUTS") else None


def chapter_path(stem: str) -> Path:
    """The chapter whose outputs the claims are read from (see OUTPUTS)."""
    if OUTPUTS is not None:
        return OUTPUTS / f"{stem}.ipynb"
    return ROOT / "book" / f"{stem}.ipynb"


def printed(stem: str) -> str:
    """Everything a chapter printed to stdout, as saved in the notebook."""
    import nbformat

    notebook = nbformat.read(chapter_path(stem), as_version=4)
    return "".join(
        out.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stdout"
    )


def printed_value(stem: str, label: str) -> str:
    """The rest of the first printed line that starts with `label`."""
    for line in printed(stem).splitlines():
        if line.startswith(label):
            return line[len(label) :].strip()
    raise AssertionError(f"{stem} printed no line starting with {label!r}")
