"""Refuse notebooks whose saved outputs may not come from their code (pre-commit hook).

``python tools/execute/check_notebooks.py book/*.ipynb`` exits 1 and prints, for each
notebook that fails, what is wrong and the command that fixes it: re-executing with
``tools/execute/execute.py`` (which also records the code hash), or
``tools/author/sync_cells.py`` when a shared cell (button row, setup) drifted from its
template.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tools.author import figures
from tools.author.sync_cells import synced
from tools.execute.execute import provenance_problems

# A cell may also hold its figure's descriptions (tools/author/figures.py).
CELL_METADATA = {"tags", "cellView"} | {keys[0] for keys in figures.PLACES.values()}
NOTEBOOK_METADATA = {"kernelspec", "language_info", "book", "widgets"}


def problems(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    found = list(provenance_problems(notebook))
    if synced(path)[1]:
        found.append("shared cells out of sync: run python tools/author/sync_cells.py")
    extra = set(notebook.metadata) - NOTEBOOK_METADATA
    for cell in notebook.cells:
        extra |= set(cell.metadata) - CELL_METADATA
    if extra:
        found.append(f"stray metadata {sorted(extra)}: clear it in your editor")
    return found


def main(argv: list[str]) -> int:
    failed = 0
    for name in argv:
        path = Path(name)
        if path.suffix != ".ipynb" or path.parent.name != "book":
            continue
        found = problems(path)
        if found:
            failed += 1
            print(f"{path}: " + "; ".join(found))
            print(f"  fix: .venv/bin/python tools/execute/execute.py {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
