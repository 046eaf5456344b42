"""Learner and practice copies (tools/derive/learner.py): what Colab and Jupyter
open."""

import copy as copy_module
import json
import re

import nbformat
import pytest

from chapters import CHAPTERS, ROOT
from tools.book import EDITIONS, shown_quiz_questions
from tools.derive import learner
from tools.execute.execute import colab_problems, shown_quiz

COPIES = [
    (chapter, lang, kind)
    for chapter in CHAPTERS
    for lang in EDITIONS
    for kind in learner.KINDS
]


def ids(case) -> str:
    chapter, lang, kind = case
    return f"{kind}-{lang}-{chapter.stem[:2]}"


def read(chapter, lang, kind):
    return nbformat.read(learner.copy_path(chapter, lang, kind), as_version=4)


def source(chapter, lang):
    return nbformat.read(EDITIONS[lang].root / "book" / chapter.name, as_version=4)


def test_copies_are_up_to_date():
    assert learner.main(["--check"]) == 0


MYST = re.compile(r"\{(?:term|doc|ref|numref)\}`|^\s*(?:`{3,}|:{3,})\{", re.MULTILINE)


@pytest.mark.parametrize("case", COPIES, ids=ids)
def test_no_myst_only_syntax(case):
    for cell in read(*case).cells:
        if cell.cell_type == "markdown":
            assert not MYST.search(cell.source), cell.source[:200]


def quiz_cell(notebook):
    return [c for c in notebook.cells if "display_quiz(QUIZ" in c.source]


@pytest.mark.parametrize("case", COPIES, ids=ids)
def test_quiz_is_inside_the_notebook(case):
    """No show_quiz (which reads a file or fetches it): the questions are a literal in
    the cell, equal to the edition's quiz file."""
    chapter, lang, _ = case
    notebook = read(*case)
    calls = re.compile(r"^show_quiz\(", re.MULTILINE)  # the setup cell defines it
    assert not any(
        calls.search(c.source) for c in notebook.cells if c.cell_type == "code"
    )
    [cell] = quiz_cell(notebook)
    literal = re.search(
        r'^QUIZ = json.loads\(r"""(.*?)"""\)', cell.source, re.DOTALL | re.MULTILINE
    ).group(1)
    quiz = EDITIONS[lang].root / "book" / "quizzes" / f"{chapter.stem}.json"
    assert json.loads(literal) == shown_quiz_questions(
        json.loads(quiz.read_text(encoding="utf-8"))
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem[:2])
@pytest.mark.parametrize("lang", EDITIONS)
def test_learner_copy_keeps_the_code_and_outputs(chapter, lang):
    book, copy = source(chapter, lang), read(chapter, lang, "learner")
    assert [c.id for c in book.cells] == [c.id for c in copy.cells]
    for original, cell in zip(book.cells, copy.cells):
        if original.cell_type != "code":
            continue
        if "show_quiz(" in original.source:  # the inlined questions' quiz, as drawn
            expected = copy_module.deepcopy(original.outputs)
            for output in expected:
                learner.shown_without_author_fields(output)
            assert cell.outputs == expected, cell.id
            assert '"evidence"' not in json.dumps(cell.outputs), "author-only field"
        else:
            # the same outputs, without the Korean twins of the English figures
            # (tools/execute/figure_text.py): a Korean copy shows them in place
            expected = copy_module.deepcopy(original.outputs)
            for output in expected:
                output.get("metadata", {}).pop("book", None)
            assert cell.outputs == expected, cell.id
            assert '"ko"' not in json.dumps([o.get("metadata") for o in cell.outputs])
            assert cell.source == original.source, cell.id


def solution_code(notebook) -> list[str]:
    """The code cells inside the chapter's solutions."""
    regions = learner.solution_regions(notebook.cells)
    return [
        notebook.cells[i].source
        for start, end in regions
        for i in range(start + 1, end)
        if notebook.cells[i].cell_type == "code"
    ]


def leaks(chapter_notebook, practice_notebook) -> list[str]:
    """Solution code or text of the chapter that the practice copy still has."""
    code = {c.source for c in practice_notebook.cells if c.cell_type == "code"}
    found = [s[:60] for s in solution_code(chapter_notebook) if s in code]
    text = "\n".join(c.source for c in practice_notebook.cells)
    for start, _ in learner.solution_regions(chapter_notebook.cells):
        inside = learner.SOLUTION_START.split(chapter_notebook.cells[start].source)[-1]
        for line in inside.strip().splitlines():
            if len(line) > 30 and line in text:
                found.append(line[:60])
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem[:2])
@pytest.mark.parametrize("lang", EDITIONS)
def test_practice_copy_has_no_solutions_and_a_cell_per_exercise(chapter, lang):
    book, practice = source(chapter, lang), read(chapter, lang, "practice")
    assert solution_code(book), f"{chapter.name} has no solution code to remove"
    assert not leaks(book, practice)
    assert all(not c.outputs for c in practice.cells if c.cell_type == "code")
    exercises = [
        i
        for i, c in enumerate(practice.cells)
        if c.cell_type == "markdown"
        and f"**{learner.WORDS[lang]['exercise']} " in c.source
    ]
    assert len(exercises) == len(learner.solution_regions(book.cells))
    for i in exercises:  # a code cell to answer in comes right after the exercise
        assert practice.cells[i + 1].cell_type == "code", practice.cells[i].source[:80]


