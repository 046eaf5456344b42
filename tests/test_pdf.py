"""The PDF of each edition (tools/publish/pdf.py), read back with pypdf.

Both editions of the site are built into a temporary folder (as tests/test_site.py
does) and printed to book.pdf and ko/book.pdf. The tests read the PDFs: one bookmark
per page of _toc.yml, in order, under the title its source's first heading gives (not
the title pdf.py found); that title on the page's first sheet; Hangul drawn with the
site's font (and the same check failing when that font is blocked); math typeset; the
quiz answered, its right answers marked; exercise solutions printed; a tagged PDF
(the structure of every page, in the edition's language, figures with alt text; the
check fails on the same PDF joined without it) with each chapter's sections as
bookmarks under its own. pypdf's text
extraction takes a fraction of a second a sheet, so the text checks read the first
sheet of every page and every sheet of two chapters, not all the sheets.
BOOK_SITE=_build/html prints a site already built instead of building one.
"""

import json
import os
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import nbformat
import pypdf
import pytest
import yaml
from site_browser import pages_of, raw_tex, toc_pages

from chapters import ROOT
from tools.book import EDITIONS
from tools.publish import pdf

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.npm]


PAGES = toc_pages()
QUIZ_CHAPTER = "book/01_flatten"  # its sheets are all read: quiz, solutions, math
MATH_CHAPTER = "book/05_cross_entropy"  # the chapter with the most formulas
HANGUL = re.compile("[\uac00-\ud7a3]")
# TeX that MathJax would have turned into math (raw_tex finds the delimiters).
TEX_COMMAND = re.compile(
    r"\\(frac|times|log|ln|sum|cdot|mathbf|mathrm|hat|le|ge|approx|partial|sigma"
    r"|infty|exp|sqrt|text|left|right)\b"
)
# An exercise's text in its notebook: the directive, its options, a blank line, text.
EXERCISE = re.compile(r"```\{exercise\}\n(?::[^\n]*\n)*\n(.+?)```", re.DOTALL)
CHECK = "\u2713"  # print.css marks each right answer of a quiz with it


def squeeze(text: str) -> str:
    """Text without whitespace, ligatures or curly quotes: pypdf puts spaces between
    Hangul syllables and breaks lines where the page did, the fonts join "fi", Sphinx
    curls quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"\s+", "", text)


def source_title(lang: str, page: str) -> str:
    """The first heading of a page's source: its notebook's first cell, or its .md."""
    notebook = EDITIONS[lang].root / f"{page}.ipynb"
    if notebook.exists():
        text = nbformat.read(notebook, as_version=4).cells[0].source
    else:
        text = (EDITIONS[lang].root / f"{page}.md").read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


@pytest.fixture(scope="module")
def editions(tmp_path_factory, request):
    """Both PDFs, printed from a site built for these tests; BOOK_SITE=DIR prints the
    site already built in DIR instead (e.g. _build/html, by
    tools/publish/build_site.py).
    """
    out = tmp_path_factory.mktemp("pdf")
    if os.environ.get("BOOK_SITE"):
        html = Path(os.environ["BOOK_SITE"]).resolve()
    else:
        html = pages_of(request.getfixturevalue("built_site"))
    return {"html": html, "out": out, **pdf.make_pdfs(html, out=out)}


@cache
def reader(path):
    return pypdf.PdfReader(path)


@cache
def text(path, sheet: int) -> str:
    return reader(path).pages[sheet].extract_text()


def captions() -> set[str]:
    """The part captions of both editions' _toc.yml: the bookmarks above pages."""
    found = set()
    for book in (e.root for e in EDITIONS.values()):
        toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
        found |= {part["caption"] for part in toc.get("parts", [])}
    return found


