"""The class-questions page: every link lands on an existing section of the site."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bookpaths import CHAPTERS, ROOT

LINK = re.compile(r'<a class="reference internal" href="([^"#]+\.html)(#[^"]*)?"')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run(
        [str(jb), "build", "--path-output", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out / "_build" / "html" / "book"


def test_every_link_resolves_to_an_existing_anchor(site):
    html = (site / "qna.html").read_text()
    article = html[html.index('<article class="bd-article">') :]
    links = LINK.findall(article)
    assert len(links) >= 20
    for page, anchor in links:
        target = site / page
        assert target.exists(), page
        if anchor:
            assert f'id="{anchor[1:]}"' in target.read_text(), f"{page}{anchor}"


def test_every_chapter_answers_a_question(site):
    source = (ROOT / "book" / "qna.md").read_text()
    for chapter in CHAPTERS:
        assert f"]({chapter.name}" in source, f"no question links {chapter.name}"


def test_the_class_example_is_answered():
    source = (ROOT / "book" / "qna.md").read_text()
    assert "[0.1, 0.05, 0.7, 0.15]" in source
    assert "Dropout(0.2)" in source
