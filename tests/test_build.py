"""The site builds from the committed outputs, with zero warnings, in seconds."""

import copy
import html as html_lib
import re

import nbformat
import pytest
from bs4 import BeautifulSoup  # comes with the site's theme (jupyter-book)

from chapters import CHAPTERS, ROOT
from tools.book import EDITIONS

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.build, pytest.mark.npm]

NOT_RENDERED = {"remove-output", "remove-cell"}  # tags whose outputs the page omits


def output_only_lines(notebook) -> list[str]:
    """Lines the notebook printed that no cell's source contains: on the page they
    can only come from the saved outputs, never from the code or the prose."""
    sources = "\n".join(cell.source for cell in notebook.cells)
    lines = []
    for cell in notebook.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or tags & NOT_RENDERED:
            continue
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stdout":
                for line in out.text.splitlines():
                    line = line.strip()
                    if len(line) >= 8 and line not in sources:
                        lines.append(line)
    return lines


def missing_outputs(notebook, page_html: str) -> list[str]:
    """The notebook's output-only lines that are not inside the page's output areas
    (the .cell_output elements MyST-NB renders saved outputs into)."""
    lines = output_only_lines(notebook)
    if not lines:
        return ["(the notebook printed nothing to look for)"]
    soup = BeautifulSoup(page_html, "html.parser")
    shown = "\n".join(area.get_text() for area in soup.select(".cell_output"))
    return [line for line in lines if line not in shown]


def test_site_builds_without_warnings(built_site):
    """Both editions (tools/publish/build_site.py: English, and Korean under ko/) build
    with warnings as errors and none printed, and every chapter page of each shows its
    own notebook's saved outputs."""
    built = built_site
    for lang, log in built.logs.items():
        assert not re.search(r"\bWARNING\b", log), f"[{lang}] {log[-5000:]}"
    assert built.ok, "\n".join(log[-3000:] for log in built.logs.values())
    for lang, book in ((e.lang, e.root) for e in EDITIONS.values()):
        for chapter in CHAPTERS:
            relative = chapter.relative_to(ROOT)
            page = (
                built.html
                / ("" if lang == "en" else lang)
                / relative.with_suffix(".html")
            )
            assert page.exists(), page
            # The page shows the outputs saved in the notebook (nothing re-executed).
            notebook = nbformat.read(book / relative, as_version=4)
            missing = missing_outputs(notebook, page.read_text(encoding="utf-8"))
            assert not missing, (
                f"{lang} {page.name} does not show these outputs: {missing[:5]}"
            )


def page_of(notebook, with_outputs=True) -> str:
    """A page laid out as MyST-NB lays it out: each cell's source, then its outputs."""
    parts = []
    for cell in notebook.cells:
        source = html_lib.escape(cell.source)
        parts.append('<div class="cell docutils container">')
        parts.append(
            f'<div class="cell_input docutils container"><pre>{source}</pre></div>'
        )
        printed = "".join(o.get("text", "") for o in cell.get("outputs", []))
        if with_outputs and printed:
            parts.append(
                '<div class="cell_output docutils container">'
                f"<pre>{html_lib.escape(printed)}</pre></div>"
            )
        parts.append("</div>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def test_saved_outputs_check_catches_planted_faults():
    """The check above on pages made here: it passes on a page with the outputs and
    fails on one that shows the code without its outputs, or a changed output."""
    for chapter in CHAPTERS:
        notebook = nbformat.read(chapter, as_version=4)
        lines = output_only_lines(notebook)
        assert lines, f"{chapter.name} printed no line that only its outputs contain"
        assert missing_outputs(notebook, page_of(notebook)) == []
        assert missing_outputs(notebook, page_of(notebook, with_outputs=False)) == lines
        # One printed number changed: that line (printed once) is reported.
        line = next(x for x in lines if lines.count(x) == 1 and re.search(r"\d", x))
        digit = re.search(r"\d", line)[0]
        wrong = line.replace(digit, str((int(digit) + 1) % 10), 1)
        changed = copy.deepcopy(notebook)
        for cell in changed.cells:
            for out in cell.get("outputs", []):
                if out.get("text"):
                    out.text = out.text.replace(line, wrong)
        assert missing_outputs(notebook, page_of(changed)) == [line]