def outline_tree(path, outline=None) -> list[tuple[str, int, list]]:
    """The PDF's bookmarks as (title, first sheet, children)."""
    nodes = []
    for item in reader(path).outline if outline is None else outline:
        if isinstance(item, list):
            title, sheet, _ = nodes[-1]
            nodes[-1] = (title, sheet, outline_tree(path, item))
        else:
            nodes.append(
                (item.title, reader(path).get_destination_page_number(item), [])
            )
    return nodes


def page_nodes(path) -> list[tuple[str, int, list]]:
    """The bookmark of each page, in order (parts left out), with its headings."""
    found = []
    for node in outline_tree(path):
        found += node[2] if node[0] in captions() else [node]
    return found


def bookmarks(path) -> list[tuple[str, int]]:
    """(title, first sheet) of each page's bookmark, in order."""
    return [(title, sheet) for title, sheet, _ in page_nodes(path)]


def sheets_of(path, page: str) -> range:
    """The sheets of one page of _toc.yml."""
    starts = [sheet for _, sheet in bookmarks(path)] + [len(reader(path).pages)]
    i = PAGES.index(page)
    return range(starts[i], starts[i + 1])


def hangul_font(path, sheet: int) -> bool:
    """Whether a sheet embeds a font of the site's Hangul family (NanumGothic)."""
    fonts = reader(path).pages[sheet]["/Resources"].get("/Font", {}).values()
    return any("NanumGothic" in str(f.get_object().get("/BaseFont")) for f in fonts)


def hangul_missing(path, sheets) -> list[tuple[int, int, bool]]:
    """Sheets whose Hangul did not print: (sheet, Hangul syllables in its text, whether
    it embeds the site's Hangul font) for each sheet with fewer than 20 syllables or
    without that font. Chromium here has no Korean font but the site's: Hangul that
    font does not draw prints as empty boxes, which pypdf reads as NULs."""
    found = [
        (s + 1, len(HANGUL.findall(text(path, s))), hangul_font(path, s))
        for s in sheets
    ]
    return [(sheet, n, font) for sheet, n, font in found if n < 20 or not font]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_printing_reported_no_problem(editions, lang):
    """No request failed or left the machine, no script error, every formula typeset
    in the browser (tools/publish/pdf.py checks each page before printing it)."""
    assert editions[lang].path.exists()
    assert not editions[lang].problems, editions[lang].problems[:10]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_page_count_is_plausible(editions, lang):
    path = editions[lang].path
    assert len(reader(path).pages) == editions[lang].sheets
    for page in PAGES:
        sheets = len(sheets_of(path, page))
        least = 2 if (EDITIONS[lang].root / f"{page}.ipynb").exists() else 1
        assert least <= sheets <= 40, (page, sheets)
    assert len(reader(path).pages) <= 25 * len(PAGES)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_is_in_order_under_its_title(editions, lang):
    """A bookmark per page of _toc.yml, in order, named by the page's own first
    heading, which its first sheet shows (as heading and in the footer)."""
    path = editions[lang].path
    titles = [source_title(lang, page) for page in PAGES]
    assert [title for title, _ in bookmarks(path)] == titles
    for page, title in zip(PAGES, titles):
        first = squeeze(text(path, sheets_of(path, page)[0]))
        assert first.count(squeeze(title)) >= 2, (page, title, first[:300])


def test_korean_pdf_draws_hangul(editions):
    path = editions["ko"].path
    assert not hangul_missing(path, [sheets_of(path, page)[0] for page in PAGES])


