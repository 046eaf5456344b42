"""The words around the Korean pages are Korean too (issue 27.3): the Colab form title
of every Korean notebook and copy, the exercise and solution labels ("연습 3 풀이", in
the learner copies, on the site and so in the PDF), and the theme's, MyST-NB's and
jupyterquiz's UI words, all from locales/ko/site.yml."""

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from site_browser import pages_of
from sphinx.errors import ExtensionError

from chapters import CHAPTERS, ROOT
from tools.author import strings
from tools.derive import i18n, learner
from tools.publish import offline_site

HANGUL = re.compile("[\uac00-\ud7a3]")
SITE = strings.korean()


def setup_title(path) -> str:
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "setup" in c.metadata.get("tags", []))
    return cell.source.split("\n")[0]


@pytest.mark.parametrize("kind", ["", "learner/", "practice/"])
def test_korean_notebooks_have_the_korean_colab_title(kind):
    """Colab shows the setup cell folded under its '# @title': Korean in ko/book/ and
    in the Korean learner and practice copies, English in the English ones."""
    for chapter in CHAPTERS:
        english = setup_title(ROOT / kind / "book" / chapter.name)
        korean = setup_title(ROOT / kind / "ko" / "book" / chapter.name)
        title = english.removeprefix("# @title ")
        assert english.startswith("# @title ") and not HANGUL.search(english)
        assert korean == f"# @title {SITE['colab_titles'][title]}", chapter.name
        assert HANGUL.search(korean)


