"""Every figure is described by its author, in both editions (issue 28).

A figure is a code cell's picture: an image output, or a demo's frames (the slider
player the setup cell's ``demo()`` saves). Its descriptions live in that cell's
metadata (tools/author/figures.py): the alt text (``mystnb.image.alt``, rendered by
MyST-NB as the image's ``alt``) and, for a demo, one sentence on what changes across
its frames (``book.demo``). The checks:

- every figure of every chapter has an alt text, every demo its sentence;
- none is generic ("Plot drawn by the code cell above", "figure", "image"), too short,
  made from the code (the code's variable names, f-string fields) or shared with
  another figure;
- the Korean edition (ko/book/) carries a Korean text for each: Hangul, not the
  English (a missing or stale translation leaves the English there, and fails);
- the built site shows exactly these texts: each image's alt and each demo's frame
  alt and sentence (tied to its slider by aria-describedby), English and Korean.

Their numbers are checked with the prose (tests/test_prose_numbers.py). Each check is
run once more on a planted fault and must fail.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from chapters import CHAPTERS, ROOT
from tools.author import figures

KO = ROOT / "ko"
HANGUL = re.compile("[\uac00-\ud7a3]")
MIN_WORDS = {"alt": 12, "demo": 10}  # English words; "A plot of the loss." is not one
# Texts a tool writes when nobody described the figure.
GENERIC = re.compile(
    r"drawn by the code cell|code cell above|\(title:|^(?:an? )?(?:figure|image|"
    r"plot|picture|graph|chart|animation(?: frame)?|output)\.?$|^untitled|placeholder"
    r"|todo|lorem ipsum",
    re.IGNORECASE,
)
IDENTIFIER = re.compile(r"\b[A-Za-z]\w*_\w+\b")  # x_train_flat, acc_2d, class_names


def figure_cells(notebook) -> list[tuple[int, object]]:
    return [(i, c) for i, c in enumerate(notebook.cells) if figures.is_figure(c)]


def english_problems(notebook) -> list[str]:
    """What is missing or generic in a chapter's figure descriptions."""
    found, seen = [], {}
    for index, cell in figure_cells(notebook):
        kinds = ["alt"] + (["demo"] if figures.is_demo(cell) else [])
        for kind in kinds:
            text = figures.description(cell.metadata, kind)
            where = f"cell {index} ({cell.id}) {kind}"
            if not text or not text.strip():
                found.append(f"{where}: none (set {'.'.join(figures.PLACES[kind])})")
                continue
            if GENERIC.search(text.strip()):
                found.append(f"{where}: generic: {text!r}")
            if len(text.split()) < MIN_WORDS[kind]:
                found.append(
                    f"{where}: too short to say what it shows and what to notice "
                    f"({len(text.split())} words, at least {MIN_WORDS[kind]}): {text!r}"
                )
            names = set(IDENTIFIER.findall(cell.source)) & set(IDENTIFIER.findall(text))
            if "{" in text or names:
                found.append(f"{where}: made from the code {sorted(names)}: {text!r}")
            if text in seen:
                found.append(f"{where}: the same text as {seen[text]}")
            seen.setdefault(text, where)
    return found


def korean_problems(english, korean) -> list[str]:
    """A Korean chapter's figure descriptions: one for each English one, in Korean."""
    found = []
    cells = {c.id: c for c in korean.cells}
    for index, cell in figure_cells(english):
        for kind, text in figures.descriptions(cell.metadata).items():
            ko = figures.description(cells[cell.id].metadata, kind)
            where = f"cell {index} ({cell.id}) {kind}"
            if not ko or ko.strip() == text.strip():
                found.append(f"{where}: English on the Korean page: {text[:60]!r}")
            elif not HANGUL.search(ko):
                found.append(f"{where}: no Hangul: {ko!r}")
    return found


def read(path: Path):
    return nbformat.read(path, as_version=4)


def rel(page) -> Path:
    """A chapter's path inside an edition (book/NN_x.ipynb)."""
    page = Path(page)
    return page.relative_to(ROOT) if page.is_absolute() else page


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda p: Path(p).stem)
def test_every_figure_has_its_authors_description(page):
    problems = english_problems(read(ROOT / rel(page)))
    assert not problems, f"{rel(page)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda p: Path(p).stem)
def test_every_korean_figure_has_a_korean_description(page):
    english, korean = read(ROOT / rel(page)), read(KO / rel(page))
    problems = korean_problems(english, korean)
    assert not problems, (
        f"ko/{rel(page)}:\n  " + "\n  ".join(problems) + "\n(translate the entries "
        "'alt ...'/'demo ...' of its catalog, then tools/derive/i18n.py build)"
    )