def test_hangul_check_fails_without_the_font(editions):
    """The same check on a Korean page printed with the site's Hangul font blocked:
    every sheet fails it on both counts, no Hangul in its text and no Hangul font."""
    page = "book/qna"
    faulty = pdf.make_pdfs(
        editions["html"],
        langs=["ko"],
        pages=[page],
        block="*/hangul.css*",
        name="no-hangul.pdf",
        out=editions["out"],
    )["ko"]
    assert any("hangul.css" in problem for problem in faulty.problems)
    sheets = range(len(reader(faulty.path).pages))
    missing = hangul_missing(faulty.path, sheets)
    assert [(n, font) for _, n, font in missing] == [(0, False)] * len(sheets)
    # The check passes on the same page printed with the font.
    path = editions["ko"].path
    assert not hangul_missing(path, sheets_of(path, page))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_math_is_typeset(editions, lang):
    path = editions[lang].path
    sheets = {sheets_of(path, page)[0] for page in PAGES}
    sheets |= set(sheets_of(path, MATH_CHAPTER)) | set(sheets_of(path, QUIZ_CHAPTER))
    for sheet in sorted(sheets):
        page_text = text(path, sheet)
        raw = raw_tex(page_text) + TEX_COMMAND.findall(page_text)
        assert not raw, f"sheet {sheet + 1}: {raw[:5]}"
    # The formulas are there, typeset: ln 10 ≈ 2.30 of chapter 5's objectives.
    chapter = squeeze("".join(text(path, s) for s in sheets_of(path, MATH_CHAPTER)))
    assert "ln10≈2.30" in chapter


