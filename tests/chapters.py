"""The book's chapters for the tests: their list and paths, and readers of what
they printed (from the committed notebooks or fresh copies)."""

import functools
import os
import re
from pathlib import Path

from tools.book import ROOT, toc_notebooks

# BOOK_CHAPTERS="book/a.ipynb book/b.ipynb" narrows the checks to chapters being
# written (tools/execute/check_chapter.sh); by default every notebook in _toc.yml.
if os.environ.get("BOOK_CHAPTERS"):
    CHAPTERS = [ROOT / p for p in os.environ["BOOK_CHAPTERS"].split()]
else:
    CHAPTERS = toc_notebooks()


# BOOK_OUTPUTS=DIR: read the chapters' outputs from freshly executed copies in DIR
# (tools/execute/fresh_claims.sh writes them there) instead of the committed
# notebooks, so the claims tests check every execution: the oldest TensorFlow, the full
# datasets.
OUTPUTS = Path(os.environ["BOOK_OUTPUTS"]) if os.environ.get("BOOK_OUTPUTS") else None


def chapter_path(stem: str) -> Path:
    """The chapter whose outputs the claims are read from (see OUTPUTS)."""
    if OUTPUTS is not None:
        return OUTPUTS / f"{stem}.ipynb"
    return ROOT / "book" / f"{stem}.ipynb"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# BOOK_NUDGE=up|down|SEED: read every trained number as another CPU might print it, at
# the edge of its measured tolerance (book/tolerances.json): all up, all down, or each
# its own way (a seeded draw). The claims and quiz keys must hold there too
# (tests/test_verify.py runs them so).
NUDGE = os.environ.get("BOOK_NUDGE")


def nudged(path: Path, notebook) -> None:
    from tools.execute import tolerance

    key = f"book/{path.name}"  # the committed chapter's (also for fresh copies)
    measured = tolerance.load()["chapters"].get(key)
    assert measured, f"{key} has no measured tolerances to nudge by"
    cells = {
        c: {int(i): t for i, t in e["numbers"].items()}
        for c, e in measured["cells"].items()
    }
    tolerance.nudge(notebook, cells, tolerance.signs_for(NUDGE))


@functools.cache
def shown(path: Path, cells: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """The text a notebook's code cells show, in order, as (kind, text): "stdout" for
    what they printed (one print may arrive in several stream outputs, as Colab's
    nbclient saved "label:" and " value" apart; they are joined, as Jupyter shows
    them) and "result" for the text/plain of a result that is not a figure. With
    CELLS (cell ids): only those cells' outputs."""
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)  # older nbformat: no Path
    if NUDGE:
        nudged(path, notebook)
    blocks: list[tuple[str, str]] = []
    for cell in notebook.cells:
        if cells and cell.id not in cells:
            continue
        previous = None
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type == "stream" and out.name == "stdout":
                if previous is not None and previous.get("name") == "stdout":
                    blocks[-1] = ("stdout", blocks[-1][1] + out.text)
                else:
                    blocks.append(("stdout", out.text))
            elif out.output_type in ("execute_result", "display_data"):
                plain = out.get("data", {}).get("text/plain", "")
                if plain and not plain.startswith(("<Figure", "<IPython")):
                    blocks.append(("result", plain))
            previous = out
    return tuple(blocks)


def printed(
    stem: str,
    results: bool = False,
    book: Path | None = None,
    cells: tuple[str, ...] = (),
) -> str:
    """Everything a chapter printed to stdout, as saved in the notebook (from
    chapter_path, or from BOOK/stem.ipynb). With results: also the text/plain of
    its results, each output on its own lines, ANSI colours removed (quiz keys).
    With CELLS (cell ids): only what those cells printed."""
    path = book / f"{stem}.ipynb" if book else chapter_path(stem)
    blocks = shown(path, tuple(cells))
    if not results:
        return "".join(text for kind, text in blocks if kind == "stdout")
    return _ANSI.sub("", "\n".join(text for _, text in blocks))


def printed_value(stem: str, label: str) -> str:
    """The rest of the first printed line that starts with `label`."""
    for line in printed(stem).splitlines():
        if line.startswith(label):
            return line[len(label) :].strip()
    raise AssertionError(f"{stem} printed no line starting with {label!r}")
