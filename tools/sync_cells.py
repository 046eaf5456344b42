"""Keep the cells every chapter shares in sync: the button row and the setup cell.

Each chapter notebook has
* a first markdown cell whose last line is the button row (Open in Colab, Practice
  in Colab, view on GitHub, download: the learner and practice copies that
  tools/learner.py writes), built from ``repository.url`` and ``branch`` in
  ``_config.yml``;
* one code cell tagged ``setup``: the shared setup (Colab-only installs, Hangul
  fonts for matplotlib, seeds, the TensorFlow version guard), from the template
  tools/setup_cell.py with its placeholders filled in (the supported TensorFlow
  range comes from tools/versions.py).

``python tools/sync_cells.py`` rewrites both in every notebook of ``_toc.yml``;
``--check`` only reports notebooks that differ (the tests use that).
Rewriting a setup cell changes code, so re-execute the notebook afterwards
(``python tools/execute.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

from versions import tested

ROOT = Path(__file__).resolve().parent.parent


def _quiz_url() -> str:
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    slug = repo["url"].rstrip("/").removeprefix("https://github.com/")
    branch = repo.get("branch", "main")
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


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def toc_files() -> list[str]:
    """Every page of _toc.yml (root first), in reading order, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [str(Path(f).with_suffix("")) for f in files]


def toc_notebooks() -> list[Path]:
    """Every .ipynb listed in _toc.yml, in reading order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def repo_parts() -> tuple[str, str]:
    repo = config()["repository"]
    url = repo["url"].rstrip("/")
    prefix = "https://github.com/"
    if not url.startswith(prefix):
        raise SystemExit(f"_config.yml repository.url must start with {prefix}: {url}")
    return url[len(prefix) :], repo.get("branch", "main")


def copy_of(nb: Path, kind: str) -> str:
    """Where the learner or practice copy of a chapter lives (tools/learner.py)."""
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
