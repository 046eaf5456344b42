"""The practice copies answer back (issue 29): every exercise of every chapter, in
both editions, has a check (book/checks/NN_topic.py, tools/derive/practice.py) that
passes the book's own solution, calls the blank practice cell "not answered yet", and
meets a common mistake with its targeted hint.

The checks run in this process, as the practice copy holds them: the copy's own
"Practice checks" cell is executed to make `practice`, and the answers run in a
namespace made of the setup cell's names, the chapter cells the exercise needs (by
id, from the chapter) and a small stand-in for the chapter's data (FIXTURE).
"""

import contextlib
import io
import re

import nbformat
import pytest

from chapters import CHAPTERS
from tools.book import EDITIONS, ROOT, site_url
from tools.derive import learner, practice

CHECKED = [c for c in CHAPTERS if practice.has_checks(c.stem)]
# Chapters whose exercises (or the stand-in for their data) train models: their
# cases take seconds each and run with the slow layer; the others are fast.
TRAINS = {"04", "06", "08", "09", "10", "11", "13", "14", "15", "16", "17"}
CASES = [
    pytest.param(
        (c.stem, label),
        id=f"{c.stem[:2]}-{label}",
        marks=[pytest.mark.slow] if c.stem[:2] in TRAINS else [],
    )
    for c in CHECKED
    for label in practice.labels(c.stem)
]
SETUP = (
    "import warnings\n"
    "warnings.simplefilter('ignore', UserWarning)\n"  # the figures' Hangul glyphs
    "import math\n"
    "import numpy as np\n"
    "import keras\n"
    "import tensorflow as tf\n"
    "import matplotlib\n"
    "matplotlib.use('Agg')\n"
    "import matplotlib.pyplot as plt\n"
    "SEED = 42\n"
    "keras.utils.set_random_seed(SEED)\n"
)


def case_id(case):
    return f"{case[0][:2]}-{case[1]}"


def copy(chapter, lang):
    return nbformat.read(
        learner.copy_path(ROOT / "book" / f"{chapter}.ipynb", lang, "practice"),
        as_version=4,
    )


def checker(chapter, lang):
    """`practice`, made by the practice copy's own "Practice checks" cell."""
    [cell] = [
        c
        for c in copy(chapter, lang).cells
        if c.metadata.get("fcn_check", {}).get("role") == "runtime"
    ]
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(cell.source, ns)
    return ns["practice"]


def fake_datasets(n_train, n_test, seed=0):
    """Small random stand-ins for Keras' MNIST and Fashion-MNIST loaders (uint8
    images and labels, as the real ones): the chapter cells that load data run on
    them. namespace() puts the real loaders back."""
    import keras
    import numpy as np

    def load_data():
        rng = np.random.default_rng(seed)
        x = rng.integers(0, 256, (n_train + n_test, 28, 28), dtype=np.uint8)
        y = rng.integers(0, 10, n_train + n_test).astype(np.uint8)
        x[y == 1, 10:18] = 255  # a little signal, so that training learns something
        return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])

    keras.datasets.fashion_mnist.load_data = load_data
    keras.datasets.mnist.load_data = load_data


def namespace(chapter):
    """The names an exercise of CHAPTER can use: the setup cell's, then FIXTURE's
    steps in order: a chapter cell (by id) or code (a small stand-in for the
    chapter's data; `fake_datasets(n_train, n_test)` makes the loaders small)."""
    import keras

    ns = {"fake_datasets": fake_datasets}
    exec(SETUP, ns)
    book = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    cells = {c.id: c.source for c in book.cells if c.cell_type == "code"}
    loaders = [
        (m, m.load_data) for m in (keras.datasets.mnist, keras.datasets.fashion_mnist)
    ]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for step in practice.module(chapter)["FIXTURE"]:
                exec(cells.get(step, step), ns)
    finally:
        for module, load in loaders:
            module.load_data = load
    return ns


def solution_code(chapter, label) -> list[str]:
    book = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    for start, end in learner.solution_regions(book.cells):
        if practice.solution_label(book.cells[start].source) == label:
            return [
                c.source for c in book.cells[start : end + 1] if c.cell_type == "code"
            ]
    raise KeyError(label)


def without_asserts(source: str) -> str:
    """SOURCE without its assert statements: for a solution whose asserts check a
    band of the real data's results (BANDS in the checks' file), which the small
    stand-in data cannot meet. The check itself still runs on everything else."""
    import ast

    class Drop(ast.NodeTransformer):
        def visit_Assert(self, node):
            return ast.Pass()

    return ast.unparse(Drop().visit(ast.parse(source)))