def quiz(lang: str, page: str) -> list[dict]:
    name = page.split("/")[-1]
    return json.loads(
        (EDITIONS[lang].root / "book" / "quizzes" / f"{name}.json").read_text(
            encoding="utf-8"
        )
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quiz_is_answered_with_the_right_answers_marked(editions, lang):
    """Each question shows the feedback of its right answer; each right choice, and
    no other, carries the check mark."""
    path = editions[lang].path
    chapter = squeeze("".join(text(path, s) for s in sheets_of(path, QUIZ_CHAPTER)))
    marked = 0
    for question in quiz(lang, QUIZ_CHAPTER):
        right = [a for a in question["answers"] if a.get("correct")]
        assert right, question["question"]
        if "$" not in right[0]["feedback"]:
            assert squeeze(right[0]["feedback"]) in chapter, question["question"]
        if question["type"] != "multiple_choice":
            continue
        for answer in question["answers"]:
            if "$" in answer["answer"]:
                continue  # typeset math reads back differently
            shown = CHECK + squeeze(answer["answer"])
            assert (shown in chapter) == answer["correct"], (answer, question)
        marked += len(right)
    assert marked and chapter.count(CHECK) == marked


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exercise_solutions_are_printed_after_their_exercises(editions, lang):
    """Every solution of the quiz chapter is printed (on the site it is a closed
    dropdown): its closing words, after its exercise's."""
    path = editions[lang].path
    chapter = squeeze("".join(text(path, s) for s in sheets_of(path, QUIZ_CHAPTER)))
    notebook = nbformat.read(
        EDITIONS[lang].root / f"{QUIZ_CHAPTER}.ipynb", as_version=4
    )
    exercises, solutions = [], []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        exercise = EXERCISE.search(cell.source)
        if exercise:
            exercises.append(exercise.group(1))
        if "{solution-end}" in cell.source:
            solutions.append(cell.source.split("```{solution-end}")[0])
    assert len(exercises) == len(solutions) > 0
    for exercise, solution in zip(exercises, solutions):
        ask, answer = (
            squeeze(re.sub(r"[`*$]", "", part))[:30] for part in (exercise, solution)
        )
        # pypdf reads a sheet in painting order, not always in reading order: each
        # solution is checked against its own exercise only.
        assert ask in chapter and answer in chapter, (ask, answer)
        assert chapter.index(answer) > chapter.index(ask), (ask, answer)


def structure_problems(path, lang: str) -> list[str]:
    """What keeps the PDF from being read as a tagged document: a structure tree
    with one /Document element in the edition's language, a /Part per page of
    _toc.yml with its h1, figures with alt text, every sheet's marked content
    reachable from the parent tree, and no structure element pointing at a page that
    is not in the file."""
    from pypdf.generic import IndirectObject

    pdf = reader(path)
    catalog = pdf.trailer["/Root"]
    if "/StructTreeRoot" not in catalog:
        return ["no /StructTreeRoot: not a tagged PDF"]
    problems = []
    if not catalog.get("/MarkInfo", {}).get("/Marked"):
        problems.append("/MarkInfo /Marked is not true")
    if catalog.get("/Lang") != lang:
        problems.append(f"/Lang is {catalog.get('/Lang')!r}, not {lang!r}")
    tree = catalog["/StructTreeRoot"]
    document = tree["/K"]
    parts = [kid.get_object() for kid in document["/K"]]
    if document["/S"] != "/Document" or len(parts) != len(PAGES):
        problems.append(f"{document['/S']} with {len(parts)} parts for {len(PAGES)}")
    pages = {sheet.indirect_reference.idnum for sheet in pdf.pages}
    kinds, dangling, seen = Counter(), 0, set()
    figures_without_alt = 0
    stack = [tree.raw_get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
        node = item.get_object()
        if isinstance(node, list):
            stack += list(node)
            continue
        if not isinstance(node, dict):
            continue
        if "/Pg" in node and node.raw_get("/Pg").idnum not in pages:
            dangling += 1
        if "/S" in node:
            kinds[node["/S"]] += 1
            if node["/S"] == "/Figure" and not str(node.get("/Alt", "")).strip():
                figures_without_alt += 1
        if "/K" in node and node.get("/Type") != "/OBJR":
            stack.append(node.raw_get("/K"))
    if kinds["/H1"] != len(PAGES):
        problems.append(f"{kinds['/H1']} /H1 elements for {len(PAGES)} pages")
    if not kinds["/Figure"] or figures_without_alt:
        problems.append(
            f"{kinds['/Figure']} figures, {figures_without_alt} without alt"
        )
    if dangling:
        problems.append(f"{dangling} structure elements on pages not in the file")
    keys = {int(k) for k in tree["/ParentTree"]["/Nums"][::2]}
    for number, sheet in enumerate(pdf.pages):
        if sheet.get("/StructParents") not in keys:
            problems.append(f"sheet {number + 1}: its marked content has no parents")
            break
    return problems


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_pdf_is_tagged_with_the_structure_of_every_page(editions, lang):
    problems = structure_problems(editions[lang].path, lang)
    assert not problems, problems


def test_structure_check_fails_on_an_untagged_join(editions, tmp_path):
    """The English PDF joined again page by page with pypdf, as tools/publish/pdf.py did
    before: the structure tree is lost and the check must say so."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(str(editions["en"].path))
    untagged = tmp_path / "untagged.pdf"
    writer.write(untagged)
    assert structure_problems(untagged, "en") == [
        "no /StructTreeRoot: not a tagged PDF"
    ]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_headings_are_bookmarks_under_their_page(editions, lang):
    """Under each chapter's bookmark, its numbered sections (## 1. ...), in order."""
    path = editions[lang].path
    for page, (_, _, children) in zip(PAGES, page_nodes(path)):
        notebook = EDITIONS[lang].root / f"{page}.ipynb"
        if not notebook.exists():
            continue
        cells = nbformat.read(notebook, as_version=4).cells
        sections = [
            re.sub(r"[*`$]", "", line[3:]).strip()
            for cell in cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("## ")
        ]
        shown = [squeeze(child[0]) for child in children]
        assert [squeeze(s) for s in sections] == shown, (page, sections, shown)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_introduction_links_to_the_pdf_where_it_is_written(lang):
    """book/intro.md (and its Korean page) link to ../book.pdf: from the intro page
    (site/book/intro.html) that is the file pdf.py writes at the edition's root."""
    intro = (ROOT / ("book" if lang == "en" else "ko/book") / "intro.md").read_text()
    [href] = re.findall(r'<a href="([^"]+\.pdf)"', intro)
    site = Path("/site") / EDITIONS[lang].url
    page = site / "book" / "intro.html"
    assert (page.parent / href).resolve() == (site / pdf.PDF_NAME).resolve()