def test_the_checks_fail_on_planted_faults():
    """A missing alt, a generic one, one made from the code, a short one, a demo
    without its sentence, and English left on a Korean page each fail."""
    page = "book/14_fashion_mnist.ipynb"
    english = read(ROOT / rel(page))
    assert english_problems(english) == []
    index, cell = figure_cells(english)[0]
    demo_index, demo = next(
        (i, c) for i, c in figure_cells(english) if figures.is_demo(c)
    )
    code_name = IDENTIFIER.findall(cell.source)[0]
    plants = [
        ("none", None),
        ("generic", "Plot drawn by the code cell above"),
        ("generic", "Figure"),
        (
            "made from the code",
            f"A long enough sentence about {code_name} and the accuracy of every "
            "class in the test set",
        ),
        ("too short", "Accuracy per class."),
        ("the same text as", figures.description(demo.metadata, "alt")),
    ]
    for expected, text in plants:
        planted = nbformat.from_dict(english)
        metadata = planted.cells[index].metadata
        if text is None:
            del metadata["mystnb"]
        else:
            figures.set_description(metadata, "alt", text)
        problems = english_problems(planted)
        assert any(f"cell {index} " in p and expected in p for p in problems), (
            expected,
            problems,
        )
    planted = nbformat.from_dict(english)
    del planted.cells[demo_index].metadata["book"]
    assert any(
        f"cell {demo_index} " in p and "demo: none" in p
        for p in english_problems(planted)
    )
    korean = read(KO / rel(page))
    assert korean_problems(english, korean) == []
    stale = nbformat.from_dict(korean)  # what a stale or missing translation leaves
    alt = figures.description(cell.metadata, "alt")
    figures.set_description(stale.cells[index].metadata, "alt", alt)
    assert any(
        "English on the Korean page" in p for p in korean_problems(english, stale)
    )


# --- the built site: what a reader (or a screen reader) gets ----------------------
IMG = re.compile(r"<img\b[^>]*>")
ATTR = re.compile(r'\b([\w-]+)="([^"]*)"')


def one_line(text: str | None) -> str | None:
    """TEXT with its whitespace as a reader hears it: a catalog may wrap a long
    translation, and the page's attribute holds it on one line."""
    return " ".join(text.split()) if text is not None else None


def page_figures(text: str) -> dict:
    """A built page's figure alt texts (in order), and its demos' sentences as
    {slider's aria-describedby target: sentence}."""
    alts = []
    for tag in IMG.findall(text):
        attrs = dict(ATTR.findall(tag))
        if attrs.get("id", "").startswith("_anim_img") or "_images/" in attrs.get(
            "src", ""
        ):  # a cell's image output or a demo's frame; not the theme's logos
            alts.append(one_line(html.unescape(attrs.get("alt", ""))))
    sentences = {}
    for target in re.findall(r'aria-describedby="(demo-description[^"]*)"', text):
        found = re.search(
            rf'<p class="demo-description" id="{target}"[^>]*>(.*?)</p>', text
        )
        sentences[target] = one_line(html.unescape(found.group(1))) if found else None
    return {"alts": alts, "sentences": sentences}


def expected_figures(notebook) -> dict:
    alts, sentences = [], []
    for _, cell in figure_cells(notebook):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data or "_anim_img" in data.get("text/html", ""):
                alts.append(one_line(figures.description(cell.metadata, "alt")))
        if figures.is_demo(cell):
            sentences.append(one_line(figures.description(cell.metadata, "demo")))
    return {"alts": alts, "sentences": sentences}


@pytest.mark.build
@pytest.mark.npm
def test_the_built_pages_carry_the_descriptions(built_site):
    """Both editions: each chapter page's figures have the notebook's alt texts (the
    Korean ones on Korean pages), each demo's slider is described by its sentence."""
    problems = []
    for folder, base in (("", ROOT), ("ko/", KO)):
        for page in CHAPTERS:
            built = Path(built_site.html) / folder / rel(page).with_suffix(".html")
            got = page_figures(built.read_text(encoding="utf-8"))
            want = expected_figures(read(base / rel(page)))
            if got["alts"] != want["alts"]:
                problems.append(
                    f"{folder}{rel(page)}: alts {got['alts']} != {want['alts']}"
                )
            if sorted(got["sentences"].values(), key=str) != sorted(
                want["sentences"], key=str
            ):
                problems.append(
                    f"{folder}{rel(page)}: demo sentences {got['sentences']} != "
                    f"{want['sentences']}"
                )
    assert not problems, "\n".join(problems)
