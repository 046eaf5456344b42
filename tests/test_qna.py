"""The class-questions page: every link lands on an existing section of the site."""

import re

import pytest
from site_browser import pages_of

from chapters import CHAPTERS, ROOT

LINK = re.compile(r'<a class="reference internal" href="([^"#]+\.html)(#[^"]*)?"')


@pytest.fixture(scope="module")
def html(built_site):
    return pages_of(built_site)


@pytest.mark.build
@pytest.mark.npm
@pytest.mark.parametrize("edition", ["", "ko"])
def test_every_link_resolves_to_an_existing_anchor(html, edition):
    """In both editions: the Korean page's links point at the Korean headings'
    anchors (tools/derive/i18n.py rewrites them)."""
    site = html / edition / "book"
    html = (site / "qna.html").read_text()
    article = html[html.index('<article class="bd-article">') :]
    links = LINK.findall(article)
    assert len(links) >= 20
    for page, anchor in links:
        target = site / page
        assert target.exists(), page
        if anchor:
            assert f'id="{anchor[1:]}"' in target.read_text(), f"{page}{anchor}"


def test_every_chapter_answers_a_question():
    source = (ROOT / "book" / "qna.md").read_text()
    for chapter in CHAPTERS:
        assert f"]({chapter.name}" in source, f"no question links {chapter.name}"


def test_the_class_example_is_answered():
    source = (ROOT / "book" / "qna.md").read_text()
    assert "[0.1, 0.05, 0.7, 0.15]" in source
    assert "Dropout(0.2)" in source
