"""Keep the cells every chapter shares in sync: the button row and the setup cell.

Each chapter notebook has
* a first markdown cell whose last line is the button row (Open in Colab, Practice
  in Colab, view on GitHub, download: the learner and practice copies that
  tools/derive/learner.py writes), built from ``repository.url`` and ``branch`` in
  ``_config.yml``;
* one code cell tagged ``setup``: the shared setup (Colab-only installs, Hangul
  fonts for matplotlib, seeds, the TensorFlow version guard), from the template
  tools/author/setup_cell.py with its placeholders filled in (the supported TensorFlow
  range comes from tools/environments/versions.py).

``python tools/author/sync_cells.py`` rewrites both in every notebook of ``_toc.yml``;
``--check`` only reports notebooks that differ (the tests use that).
Rewriting a setup cell changes code, so re-execute the notebook afterwards
(``python tools/execute/execute.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from tools.book import ROOT, repo_parts, toc_notebooks
from tools.environments.versions import tested


def _quiz_url() -> str:
    slug, branch = repo_parts()
    return f"https://raw.githubusercontent.com/{slug}/{branch}/book/quizzes/"


def tested_literal() -> str:
    """The setup cell's TESTED dict, one package a line."""
    lines = [f'    "{name}": {pair!r},' for name, pair in tested().items()]
    return "{\n" + "\n".join(lines) + "\n}"


QUIZ_URL = _quiz_url()
SETUP_TEMPLATE = Path(__file__).resolve().parent / "setup_cell.py"
SETUP_SOURCE = (
    SETUP_TEMPLATE.read_text(encoding="utf-8")
    .split("# --- cell starts below ---\n", 1)[1]
    .replace("__QUIZ_URL__", QUIZ_URL)
    .replace("__TESTED__", tested_literal())
    .rstrip("\n")
)


def copy_of(nb: Path, kind: str) -> str:
    """Where the learner or practice copy of a chapter lives
    (tools/derive/learner.py)."""
    return f"{kind}/" + nb.resolve().relative_to(ROOT).as_posix()


def colab_url(nb: Path, kind: str = "learner") -> str:
    slug, branch = repo_parts()
    path = copy_of(nb, kind)
    return f"https://colab.research.google.com/github/{slug}/blob/{branch}/{path}"


def button_row(nb: Path) -> str:
    """Colab opens the learner copy (plain Markdown, quiz inside) or the practice copy
    (no solutions); GitHub and the download give the learner copy."""
    slug, branch = repo_parts()
    rel = copy_of(nb, "learner")
    return (
        f"[Open in Colab]({colab_url(nb)}) · "
        f"[Practice in Colab]({colab_url(nb, 'practice')}) · "
        f"[View on GitHub](https://github.com/{slug}/blob/{branch}/{rel}) · "
        f"[Download the notebook](https://raw.githubusercontent.com/{slug}/{branch}/{rel})"
    )


def setup_cell_index(notebook) -> int:
    found = [
        i
        for i, cell in enumerate(notebook.cells)
        if "setup" in cell.get("metadata", {}).get("tags", [])
    ]
    if len(found) != 1 or notebook.cells[found[0]].cell_type != "code":
        raise ValueError(
            f"expected exactly one code cell tagged 'setup', found {found}"
        )
    return found[0]


def synced(nb: Path):
    """Return (notebook with shared cells rewritten, whether anything changed)."""
    notebook = nbformat.read(nb, as_version=4)
    changed = False
    first = notebook.cells[0]
    lines = first.source.rstrip("\n").split("\n")
    row = button_row(nb)
    if first.cell_type != "markdown" or not lines[0].startswith("# "):
        raise ValueError(f"{nb.name}: the first cell must be markdown starting '# '")
    if lines[-1].startswith("[Open in Colab]"):
        if lines[-1] != row:
            lines[-1] = row
            changed = True
    else:
        lines += ["", row]
        changed = True
    first.source = "\n".join(lines)

    cell = notebook.cells[setup_cell_index(notebook)]
    if cell.source != SETUP_SOURCE:
        cell.source = SETUP_SOURCE
        changed = True
    # Colab shows a cell with '# @title' and cellView 'form' collapsed;
    # the site hides it behind a toggle through the 'hide-input' tag.
    cell.metadata["cellView"] = "form"
    tags = cell.metadata.setdefault("tags", [])
    if "hide-input" not in tags:
        tags.append("hide-input")
        changed = True
    return notebook, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    stale = []
    for nb in [p.resolve() for p in args.notebooks] or toc_notebooks():
        notebook, changed = synced(nb)
        if changed:
            stale.append(nb)
            if not args.check:
                nbformat.write(notebook, nb)
    for nb in stale:
        verb = "out of sync" if args.check else "rewritten (re-execute it)"
        print(f"{nb.relative_to(ROOT)}: {verb}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