def quiz_words_left(path) -> list[str]:
    """jupyterquiz's English words (string literals of its script) in a notebook's
    saved quiz output: what a Korean reader sees in Colab before running the cell."""
    notebook = nbformat.read(path, as_version=4)
    scripts = "".join(
        output.get("data", {}).get("application/javascript", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    return [w for w in SITE["quiz"] if json.dumps(w) in scripts]


@pytest.mark.parametrize("kind", ["", "learner/"])
def test_korean_quiz_outputs_have_korean_quiz_words(kind):
    """The Korean notebooks' saved quizzes say "숫자로 답을 입력하십시오:", not
    "Type numeric answer here:" (i18n.py build swaps jupyterquiz's own words)."""
    for chapter in CHAPTERS:
        assert not quiz_words_left(ROOT / kind / "ko" / "book" / chapter.name)
    planted = ROOT / kind / "book" / CHAPTERS[0].name  # the English: words left
    assert "Type numeric answer here:" in quiz_words_left(planted)


def test_korean_quiz_cells_swap_the_quiz_words_when_run():
    """Run in Colab, jupyterquiz writes its English words again: the Korean copies'
    quiz cell swaps them (every word of site.yml's quiz table but the site's fold
    button), the English copies' does not."""
    wanted = {k: v for k, v in SITE["quiz"].items() if k != "Toggle hidden content"}
    for chapter in CHAPTERS:
        for lang in ("en", "ko"):
            copy = ROOT / "learner" / ("ko/" if lang == "ko" else "") / "book"
            notebook = nbformat.read(copy / chapter.name, as_version=4)
            cell = next(c for c in notebook.cells if "display_quiz(QUIZ" in c.source)
            words = re.search(r"^WORDS = (\{.*?^\})", cell.source, re.M | re.S)
            if lang == "en":
                assert words is None and "Javascript" not in cell.source
            else:
                assert words, chapter.name
                assert ast.literal_eval(words.group(1)) == wanted, chapter.name


def test_a_colab_title_with_no_korean_stops_the_build():
    assert (
        i18n.korean_colab_title("x = 1\n# @title late", "p") == "x = 1\n# @title late"
    )
    with pytest.raises(i18n.TranslationError, match="no Korean for the Colab title"):
        i18n.korean_colab_title("# @title A title nobody translated\nx = 1", "p")


def learner_labels(chapter, lang: str) -> tuple[list[str], list[str]]:
    """The exercise and solution labels of a learner copy, in order."""
    path = learner.copy_path(chapter, lang, "learner")
    text = "\n".join(
        c.source
        for c in nbformat.read(path, as_version=4).cells
        if c.cell_type == "markdown"
    )
    words = learner.WORDS[lang]
    exercises = re.findall(rf"\*\*({words['exercise']} \d+)\.\*\*", text)
    pattern = re.escape(words["solution_title"]).replace(r"\{exercise\}", r"(.+?)")
    solutions = re.findall(rf"\*\*{pattern}\.\*\*", text)
    return exercises, solutions


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_learner_copies_label_solutions_as_the_site_does(lang):
    """**연습 3.** ... **연습 3 풀이.**: numbered from 1 in each chapter, as the prose
    counts ("exercise 2") and the site numbers them, each solution after its own
    exercise, Korean word order in Korean."""
    for chapter in CHAPTERS:
        exercises, solutions = learner_labels(chapter, lang)
        word = learner.WORDS[lang]["exercise"]
        assert exercises == [f"{word} {i}" for i in range(1, len(exercises) + 1)]
        assert solutions == exercises, chapter.name
    assert SITE["ui"]["solution_title"].format(exercise="연습 3") == "연습 3 풀이"


class Env:
    """What number_exercises_per_page reads: Sphinx's numbers for each page."""

    def __init__(self, numbers):
        self.toc_fignumbers = numbers


def test_exercises_are_numbered_per_page():
    # Sphinx's own numbering runs through the book: chapter 12 starts at 32.
    env = Env(
        {
            "book/01": {"exercise": {"a": (1,), "b": (2,)}},
            "book/12": {"exercise": {"x": (33,), "w": (32,)}, "figure": {"f": (5,)}},
            "book/qna": {},
        }
    )
    assert offline_site.number_exercises_per_page(None, env) == ["book/12"]
    assert env.toc_fignumbers["book/12"] == {
        "exercise": {"w": (1,), "x": (2,)},
        "figure": {"f": (5,)},
    }
    assert offline_site.number_exercises_per_page(None, env) == []


def test_site_words_are_korean_and_keep_their_fields():
    """Every Korean word of site.yml's theme, quiz, sphinx_config and colab_titles
    tables has Hangul (a copyright line aside) and keeps the English's %(...)s and
    {...} fields."""
    for table in ("theme", "quiz", "sphinx_config", "colab_titles", "copybutton"):
        for english, korean in SITE[table].items():
            fields = re.findall(r"%\(\w+\)s|\{\w*\}", english)
            assert fields == re.findall(r"%\(\w+\)s|\{\w*\}", korean), english
            assert HANGUL.search(korean) or "copyright" in english.lower(), english


def test_theme_attributes_are_swapped_by_the_table():
    html = (
        '<button title="Toggle primary sidebar" aria-label="Main">'
        '<img alt="Colab logo"><img alt="A plot of the loss">'
        '<input placeholder="Search this book...">'
        '<button title="Play"></button><label for="r1">Loop</label>'
    )
    swapped = offline_site.translate_theme_attributes(html)
    for english in ("Toggle primary sidebar", "Main", "Colab logo", "Search this book"):
        assert f'"{english}' not in swapped
        assert SITE["theme"].get(english, SITE["theme"].get(english + "...")) in swapped
    assert 'title="재생"' in swapped and '<label for="r1">반복</label>' in swapped
    assert 'alt="A plot of the loss"' in swapped  # not a theme word: left alone


def test_the_copy_button_gets_its_korean_words(tmp_path):
    """sphinx-copybutton has no Korean: its script on the Korean site gets site.yml's
    copybutton words, once."""
    import sphinx_copybutton

    source = Path(sphinx_copybutton.__file__).parent / "_static" / "copybutton.js_t"
    script = tmp_path / "copybutton.js"
    script.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    offline_site.copybutton_words(script, "ko")
    offline_site.copybutton_words(script, "ko")
    text = script.read_text(encoding="utf-8")
    assert text.count("'ko': ") == 1 and SITE["copybutton"]["copy_success"] in text
    script.write_text("const words = {}\n", encoding="utf-8")  # planted: renamed
    with pytest.raises(ExtensionError, match="no 'const messages"):
        offline_site.copybutton_words(script, "ko")


# ---------------------------------------------------------------------------
# The built site.

ENGLISH_ATTRIBUTE = re.compile(r'\b(title|aria-label|placeholder)="([^"]*)"')
LABEL = re.compile(r"<label\b[^>]*>([^<]*)</label>")
# English where English is right: the language button names English in English.
ENGLISH_ALLOWED = {"English"}


def english_ui(html: str) -> list[str]:
    """The UI words of a Korean page that are still English: a title, aria-label,
    placeholder or label with no Hangul (the language button's "English" aside), a
    theme or quiz word left untranslated anywhere in the page's visible text,
    MyST-NB's "Show code cell", sphinx-exercise's "해답"."""
    found = [
        f"{name}={value!r}"
        for name, value in ENGLISH_ATTRIBUTE.findall(html)
        + [("label", text.strip()) for text in LABEL.findall(html)]
        if re.search("[A-Za-z]{3}", value)
        and not HANGUL.search(value)
        and value not in ENGLISH_ALLOWED
    ]
    body = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "\n", body)
    lines = {line.strip() for line in text.split("\n")}
    for english in list(SITE["theme"]) + list(SITE["quiz"]):
        if english in lines and len(english) > 4:
            found.append(f"text {english!r}")
    for phrase in ("Show code cell", "Hide code cell", "해답"):
        if phrase in text:
            found.append(f"text {phrase!r}")
    return found


def test_the_english_ui_check_sees_planted_words():
    planted = (
        '<button title="Toggle primary sidebar"></button><a aria-label="English">'
        "</a><p>Back to top</p><p class='admonition-title'>해답 연습 32</p>"
        "<summary>Show code cell source</summary><pre>Back to top</pre>"
        '<button title="Play" aria-label="Play"></button><label for="r">Loop</label>'
    )
    assert english_ui(planted) == [
        "title='Toggle primary sidebar'",
        "title='Play'",
        "aria-label='Play'",
        "label='Loop'",
        "text 'Back to top'",
        "text 'Show code cell'",
        "text '해답'",
    ]


@pytest.fixture(scope="module")
def korean_site(built_site):
    return pages_of(built_site) / "ko"


@pytest.mark.build
def test_the_korean_copy_button_speaks_korean(korean_site):
    script = (korean_site / "_static" / "copybutton.js").read_text(encoding="utf-8")
    assert "'ko': " in script and SITE["copybutton"]["copy"] in script
    english = (korean_site.parent / "_static" / "copybutton.js").read_text("utf-8")
    assert "'ko': " not in english


@pytest.mark.build
def test_korean_pages_show_no_english_ui_words(korean_site):
    found = {}
    for page in sorted(korean_site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        words = english_ui(page.read_text(encoding="utf-8"))
        if words:
            found[page.relative_to(korean_site).as_posix()] = words[:5]
    assert not found, found


TITLES = re.compile(r'<p class="admonition-title">(.*?)</p>', re.DOTALL)


def site_labels(html: str) -> tuple[list[str], list[str]]:
    """(exercise captions, solution titles) of a page, as text."""
    exercises, solutions = [], []
    for title in TITLES.findall(html):
        text = " ".join(re.sub(r"<[^>]+>", " ", title).split())
        if "caption-number" in title:
            exercises.append(re.match(r"\S+ \d+", text).group(0))
        elif 'class="reference internal"' in title:
            solutions.append(text)
    return exercises, solutions


@pytest.mark.build
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_site_labels_exercises_and_solutions_as_the_learner_copies(built_site, lang):
    """Each chapter page numbers its exercises from 1 and titles each solution as the
    learner copy does: "Solution to Exercise 2", "연습 2 풀이"."""
    html = pages_of(built_site) / ("ko" if lang == "ko" else "")
    for chapter in CHAPTERS:
        page = (html / "book" / f"{chapter.stem}.html").read_text(encoding="utf-8")
        exercises, solutions = site_labels(page)
        learner_exercises, learner_solutions = learner_labels(chapter, lang)
        assert exercises == learner_exercises, chapter.name
        title = learner.WORDS[lang]["solution_title"]
        assert solutions == [title.format(exercise=e) for e in exercises], chapter.name


def test_the_label_check_reads_a_solution_titled_the_old_way():
    old = (
        '<p class="admonition-title"><span class="caption-number">연습 32 </span></p>'
        '<p class="admonition-title">해답<a class="reference internal" href="#e">'
        " 연습 32</a></p>"
    )
    assert site_labels(old) == (["연습 32"], ["해답 연습 32"])


# ---------------------------------------------------------------------------
# In the browser: the words that scripts write while the page loads.

RUNTIME_ENGLISH = """() => {
  const found = [];
  for (const el of document.querySelectorAll('.Quiz .InpLabel, .Quiz .Feedback')) {
    const t = el.textContent.trim();
    if (t && !/[\\uac00-\\ud7a3]/.test(t)) found.push('quiz text: ' + t);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [data-tooltip]')) {
    for (const a of ['aria-label', 'title', 'data-tooltip']) {
      const v = el.getAttribute(a);
      if (v && /[A-Za-z]{3}/.test(v) && !/[\\uac00-\\ud7a3]/.test(v) && v !== 'English')
        found.push(a + ': ' + v);
    }
  }
  return found;
}"""


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.npm
def test_scripts_write_korean_words_on_a_korean_page(korean_site):
    """jupyterquiz's numeric label and a wrong answer's feedback, sphinx-togglebutton's
    name for a solution's button and sphinx-copybutton's tooltip, once the scripts
    have run and a reader answered (chapter 1: a numeric quiz, solutions, code)."""
    from playwright.sync_api import sync_playwright

    from tools.publish.browser import CHROMIUM, CHROMIUM_ARGS, Server

    server = Server(korean_site.parent)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "ko/book/01_flatten.html", wait_until="load")
            page.wait_for_selector(".Quiz .InpLabel")
            page.wait_for_selector("button.toggle-button")
            field = page.locator(".Quiz input.Input-text").first
            field.fill("1")
            field.press("Enter")
            page.wait_for_selector(".copybtn", state="attached")
            found = page.evaluate(RUNTIME_ENGLISH)
            labels = page.evaluate(
                "() => [...document.querySelectorAll('.Quiz .InpLabel')]"
                ".map(e => e.textContent)"
            )
            browser.close()
    finally:
        server.close()
    assert not found, found
    assert set(labels) == {SITE["quiz"]["Type numeric answer here:"]}
