"""The instructors' grading command (tools/grade/grade.py, bash tools/grade.sh) on a
folder of planted submissions of chapter 3's practice copy: right, wrong, blank,
Korean, not JSON, an endless loop, a crash of the kernel, a lost check cell, a check
cell edited to print "right". Each is reported for what it is, the run goes on, and
no submission changes."""

import csv
import hashlib

import nbformat
import pytest

from tools.book import ROOT
from tools.grade import grade

pytestmark = [pytest.mark.slow, pytest.mark.mirror]

CHAPTER = "03_softmax_argmax"
RIGHT = {
    "ex-softmax-temperature": "def softmax_t(z, t):\n"
    "    return softmax(np.asarray(z) / t)\n",
    "ex-softmax-sigmoid": "z = np.linspace(-5, 5, 11)\n"
    "two_class = softmax(np.stack([z, np.zeros_like(z)], axis=-1))[:, 0]\n",
}
WRONG = {
    "ex-softmax-temperature": "def softmax_t(z, t):\n"
    "    return softmax(np.asarray(z) * t)\n",
    "ex-softmax-sigmoid": "z = np.linspace(-5, 5, 11)\n"
    "two_class = softmax(np.stack([z, np.zeros_like(z)], axis=-1))[:, 1]\n",
}


def practice_copy(lang="en"):
    sub = "book" if lang == "en" else "ko/book"
    return nbformat.read(ROOT / "practice" / sub / f"{CHAPTER}.ipynb", as_version=4)


def answered(answers, lang="en", drop_check=None, edit_check=None):
    notebook = practice_copy(lang)
    cells = notebook.cells
    for i, cell in enumerate(cells):
        label = cell.metadata.get("fcn_check", {}).get("label")
        if label in answers:
            cells[i - 1].source = answers[label]
        if edit_check and label == edit_check:
            cell.source = 'print("right.")'
    if drop_check:
        notebook.cells = [
            c
            for c in cells
            if c.metadata.get("fcn_check", {}).get("label") != drop_check
        ]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    planted = {
        "right": answered(RIGHT),
        "wrong": answered(WRONG),
        "blank": practice_copy(),
        "korean": answered(RIGHT, lang="ko"),
        "loops": answered(
            {**RIGHT, "ex-softmax-temperature": "while True:\n    pass\n"}
        ),
        "crashes": answered(
            {**RIGHT, "ex-softmax-sigmoid": "import os\nos._exit(1)\n"}
        ),
        "lost": answered(RIGHT, drop_check="ex-softmax-sigmoid"),
        "edited": answered({}, edit_check="ex-softmax-temperature"),
    }
    for learner, notebook in planted.items():
        (folder / learner).mkdir()
        nbformat.write(notebook, folder / learner / f"{CHAPTER}.ipynb")
    (folder / "broken").mkdir()
    (folder / "broken" / f"{CHAPTER}.ipynb").write_text('{"cells": [', "utf-8")
    files = [p for p in folder.rglob("*") if p.is_file()]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    out = tmp_path_factory.mktemp("grades")
    args = [str(folder), "--out", str(out), "--cell-timeout", "20"]
    assert grade.main(args) == 0
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    return out, before, after


def rows(path):
    with path.open(encoding="utf-8") as f:
        return {row.get("learner"): row for row in csv.DictReader(f)}


def test_each_submission_is_reported_for_what_it_is(graded):
    out = graded[0]
    table = rows(out / f"{CHAPTER}.csv")
    t, s = "ex-softmax-temperature", "ex-softmax-sigmoid"
    assert table["right"][t] == table["right"][s] == "pass"
    assert table["right"]["score"] == "2/2" and table["right"]["problems"] == ""
    assert table["korean"]["score"] == "2/2"
    assert table["wrong"][t] == table["wrong"][s] == "wrong"
    assert table["blank"][t] == table["blank"][s] == "not answered"
    assert table["loops"][t] == "not answered" and table["loops"][s] == "pass"
    assert "interrupted after 20 s" in table["loops"]["problems"]
    assert table["crashes"][t] == "pass" and table["crashes"][s] == "not reached"
    assert "kernel died" in table["crashes"]["problems"]
    assert table["lost"][t] == "pass" and table["lost"][s] == "check cell lost"
    assert "check cells lost: ex-softmax-sigmoid" in table["lost"]["problems"]
    assert table["edited"][t] == "not answered"  # the book's check ran, not the edit
    summary = rows(out / "summary.csv")
    assert "not a notebook" in summary["broken"]["problems"]
    assert set(summary) == {*table, "broken"}


def test_the_tables_are_readable_pages(graded):
    out = graded[0]
    page = (out / f"{CHAPTER}.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<table>" in page
    assert page.count("<tr>") == 1 + 8  # header and the eight notebooks
    assert "not a notebook" in (out / "summary.html").read_text(encoding="utf-8")


def test_no_submission_changes(graded):
    _, before, after = graded
    assert before == after