def answer_cell(chapter, lang, label) -> str:
    """The practice copy's cell just above LABEL's check: what a learner starts from."""
    cells = copy(chapter, lang).cells
    for i, cell in enumerate(cells):
        if cell.metadata.get("fcn_check", {}).get("label") == label:
            return cells[i - 1].source
    raise KeyError(label)


def run(chapter, lang, label, ns, tries=1):
    check = checker(chapter, lang)
    for _ in range(tries):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = check.check(label, ns, 1)
    return status, out.getvalue()


# --- every exercise has a check, with words in both languages --------------------


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem[:2])
def test_every_exercise_has_a_check(notebook):
    assert practice.has_checks(notebook.stem), f"no book/checks/{notebook.stem}.py"
    data = practice.module(notebook.stem)
    assert list(data["CHECKS"]) == practice.labels(notebook.stem)
    assert set(data["MISTAKES"]) == set(data["CHECKS"])


@pytest.mark.parametrize("notebook", CHECKED, ids=lambda p: p.stem[:2])
def test_the_words_are_complete_in_both_languages(notebook):
    english = practice.texts(notebook.stem, "en")
    korean = practice.texts(notebook.stem, "ko")
    assert set(english) == set(practice.module(notebook.stem)["CHECKS"])
    for label, words in english.items():
        assert set(korean[label]) == set(words), label
        assert {"needs", "hint", "hint2"} <= set(words), label
        for key, text in words.items():  # the code a text names stays the code
            codes = re.findall(r"`([^`]+)`", text)
            assert sorted(codes) == sorted(
                re.findall(r"`([^`]+)`", korean[label][key])
            ), (
                label,
                key,
            )
    assert set(practice.words("ko")) == set(practice.words("en"))


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("notebook", CHECKED, ids=lambda p: p.stem[:2])
def test_a_practice_copy_checks_every_exercise_after_its_answer(notebook, lang):
    cells = copy(notebook.stem, lang).cells
    roles = [c.metadata.get("fcn_check", {}) for c in cells]
    setup = next(
        i for i, c in enumerate(cells) if "setup" in c.metadata.get("tags", [])
    )
    assert roles[setup + 1] == {"role": "runtime"}
    labels = [r["label"] for r in roles if r.get("role") == "check"]
    assert labels == practice.labels(notebook.stem)
    words = practice.words(lang)
    for cell, role in zip(cells, roles):
        if role:
            title = cell.source.split("\n")[0]
            if role["role"] == "runtime":
                assert title == f"# @title {words['runtime']}"
            else:
                number = labels.index(role["label"]) + 1
                assert title == f"# @title {words['check'].format(number=number)}"
            assert cell.metadata["cellView"] == "form"
            assert cell.metadata["jupyter"] == {"source_hidden": True}


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("notebook", CHECKED, ids=lambda p: p.stem[:2])
def test_the_checks_do_not_hold_the_solutions(notebook, lang):
    """No line of a solution's code (beyond the short and the generic) is in the
    practice copy."""
    text = nbformat.writes(copy(notebook.stem, lang))
    book = nbformat.read(notebook, as_version=4)
    inside = {
        i for a, b in learner.solution_regions(book.cells) for i in range(a, b + 1)
    }
    given = {  # the exercises' starter cells and the chapter's own code
        line.strip()
        for i, cell in enumerate(book.cells)
        if cell.cell_type == "code" and i not in inside
        for line in cell.source.splitlines()
    }
    for label in practice.labels(notebook.stem):
        for source in solution_code(notebook.stem, label):
            for line in source.splitlines():
                line = line.strip()
                starter = any(g.startswith(line) for g in given)
                if len(line) > 30 and not starter and not line.startswith("#"):
                    assert line not in text, (label, line)


