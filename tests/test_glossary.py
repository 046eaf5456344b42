"""The glossary is generated from the chapters' term tables and every term resolves."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chapters import CHAPTERS
from tools.author import make_glossary
from tools.book import toc_files


def test_glossary_and_term_links_are_up_to_date():
    assert make_glossary.main(["--check"]) == 0


def test_every_chapter_has_a_term_table_linked_to_the_glossary(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    rows = list(make_glossary.tables(notebook))
    assert rows, f"{chapter.name} has no | English | 한국어 | term table"
    for _, _, cells in rows:
        assert cells[0].startswith("{term}`"), cells
        assert cells[1], f"{cells[0]} has no Korean term"


@pytest.mark.build
def test_build_warns_on_an_undefined_term(tmp_path):
    """A {term} with no glossary entry must fail the warnings-as-errors build."""
    (tmp_path / "_config.yml").write_text("title: t\nonly_build_toc_files: true\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: glossary\n"
    )
    (tmp_path / "intro.md").write_text(
        "# Intro\n\nA {term}`neuron` and a {term}`unit`.\n"
    )
    (tmp_path / "glossary.md").write_text(
        "# Glossary\n\n```{glossary}\nunit\n  A node of a layer.\n```\n"
    )
    jb = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jb), "build", "--warningiserror", "--nitpick", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "term not in glossary: 'neuron'" in log, log[-3000:]


def test_glossary_is_in_the_toc():
    assert "book/glossary" in toc_files(), "the glossary is not in _toc.yml"
    assert CHAPTERS