def test_the_leak_check_finds_a_solution_left_in():
    chapter = CHAPTERS[0]
    book, practice = source(chapter, "en"), read(chapter, "en", "practice")
    planted = nbformat.v4.new_code_cell(solution_code(book)[0])
    practice.cells.append(planted)
    assert leaks(book, practice)


def test_learner_requirements_are_the_chapters_only():
    text = learner.learner_requirements()
    pins = {line.split("==")[0] for line in text.splitlines() if "==" in line}
    assert {"keras", "numpy", "matplotlib", "jupyterquiz", "scikit-learn"} <= pins
    assert not pins & {
        "pytest",
        "playwright",
        "zizmor",
        "nbval",
        "jupyter-book",
        "ruff",
    }
    assert re.search(r"^# torch==", text, re.MULTILINE), "torch must stay optional"
    requirements = (ROOT / "requirements-chapters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if "==" in line and not line.startswith("#"):
            assert line in requirements, line  # one source for the pins


STAND_IN = '''"""Stand-in for Colab's google.colab: importing it makes the setup
cell take its Colab branch (the pip installs) as on Colab."""
'''
BLOCK_NETWORK = """\
import socket
from tools.book import EDITIONS


def _refuse(*args, **kwargs):
    raise OSError("the network is blocked in this test")


socket.socket.connect = _refuse
"""


@pytest.mark.slow
@pytest.mark.mirror
@pytest.mark.parametrize("lang", EDITIONS)
def test_a_learner_copy_runs_alone_as_colab_opens_it(tmp_path, lang, monkeypatch):
    """The learner copy alone in an empty folder, google.colab importable (a stand-in,
    so the setup cell's Colab branch and its pip installs run), and no network after
    the setup: every cell runs and the quiz draws the edition's questions."""
    from nbclient import NotebookClient

    from tools.execute.execute import offline_env

    chapter = ROOT / "book" / "07_activation_functions.ipynb"  # a quick one
    notebook = read(chapter, lang, "learner")
    stand_in = tmp_path / "colab_stand_in"
    (stand_in / "google" / "colab").mkdir(parents=True)
    (stand_in / "google" / "colab" / "__init__.py").write_text(STAND_IN)
    folder = tmp_path / "content"  # empty: no repository file beside the notebook
    folder.mkdir()
    setup = next(
        i for i, c in enumerate(notebook.cells) if "setup" in c.metadata.get("tags", [])
    )
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(BLOCK_NETWORK))
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import google.colab"))
    import os

    os.environ.update(offline_env())
    monkeypatch.setenv("PYTHONPATH", str(stand_in))  # the kernel finds the stand-in
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    assert list(folder.iterdir()) == [], "the notebook wrote files beside itself"
    [cell] = quiz_cell(notebook)
    quiz = EDITIONS[lang].root / "book" / "quizzes" / f"{chapter.stem}.json"
    assert shown_quiz(cell) == shown_quiz_questions(
        json.loads(quiz.read_text(encoding="utf-8"))
    )


# The Colab profile's checks of a run (tools/execute/execute.py --colab), on the
# committed learner copy of chapter 7 (a quiz, a demo), with faults planted.
CHAPTER_7 = ROOT / "book" / "07_activation_functions.ipynb"
WIDGET = {"model_id": "x", "version_major": 2, "version_minor": 0}


def as_colab_showed_it():
    """Chapter 7's learner copy with its demo shown as Colab shows it (a widget)."""
    notebook = read(CHAPTER_7, "en", "learner")
    for cell in notebook.cells:
        if cell.cell_type == "code" and re.search(r"^demo\(", cell.source, re.M):
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/vnd.jupyter.widget-view+json": WIDGET},
                )
            ]
    return notebook


def setup_versions(notebook):
    setup = next(c for c in notebook.cells if "setup" in c.metadata.get("tags", []))
    printed = re.search(r"TensorFlow (\S+), Keras (\S+)", setup.outputs[-1].text)
    return {"tensorflow": printed[1], "keras": printed[2]}


def test_a_good_colab_run_has_no_problems(tmp_path):
    notebook = as_colab_showed_it()
    assert colab_problems(notebook, tmp_path, setup_versions(notebook)) == []


def test_a_colab_run_with_static_demos_is_caught(tmp_path):
    notebook = read(CHAPTER_7, "en", "learner")  # BOOK_STATIC_DEMOS frames
    [problem] = colab_problems(notebook, tmp_path, setup_versions(notebook))
    assert "a demo shows no slider widget" in problem


def test_a_colab_run_without_its_quiz_or_with_another_is_caught(tmp_path):
    notebook = as_colab_showed_it()
    versions = setup_versions(notebook)
    [cell] = quiz_cell(notebook)
    js = next(o for o in cell.outputs if "application/javascript" in o.get("data", {}))
    saved = js.data["application/javascript"]
    js.data["application/javascript"] = saved.replace('"correct"', '"correkt"', 1)
    assert colab_problems(notebook, tmp_path, versions) == [
        "its quiz shows other questions than its cell holds"
    ]
    cell.outputs = []
    assert colab_problems(notebook, tmp_path, versions) == [
        "its quiz cell shows no quiz"
    ]


def test_a_colab_run_in_another_environment_or_writing_files_is_caught(tmp_path):
    notebook = as_colab_showed_it()
    versions = {**setup_versions(notebook), "keras": "3.13.2-not-this"}
    (tmp_path / "model.keras").write_text("")
    problems = colab_problems(notebook, tmp_path, versions)
    assert len(problems) == 2
    assert "wrote files beside itself" in problems[0]
    assert "the setup cell printed" in problems[1]