def defined_before_the_exercises(chapter) -> set[str]:
    """The names the chapter's code cells define above its Exercises heading."""
    import ast

    names = set()
    for cell in nbformat.read(chapter, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## Exercises"):
            break
        if cell.cell_type != "code" or cell.source.startswith(("!", "%")):
            continue
        todo = list(ast.parse(cell.source).body)
        while todo:  # module level only: a function's own names are not globals
            node = todo.pop()
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
                continue
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            if not isinstance(node, ast.Lambda):
                todo.extend(ast.iter_child_nodes(node))
    return names


@pytest.mark.parametrize("notebook", CHECKED, ids=lambda p: p.stem[:2])
def test_an_answer_is_a_name_the_chapter_does_not_define(notebook):
    """A check reads the learner's answer by a name the chapter's own cells never set,
    so a learner who has not answered is told so, whatever else ran."""
    source = practice.checks_source(notebook.stem)
    answers = set(re.findall(r"t\.answer\(\"(\w+)\"\)", source))
    assert answers, "the checks read no answer"
    clash = answers & defined_before_the_exercises(notebook)
    assert not clash, f"the chapter itself defines {clash}"


# --- the three promises, for every exercise in both editions ----------------------


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("case", CASES)
def test_the_books_solution_passes(case, lang):
    chapter, label = case
    ns = namespace(chapter)
    bands = practice.module(chapter).get("BANDS", set())
    with contextlib.redirect_stdout(io.StringIO()):
        for source in solution_code(chapter, label):
            exec(without_asserts(source) if label in bands else source, ns)
    status, out = run(chapter, lang, label, ns)
    assert status == "pass", out
    assert practice.words(lang)["pass"] in out
    assert f"{site_url(lang)}book/{chapter}.html#{label}" in out


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("case", CASES)
def test_the_blank_practice_cell_is_not_answered_yet(case, lang):
    chapter, label = case
    ns = namespace(chapter)
    exec(answer_cell(chapter, lang, label), ns)
    status, out = run(chapter, lang, label, ns)
    assert status == "blank", out
    blank = practice.words(lang)["blank"].split("`")[0]
    assert blank in out and practice.texts(chapter, lang)[label]["needs"] in out


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("case", CASES)
def test_a_common_mistake_gets_its_hint(case, lang):
    chapter, label = case
    key, source = practice.module(chapter)["MISTAKES"][label]
    ns = namespace(chapter)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(source, ns)
    status, out = run(chapter, lang, label, ns)
    words = practice.texts(chapter, lang)[label]
    assert status == "fail", out
    assert words[key] in out, out
    assert words["hint2"] not in out  # the stronger hint waits for the next try
    status, out = run(chapter, lang, label, ns, tries=2)
    assert words[key] in out and words["hint2"] in out, out


# --- bad input: one sentence, never a traceback -----------------------------------

BAD = {  # chapter 12's first exercise, answered badly
    "raised": "def dropout_numpy(x, rate, rng):\n    return x / 0 + undefined_name\n",
    "returns_none": "def dropout_numpy(x, rate, rng):\n    x * 2\n",
    "not_array": "def dropout_numpy(x, rate, rng):\n    return 'dropped'\n",
    "shape": "def dropout_numpy(x, rate, rng):\n    return x[0]\n",
    "nan": "def dropout_numpy(x, rate, rng):\n    return x * np.nan\n",
}


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("kind", BAD)
def test_bad_input_gets_one_sentence(kind, lang):
    ns = namespace("12_dropout")
    exec(BAD[kind], ns)
    status, out = run("12_dropout", lang, "ex-dropout-numpy", ns)
    assert status == "error", out
    first = practice.words(lang)[kind].split("{")[0]
    assert first in out and "Traceback" not in out, out


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_cell_run_out_of_order_is_named(lang):
    """An answer run before the chapter's cells (a fresh kernel, the learner jumped to
    the exercise): the check names what is missing and what to run."""
    ns = {}
    exec(SETUP, ns)
    exec("by_rows = np.zeros(784)\nby_cols = np.ones(784)\n", ns)
    status, out = run("01_flatten", lang, "ex-flatten-order", ns)
    assert status == "order", out
    assert practice.words(lang)["order"].format(name="x_train") in out


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_check_that_meets_the_unforeseen_says_so(lang):
    """An answer a check cannot read (a bug of the check's own, here planted) still
    gives a sentence, not a traceback."""
    check = checker("12_dropout", lang)
    check.checks["ex-dropout-numpy"] = lambda t: 1 / 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert check.check("ex-dropout-numpy", {}, 1) == "error"
    assert practice.words(lang)["unreadable"].split("{")[0] in out.getvalue()


def test_the_check_sees_a_planted_fault():
    """A check with a planted fault (it forgets the 1/(1-rate) scaling, the chapter's
    misconception) fails the book's own solution: the promise above can fail."""
    check = checker("12_dropout", "en")
    original = check.checks["ex-dropout-numpy"]

    def planted(t):
        f = t.answer("dropout_numpy")
        out = t.call(f, np.ones(1000), 0.5, np.random.default_rng(1))
        t.prop("scaled", np.allclose(out[out != 0], 1.0))

    import numpy as np

    check.checks["ex-dropout-numpy"] = planted
    ns = namespace("12_dropout")
    with contextlib.redirect_stdout(io.StringIO()):
        for source in solution_code("12_dropout", "ex-dropout-numpy"):
            exec(source, ns)
        assert check.check("ex-dropout-numpy", ns) == "fail"
        check.checks["ex-dropout-numpy"] = original
        assert check.check("ex-dropout-numpy", ns) == "pass"
